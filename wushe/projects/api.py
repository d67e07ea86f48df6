"""Project endpoints (项目清单)."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.core.api import ErrorOut, region_for
from wushe.core.dates import Date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest
from wushe.partners.selectors import get_organization_for_user

from . import selectors, services
from .models import Project

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    name: str
    kind: str
    region: str
    organization: int
    organization_name: str
    funding_source: str
    budget: Decimal
    start_on: datetime.date
    end_on: datetime.date
    target_group: str
    planned_indicators: str
    achieved_indicators: str

    @staticmethod
    def resolve_region(obj: Project) -> str:
        return obj.region.code

    @staticmethod
    def resolve_organization(obj: Project) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj: Project) -> str:
        return obj.organization.name


class ProjectIn(Schema):
    region: str = Field(max_length=15)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=12)
    organization: int = Field(ge=1, le=MAX_ID)
    start_on: Date
    end_on: Date
    budget: Decimal = Field(Decimal("0"), ge=0, le=Decimal("9999999999.99"), decimal_places=2)
    funding_source: str = Field("", max_length=100)
    target_group: str = Field("", max_length=200)
    planned_indicators: str = Field("", max_length=2000)
    categories: list[str] = Field(default_factory=list, max_length=20)


@router.get(
    "/projects", response={200: list[ProjectOut], 422: ErrorOut}, summary="Projects in scope (项目清单)"
)
@paginate(LimitOffsetPagination)
def projects(
    request: HttpRequest, region: str = Query("", max_length=15), kind: str = Query("", max_length=12)
) -> Any:
    filters = selectors.ProjectFilters(region=region_for(request, region) if region else None, kind=kind)
    return selectors.project_list(user=request.user, filters=filters)


@router.post("/projects", response={201: ProjectOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def project_create(request: AuthedRequest, payload: ProjectIn) -> Any:
    region = region_for(request, payload.region)
    try:
        org = get_organization_for_user(user=request.user, pk=payload.organization)
    except Http404:
        raise ValidationError({"organization": _("组织不存在或不在您的管辖范围内")}) from None
    data = payload.dict()
    data.pop("region"), data.pop("organization")
    project = services.project_create(acting_user=request.user, region=region, organization=org, **data)
    return Status(201, selectors.get_project_for_user(user=request.user, pk=project.pk))


@router.get("/projects/{project_id}", response={200: ProjectOut, 404: ErrorOut, 422: ErrorOut})
def project_detail(request: HttpRequest, project_id: int) -> Any:
    return selectors.get_project_for_user(user=request.user, pk=project_id)
