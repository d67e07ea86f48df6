"""Household checks (两不愁三保障 and 饮水安全): list, detail, record."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import READ_REGISTRY, RECORD_OUTREACH
from wushe.core.api import Date, ErrorOut, Flag, require
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest
from wushe.partners.models import ResponsibilityUnit
from wushe.registry.models import Person
from wushe.registry.selectors import get_household_for_user

from .. import selectors, services
from ..models import HouseholdCheck
from .common import router, yuan


class ItemOut(Schema):
    item: str
    label: str
    passed: bool
    finding: str
    need: int | None


class CheckOut(Schema):
    id: int
    household: int
    region: str
    checked_on: datetime.date
    members: int
    income: str
    income_per_person: str
    threshold: str
    housing_grade: str
    dibao_outcome: str
    dibao_reason: str
    items: list[ItemOut]


class ItemIn(Schema):
    passed: Flag = True
    finding: str = Field("", max_length=200)
    deadline: Date | None = None


class CheckIn(Schema):
    household: int = Field(..., ge=1, le=MAX_ID)
    income: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    checked_on: Date | None = None
    members: int | None = Field(None, ge=1, le=99)
    items: dict[str, ItemIn] = Field(default_factory=dict)
    housing_grade: str = Field("", max_length=1)
    hollow_house: Flag = False
    elderly_in_old_house: Flag = False
    serious_illness: Flag = False
    main_earner: int | None = Field(None, ge=1, le=MAX_ID)
    dibao_outcome: str = Field("", max_length=10)
    dibao_reason: str = Field("", max_length=200)
    note: str = Field("", max_length=300)
    unit: int | None = Field(None, ge=1, le=MAX_ID)


def _check_out(c: HouseholdCheck) -> dict[str, Any]:
    return {
        "id": c.pk,
        "household": c.household_id,
        "region": c.region.code,
        "checked_on": c.checked_on,
        "members": c.members,
        "income": yuan(c.income),
        "income_per_person": yuan(c.income_per_person),
        "threshold": yuan(c.threshold),
        "housing_grade": c.housing_grade,
        "dibao_outcome": c.dibao_outcome,
        "dibao_reason": c.dibao_reason,
        "items": [
            {
                "item": i.item,
                "label": str(i.get_item_display()),
                "passed": i.passed,
                "finding": i.finding,
                "need": i.need_id,
            }
            for i in c.items.all()
        ],
    }


@router.get(
    "/household-checks", response={200: list[CheckOut], 422: ErrorOut}, summary="Household checks (入户核查)"
)
@paginate(LimitOffsetPagination)
def check_list(request: HttpRequest, household: int | None = Query(None, ge=1, le=MAX_ID)) -> Any:
    require(request, READ_REGISTRY)
    return [_check_out(c) for c in selectors.checks_page(user=request.user, filters=household)]


@router.get("/household-checks/{check_id}", response={200: CheckOut, 404: ErrorOut, 422: ErrorOut})
def check_detail(request: HttpRequest, check_id: int) -> Any:
    require(request, READ_REGISTRY)
    return _check_out(selectors.get_check_for_user(request.user, check_id))


@router.post(
    "/household-checks", response={201: CheckOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def check_create(request: AuthedRequest, payload: CheckIn) -> Any:
    require(request, RECORD_OUTREACH)
    household = get_household_for_user(user=request.user, pk=payload.household)
    unit = None
    if payload.unit is not None:
        unit = ResponsibilityUnit.objects.filter(pk=payload.unit, active=True).first()
        if unit is None:
            raise ValidationError({"unit": _("责任单位不存在")})
    earner = None
    if payload.main_earner is not None:
        earner = Person.objects.filter(pk=payload.main_earner, household=household).first()
        if earner is None:
            raise ValidationError({"main_earner": _("主要劳动力须是本户成员")})
    items = {
        key: services.ItemInput(passed=i.passed, finding=i.finding, unit=unit, deadline=i.deadline)
        for key, i in payload.items.items()
    }
    check = services.household_check_record(
        acting_user=request.user,
        household=household,
        items=items,
        income=payload.income,
        checked_on=payload.checked_on,
        members=payload.members,
        housing_grade=payload.housing_grade,
        hollow_house=payload.hollow_house,
        elderly_in_old_house=payload.elderly_in_old_house,
        serious_illness=payload.serious_illness,
        main_earner=earner,
        dibao_outcome=payload.dibao_outcome,
        dibao_reason=payload.dibao_reason,
        note=payload.note,
        income_unit=unit,
    )
    return Status(201, _check_out(selectors.get_check_for_user(request.user, check.pk)))
