"""一户一册 and 一户一卡 as PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from wushe.accounts.roles import READ_REGISTRY
from wushe.core.api import ErrorOut, require
from wushe.core.pdf import content_disposition
from wushe.registry.selectors import get_household_for_user

from .. import documents
from .common import router

# ---- 一户一册 and 一户一卡 ----------------------------------------------------------------------


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/households/{household_id}/booklet.pdf",
    response={200: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The household's 一户一册 as PDF",
)
def booklet_pdf(request: HttpRequest, household_id: int) -> Any:
    require(request, READ_REGISTRY)
    household = get_household_for_user(user=request.user, pk=household_id)
    return _pdf(documents.booklet_pdf(household, request.user), f"一户一册-{household.pk}.pdf")


@router.get(
    "/households/{household_id}/card.pdf",
    response={200: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The household's 一户一卡 as PDF",
)
def card_pdf(request: HttpRequest, household_id: int) -> Any:
    require(request, READ_REGISTRY)
    household = get_household_for_user(user=request.user, pk=household_id)
    return _pdf(documents.card_pdf(household, request.user), f"一户一卡-{household.pk}.pdf")
