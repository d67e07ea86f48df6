"""Household endpoints: the households in scope (by the head's name), one household with its
members, opening one, and its members added, moved to another household, made head, given
another relation, or recorded leaving — through the same services as the pages, scoped like the
persons (a household out of scope is a 404; an ID number never travels in a URL).

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.core.api import Date, ErrorOut, Id, region_for
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest

from . import services
from .household_forms import MEMBER_RELATIONS
from .models import Household, Person, Relation
from .selectors import (
    HouseholdFilters,
    get_household_for_user,
    get_person_for_user,
    household_list,
    household_members,
    household_tag_rows,
    is_sensitive_query,
)

router = Router(tags=["households"])

MEMBER_RELATION_VALUES = [value for value, _label in MEMBER_RELATIONS]


class MemberOut(Schema):
    id: int
    name: str
    relation: str
    id_number: str = Field(description="masked")
    sex: str
    birth_date: datetime.date
    status: str
    ledger_colour: str | None


class HouseholdOut(Schema):
    id: int
    name: str = Field(description="named by its head: 祝长连户")
    address: str
    region: str
    region_name: str
    head: int | None
    active_members: int
    members: list[MemberOut]
    tags: list[str] = Field(description="the household's tags in force (codes)")


class HouseholdListOut(Schema):
    """Resolved from the household rows of one page (their heads prefetched)."""

    id: int
    name: str = Field(description="named by its head: 祝长连户")
    address: str
    region: str
    region_name: str
    head: int | None
    active_members: int

    @staticmethod
    def resolve_region(obj: Household) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: Household) -> str:
        return obj.region.name

    @staticmethod
    def resolve_head(obj: Household) -> int | None:
        head = obj.head
        return head.pk if head else None


class HouseholdIn(Schema):
    head: Id = Field(description="a registered person without a household")
    address: str = Field("", max_length=200, description="the head's address when empty")
    note: str = Field("", max_length=200)


class MemberIn(Schema):
    person: Id
    relation: str = Field(description=" | ".join(MEMBER_RELATION_VALUES))
    on: Date | None = None
    note: str = Field("", max_length=200)


class MoveIn(Schema):
    household: Id = Field(description="the household the member moves into")
    relation: str = Field(description="to that household's head: " + " | ".join(MEMBER_RELATION_VALUES))
    on: Date | None = None
    note: str = Field("", max_length=200)


class LeaveIn(Schema):
    note: str = Field(min_length=1, max_length=200, description="why the member leaves (分户 …)")
    on: Date | None = None


class HeadIn(Schema):
    person: Id = Field(description="a member who becomes 户主")
    former_head_relation: str = Field(Relation.OTHER, description="the former head's new relation")
    on: Date | None = None
    note: str = Field("", max_length=200)


class RelationIn(Schema):
    relation: str


def _list_out(household: Household) -> dict[str, Any]:
    head = household.head
    return {
        "id": household.pk,
        "name": household.name,
        "address": household.address,
        "region": household.region.code,
        "region_name": household.region.name,
        "head": head.pk if head else None,
        "active_members": household.active_members,
    }


def _out(request: AuthedRequest, household_id: int) -> dict[str, Any]:
    household = get_household_for_user(user=request.user, pk=household_id)
    members = household_members(user=request.user, household=household)
    return {
        **_list_out(household),
        "members": [
            {
                "id": m.pk,
                "name": m.name,
                "relation": m.relation_to_head,
                "id_number": m.id_masked,
                "sex": m.sex,
                "birth_date": m.birth_date,
                "status": m.status,
                "ledger_colour": m.ledger_colour or None,
            }
            for m in members
        ],
        "tags": [
            row.tag.code
            for row in household_tag_rows(user=request.user, household_id=household.pk)
            if row.valid_to is None
        ],
    }


def _person(request: AuthedRequest, pk: int, field: str = "person") -> Person:
    try:
        return get_person_for_user(user=request.user, pk=pk)
    except Http404:
        raise ValidationError({field: _("所选居民不存在或不在您的管辖范围内")}) from None


def _member(request: AuthedRequest, household_id: int, person_id: int) -> tuple[Household, Person]:
    """The household (404 out of scope) and one of its members (404 if not one)."""
    household = get_household_for_user(user=request.user, pk=household_id)
    person = get_person_for_user(user=request.user, pk=person_id)
    if person.household_id != household.pk:
        raise Http404
    return household, person


@router.get(
    "/households",
    response={200: list[HouseholdListOut], 422: ErrorOut},
    summary="Households in scope, by the head's name or pinyin",
)
@paginate(LimitOffsetPagination)
def households(
    request: AuthedRequest, q: str = Query("", max_length=60), region: str = Query("", max_length=15)
) -> Any:
    if q and is_sensitive_query(q):
        raise ValidationError({"q": _("这里只能按户主姓名或拼音查找，不能用证件号或电话")})
    filters = HouseholdFilters(q=q, region=region_for(request, region) if region else None)
    return household_list(user=request.user, filters=filters)  # a queryset: the paginator loads one page


@router.post(
    "/households",
    response={201: HouseholdOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Open a household with a registered person as its head",
)
def household_create(request: AuthedRequest, payload: HouseholdIn) -> Any:
    household = services.household_create(
        acting_user=request.user,
        head=_person(request, payload.head, "head"),
        address=payload.address,
        note=payload.note,
    )
    return Status(201, _out(request, household.pk))


@router.get("/households/{household_id}", response={200: HouseholdOut, 404: ErrorOut, 422: ErrorOut})
def household_detail(request: AuthedRequest, household_id: int) -> Any:
    return _out(request, household_id)


@router.post(
    "/households/{household_id}/members",
    response={200: HouseholdOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Add a registered person without a household (one in another household: move it)",
)
def member_add(request: AuthedRequest, household_id: int, payload: MemberIn) -> Any:
    household = get_household_for_user(user=request.user, pk=household_id)
    services.household_add_member(
        acting_user=request.user,
        household=household,
        person=_person(request, payload.person),
        relation=payload.relation,
        on=payload.on,
        note=payload.note,
    )
    return _out(request, household_id)


@router.post(
    "/households/{household_id}/members/{member_id}/move",
    response={200: HouseholdOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Move a member into another household (answers with that household)",
)
def member_move(request: AuthedRequest, household_id: int, member_id: int, payload: MoveIn) -> Any:
    _household, person = _member(request, household_id, member_id)
    try:
        target = get_household_for_user(user=request.user, pk=payload.household)
    except Http404:
        raise ValidationError({"household": _("所选的户不存在或不在您的管辖范围内")}) from None
    services.household_move_member(
        acting_user=request.user,
        person=person,
        household=target,
        relation=payload.relation,
        on=payload.on,
        note=payload.note,
    )
    return _out(request, target.pk)


@router.post(
    "/households/{household_id}/members/{member_id}/leave",
    response={200: HouseholdOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a member leaving the household, with the reason",
)
def member_leave(request: AuthedRequest, household_id: int, member_id: int, payload: LeaveIn) -> Any:
    _household, person = _member(request, household_id, member_id)
    services.household_remove_member(
        acting_user=request.user, person=person, note=payload.note, on=payload.on
    )
    return _out(request, household_id)


@router.patch(
    "/households/{household_id}/members/{member_id}",
    response={200: HouseholdOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Correct a member's relation to the head",
)
def member_relation(request: AuthedRequest, household_id: int, member_id: int, payload: RelationIn) -> Any:
    _household, person = _member(request, household_id, member_id)
    services.household_set_relation(acting_user=request.user, person=person, relation=payload.relation)
    return _out(request, household_id)


@router.post(
    "/households/{household_id}/head",
    response={200: HouseholdOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Name another member 户主",
)
def household_head(request: AuthedRequest, household_id: int, payload: HeadIn) -> Any:
    household = get_household_for_user(user=request.user, pk=household_id)
    services.household_change_head(
        acting_user=request.user,
        household=household,
        head=_person(request, payload.person, "head"),
        former_head_relation=payload.former_head_relation,
        on=payload.on,
        note=payload.note,
    )
    return _out(request, household_id)
