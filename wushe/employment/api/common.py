"""What the api modules share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from wushe.accounts.roles import READ_REGISTRY
from wushe.core.api import ErrorOut, region_for
from wushe.core.permissions import require_perm
from wushe.partners.models import Organization
from wushe.partners.selectors import usable_organizations

router = Router(tags=["employment"])

WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def yuan(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _reader(request: HttpRequest) -> None:
    require_perm(request.user, READ_REGISTRY)


def _pick(model: Any, user: Any, pk: int | None, field: str) -> Any:
    """A record the user may see, by id (``None``: none chosen); otherwise 422 naming ``field``."""
    if pk is None:
        return None
    qs = usable_organizations(user) if model is Organization else model._default_manager.visible_to(user)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: _("所选对象不存在或不在您的管辖范围内")})
    return obj


def _region(request: HttpRequest, code: str, field: str = "region") -> Any:
    return region_for(request, code, field)
