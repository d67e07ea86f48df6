"""Organization, resource (资源清单) and responsibility (责任清单) endpoints."""

import datetime
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
from wushe.needs.selectors import unit_work_counts

from . import selectors, services
from .models import Organization, Resource, ResponsibilityUnit

router = Router(tags=["partners"])


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    region: str
    credit_code: str
    credit_code_warning: str

    @staticmethod
    def resolve_region(obj: Organization) -> str:
        return obj.region.code


class ResourceOut(Schema):
    id: int
    name: str
    kind: str
    provider: int
    provider_name: str
    region: str
    categories: list[str]
    capacity: int
    remaining: int
    available_from: datetime.date | None
    available_to: datetime.date | None
    active: bool
    age_min: int | None = Field(description="target group: youngest age served (null: any)")
    age_max: int | None = Field(description="target group: oldest age served (null: any)")
    disability_categories: list[int] = Field(
        description="target group: disability categories served, 1 视力 … 7 多重 (empty: any)"
    )
    disability_levels: list[int] = Field(
        description="target group: disability levels served, 1–4 (empty: any)"
    )
    target_tags: list[str] = Field(
        description="target group: group tags by code, any one of them (empty: any)"
    )

    @staticmethod
    def resolve_disability_categories(obj: Resource) -> list[int]:
        return [int(c) for c in obj.disability_categories]

    @staticmethod
    def resolve_disability_levels(obj: Resource) -> list[int]:
        return [int(c) for c in obj.disability_levels]

    @staticmethod
    def resolve_target_tags(obj: Resource) -> list[str]:
        return [t.code for t in obj.target_tags.all()]

    @staticmethod
    def resolve_provider(obj: Resource) -> int:
        return obj.provider_id

    @staticmethod
    def resolve_provider_name(obj: Resource) -> str:
        return obj.provider.name

    @staticmethod
    def resolve_region(obj: Resource) -> str:
        return obj.region.code

    @staticmethod
    def resolve_categories(obj: Resource) -> list[str]:
        return [c.code for c in obj.categories.all()]


class ResourceIn(Schema):
    provider: int = Field(ge=1, le=MAX_ID)
    region: str = Field(max_length=15)
    name: str = Field(max_length=100)
    kind: str = Field("service", max_length=12)
    categories: list[str] = Field(max_length=20)
    capacity: int = Field(ge=1, le=1_000_000)
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=20)
    available_from: Date | None = None
    available_to: Date | None = None
    description: str = Field("", max_length=2000)
    age_min: int | None = Field(None, ge=0, le=150)
    age_max: int | None = Field(None, ge=0, le=150)
    disability_categories: list[int] = Field([], max_length=7, description="1 视力 … 7 多重; empty: any")
    disability_levels: list[int] = Field([], max_length=4, description="1–4; empty: any")
    target_tags: list[str] = Field([], max_length=30, description="group tag codes; empty: any")


class ResourceEditIn(Schema):
    """A resource's fields, changed (those given change): its target group, period, capacity…"""

    name: str | None = Field(None, max_length=100)
    kind: str | None = Field(None, max_length=12)
    categories: list[str] | None = Field(None, max_length=20)
    capacity: int | None = Field(None, ge=1, le=1_000_000)
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=20)
    available_from: Date | None = None
    available_to: Date | None = None
    description: str | None = Field(None, max_length=2000)
    age_min: int | None = Field(None, ge=0, le=150)
    age_max: int | None = Field(None, ge=0, le=150)
    disability_categories: list[int] | None = Field(None, max_length=7)
    disability_levels: list[int] | None = Field(None, max_length=4)
    target_tags: list[str] | None = Field(None, max_length=30)
    active: bool | None = None


# fields whose null in a PATCH means "not limited" rather than "leave as it is"
_NULLABLE = ("available_from", "available_to", "age_min", "age_max")


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    region: str
    organization: int | None
    duties: str
    open: int = 0
    overdue: int = 0
    done: int = 0


@router.get(
    "/organizations", response={200: list[OrganizationOut], 422: ErrorOut}, summary="Organizations in scope"
)
@paginate(LimitOffsetPagination)
def organizations(
    request: HttpRequest, kind: str = Query("", max_length=20), q: str = Query("", max_length=50)
) -> Any:
    return selectors.organization_list(
        user=request.user, filters=selectors.OrganizationFilters(kind=kind, q=q)
    )


@router.get(
    "/resources", response={200: list[ResourceOut], 422: ErrorOut}, summary="Resources in scope (资源清单)"
)
@paginate(LimitOffsetPagination)
def resources(
    request: HttpRequest,
    region: str = Query("", max_length=15),
    category: str = Query("", max_length=30),
    available: bool = False,
) -> Any:
    filters = selectors.ResourceFilters(
        region=region_for(request, region) if region else None, category=category, available=available
    )
    return selectors.resource_list(user=request.user, filters=filters).prefetch_related("target_tags")


@router.post("/resources", response={201: ResourceOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def resource_create(request: AuthedRequest, payload: ResourceIn) -> Any:
    region = region_for(request, payload.region)
    try:
        provider = selectors.get_organization_for_user(user=request.user, pk=payload.provider)
    except Http404:
        raise ValidationError({"provider": _("组织不存在或不在您的管辖范围内")}) from None
    data = payload.dict()
    data.pop("provider"), data.pop("region")
    resource = services.resource_create(acting_user=request.user, provider=provider, region=region, **data)
    return Status(201, selectors.get_resource_for_user(user=request.user, pk=resource.pk))


@router.get("/resources/{resource_id}", response={200: ResourceOut, 404: ErrorOut, 422: ErrorOut})
def resource_detail(request: HttpRequest, resource_id: int) -> Any:
    return selectors.get_resource_for_user(user=request.user, pk=resource_id)


@router.patch(
    "/resources/{resource_id}",
    response={200: ResourceOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Change a resource: its target group, period, capacity … (those who keep the lists)",
    description="Only the fields given change; null clears a period's end or an age bound (no limit).",
)
def resource_edit(request: AuthedRequest, resource_id: int, payload: ResourceEditIn) -> Any:
    resource = selectors.get_resource_for_user(user=request.user, pk=resource_id)
    changes = payload.dict(exclude_unset=True)
    for key, value in list(changes.items()):
        if value is None and key not in _NULLABLE:
            raise ValidationError({key: _("不能为空")})
    services.resource_update(acting_user=request.user, resource=resource, **changes)
    return selectors.get_resource_for_user(user=request.user, pk=resource_id)


def _with_work(request: HttpRequest, units: list[ResponsibilityUnit]) -> list[dict[str, Any]]:
    work = unit_work_counts(user=request.user, unit_ids=[u.pk for u in units])
    out = []
    for u in units:
        w = work[u.pk]
        out.append(
            {
                "id": u.pk,
                "name": u.name,
                "kind": u.kind,
                "region": u.region.code,
                "organization": u.organization_id,
                "duties": u.duties,
                "open": w.open,
                "overdue": w.overdue,
                "done": w.done,
            }
        )
    return out


@router.get(
    "/responsibilities",
    response={200: list[UnitOut], 422: ErrorOut},
    summary="Responsibility units (责任清单) with their open, overdue and done needs",
)
def responsibilities(
    request: HttpRequest,
    region: str = Query("", max_length=15),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=2**31 - 1),
) -> Any:
    units = selectors.responsibility_unit_list(
        user=request.user, region=region_for(request, region) if region else None
    )
    return _with_work(request, list(units[offset : offset + limit]))


@router.get("/responsibilities/{unit_id}", response={200: UnitOut, 404: ErrorOut, 422: ErrorOut})
def responsibility_detail(request: HttpRequest, unit_id: int) -> Any:
    unit = selectors.get_responsibility_unit_for_user(user=request.user, pk=unit_id)
    return _with_work(request, [unit])[0]
