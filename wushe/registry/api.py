"""Registry endpoints: regions, persons, search (ID/phone/certificate numbers only in bodies).

No ``from __future__ import annotations`` here: ninja resolves a ``@paginate``d view's string
annotations in ninja.pagination's namespace, where ``SearchIn`` is unknown, so the search body
became an unresolved query parameter and /api/v1/openapi.json failed with a 500.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import REVEAL_IDENTIFIERS
from wushe.core.api import ErrorOut, region_for
from wushe.core.models import RegionLevel
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.selectors import region_list
from wushe.core.web import AuthedRequest

from . import basis, services
from .household_api import router as household_router
from .models import Person
from .selectors import (
    PersonFilters,
    current_certificate,
    get_person_for_user,
    is_sensitive_query,
    open_tags,
    person_list,
)

router = Router(tags=["registry"])
router.add_router("", household_router)


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None = None

    @staticmethod
    def resolve_parent(obj: Any) -> str | None:
        return obj.parent.code if obj.parent_id else None


class PersonOut(Schema):
    id: int
    name: str
    id_number: str = Field(description="masked unless the caller may see full numbers and asked for them")
    sex: str
    birth_date: datetime.date
    region: str
    region_name: str
    phone: str
    address: str
    status: str
    household: int | None
    household_name: str | None = Field(description="named by its head: 祝长连户")
    tags: list[str]
    disability_category: int | None
    disability_level: int | None
    ledger_colour: str | None
    warnings: list[str] = Field(
        default_factory=list,
        description="after a write: sensitive data recorded without consent or statutory basis",
    )


class PersonListOut(Schema):
    """Resolved from the person rows of one page (the paginator slices the queryset)."""

    id: int
    name: str
    id_number: str
    sex: str
    birth_date: datetime.date
    region: str
    region_name: str
    status: str

    @staticmethod
    def resolve_id_number(obj: Person) -> str:
        return obj.id_masked  # the encrypted column is deferred and never shown in a list

    @staticmethod
    def resolve_region(obj: Person) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Person) -> str:
        return obj.region.name


class PersonIn(Schema):
    name: str = Field(max_length=50)
    id_number: str = Field(max_length=40)
    region: str = Field(max_length=15, description="community or grid code")
    phone: str = Field("", max_length=30)
    address: str = Field("", max_length=200)
    tags: list[str] = Field(default_factory=list, max_length=30)
    disability_certificate: str = Field("", max_length=40)


class PersonPatch(Schema):
    name: str | None = Field(None, max_length=50)
    phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=200)
    region: str | None = Field(None, max_length=15)
    tags: list[str] | None = Field(None, max_length=30)
    disability_certificate: str | None = Field(None, max_length=40)


class SearchIn(Schema):
    q: str = Field(min_length=1, max_length=60)


def person_for(request: HttpRequest, pk: int | None, field: str = "person") -> Any:
    if pk is None:
        return None
    try:
        return get_person_for_user(user=request.user, pk=pk)
    except Http404:
        raise ValidationError({field: _("所选居民不存在或不在您的管辖范围内")}) from None


def _person_out(person: Person) -> dict[str, Any]:
    from .selectors import colour_map

    cert = current_certificate(person)
    return {
        "id": person.pk,
        "name": person.name,
        "id_number": person.id_masked,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "region": person.region.code,
        "region_name": person.region.name,
        "phone": person.phone_masked,
        "address": person.address,
        "status": person.status,
        "household": person.household_id,
        "household_name": person.household.name if person.household_id else None,  # type: ignore[union-attr]
        "tags": open_tags(person),
        "disability_category": cert.category if cert else None,
        "disability_level": cert.level if cert else None,
        "ledger_colour": colour_map().get(cert.category) if cert else None,
    }


@router.get(
    "/regions", response={200: list[RegionOut], 422: ErrorOut}, summary="Regions in the caller's scope"
)
@paginate(LimitOffsetPagination)
def regions(
    request: HttpRequest, level: RegionLevel = Query(None, description="only regions of this level")
) -> Any:
    # a queryset, not a list: the paginator counts and loads one page
    return region_list(user=request.user, level=level).select_related("parent")


@router.get(
    "/persons",
    response={200: list[PersonListOut], 422: ErrorOut},
    summary="Persons in scope, by name or pinyin",
)
@paginate(LimitOffsetPagination)
def persons(
    request: HttpRequest, q: str = Query("", max_length=60), region: str = Query("", max_length=15)
) -> Any:
    if q and is_sensitive_query(q):
        raise ValidationError({"q": _("证件号、电话号码请用 POST /persons/search 检索，不要放在网址中")})
    filters = PersonFilters(q=q, region=region_for(request, region) if region else None)
    return person_list(user=request.user, filters=filters)


@router.post(
    "/persons/search",
    response={200: list[PersonListOut], 400: ErrorOut, 422: ErrorOut},
    summary="Search by ID, phone or certificate number",
)
@paginate(LimitOffsetPagination)
def persons_search(request: HttpRequest, payload: SearchIn) -> Any:
    if is_sensitive_query(payload.q):
        from wushe.core.models import AccessEventKind
        from wushe.core.services import access_event_record

        access_event_record(kind=AccessEventKind.SEARCH_SENSITIVE, user=request.user, request=request)
    return person_list(user=request.user, filters=PersonFilters(q=payload.q))


@router.post(
    "/persons",
    response={201: PersonOut, 400: ErrorOut, 422: ErrorOut, 403: ErrorOut},
    summary="Register a person",
)
def person_create(request: AuthedRequest, payload: PersonIn) -> Any:
    region = region_for(request, payload.region)
    result = services.person_create(
        acting_user=request.user,
        region=region,
        name=payload.name,
        id_number=payload.id_number,
        phone=payload.phone,
        address=payload.address,
        tags=payload.tags,
        disability_certificate=payload.disability_certificate,
    )
    kinds = [
        *([basis.DISABILITY] if payload.disability_certificate else []),
        *basis.tag_code_kinds(payload.tags),
    ]
    out = _person_out(get_person_for_user(user=request.user, pk=result.person.pk))
    out["warnings"] = [*result.warnings, *basis.warnings_for(result.person, kinds)]
    return Status(201, out)


@router.get("/persons/{person_id}", response={200: PersonOut, 404: ErrorOut, 422: ErrorOut})
def person_detail(request: AuthedRequest, person_id: int, reveal: bool = False) -> Any:
    person = get_person_for_user(user=request.user, pk=person_id)
    out = _person_out(person)
    if reveal and request.user.has_perm(REVEAL_IDENTIFIERS):
        full = services.person_reveal(user=request.user, person=person, request=request)
        out["id_number"], out["phone"] = full["id_number"], full["phone"]
    return out


@router.patch(
    "/persons/{person_id}",
    response={200: PersonOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 403: ErrorOut},
)
def person_patch(request: AuthedRequest, person_id: int, payload: PersonPatch) -> Any:
    from django.db import transaction

    person = get_person_for_user(user=request.user, pk=person_id)
    data = payload.dict(exclude_unset=True)
    with transaction.atomic():
        region = data.pop("region", None)
        tags = data.pop("tags", None)
        certificate = data.pop("disability_certificate", None)
        data = {k: v for k, v in data.items() if v is not None}
        if data:
            services.person_update(acting_user=request.user, person=person, **data)
        if region:
            services.person_move(acting_user=request.user, person=person, region=region_for(request, region))
        kinds: list[str] = []
        if tags is not None:
            added = set(tags) - {
                pt.tag.code for pt in person.tags.filter(valid_to__isnull=True).select_related("tag")
            }
            services.person_tags_set(acting_user=request.user, person=person, tags=tags)
            kinds += basis.tag_code_kinds(sorted(added))
        if certificate:
            services.certificate_set(acting_user=request.user, person=person, number=certificate)
            kinds.append(basis.DISABILITY)
    out = _person_out(get_person_for_user(user=request.user, pk=person_id))
    out["warnings"] = basis.warnings_for(person, kinds)
    return out
