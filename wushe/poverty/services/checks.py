"""Recording a household check: each item passed or failed, income per person against the year's
threshold, the 低保 re-check; every failed item becomes a need (source 入户核查) with its
responsible unit and deadline, through the needs app's services, in the same transaction."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core import checks
from wushe.core.history import actor
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.needs import services as needs
from wushe.needs.models import NeedCategory, NeedSource, Urgency
from wushe.partners.models import ResponsibilityUnit
from wushe.registry.models import Household, Person

from ..config import threshold_for
from ..models import (
    UNSAFE_GRADES,
    CheckItem,
    DibaoOutcome,
    HouseholdCheck,
    HousingGrade,
    Item,
)

# the need category a failed item becomes, and the days its responsible unit has to act
ITEM_CATEGORY = {
    Item.FOOD: "daily_care",
    Item.CLOTHING: "daily_care",
    Item.EDUCATION: "education",
    Item.MEDICAL: "medical",
    Item.HOUSING: "housing",
    Item.WATER_QUANTITY: "water",
    Item.WATER_QUALITY: "water",
    Item.WATER_CONVENIENCE: "water",
    Item.WATER_GUARANTEE: "water",
    Item.INCOME: "employment",
}
ITEM_DEADLINE_DAYS = {Item.HOUSING: 30, Item.INCOME: 30}
DEFAULT_DEADLINE_DAYS = 15
CHECKED_ITEMS = tuple(i for i in Item if i != Item.INCOME)  # given by the worker; income is computed


@dataclass(frozen=True)
class ItemInput:
    """What the worker found about one item; a failed item may name its unit and deadline."""

    passed: bool = True
    finding: str = ""
    unit: ResponsibilityUnit | None = None
    deadline: datetime.date | None = None


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("请填写金额（元）")}) from None
    if amount < 0 or amount >= Decimal("10000000000"):
        raise ValidationError({field: _("金额须在0到100亿元之间")})
    return amount


def _items(given: Mapping[str, ItemInput | bool]) -> dict[str, ItemInput]:
    unknown = sorted(set(given) - set(CHECKED_ITEMS))
    if unknown:
        raise ValidationError({"items": _("未知的核查项目：%(i)s") % {"i": ", ".join(unknown)}})
    out: dict[str, ItemInput] = {}
    for item in CHECKED_ITEMS:  # an item not named passed
        value = given.get(item, True)
        out[item] = value if isinstance(value, ItemInput) else ItemInput(passed=bool(value))
    return out


def _housing(found: ItemInput, grade: str, elderly_in_old_house: bool, hollow_house: bool) -> ItemInput:
    """住房安全: a C or D grade, or an old person living alone in an old house, fails the item."""
    notes = [found.finding] if found.finding else []
    failed = not found.passed
    if grade in UNSAFE_GRADES:
        failed = True
        notes.append(_("房屋鉴定为%(g)s") % {"g": HousingGrade(grade).label})
    if elderly_in_old_house:
        failed = True
        notes.append(_("老人独居老旧房屋"))
    if hollow_house:
        notes.append(_("空心房"))
    return ItemInput(passed=not failed, finding="；".join(notes), unit=found.unit, deadline=found.deadline)


CATEGORY_NAMES = {"housing": "住房安全", "water": "饮水安全"}  # installed by migration 0002


def _category(item: str) -> NeedCategory:
    code = ITEM_CATEGORY[Item(item)]
    found = NeedCategory.objects.filter(code=code).first()
    if found is None:  # an operator removed it: put it back rather than lose the need
        found, _created = NeedCategory.objects.get_or_create(
            code=code, defaults={"name": CATEGORY_NAMES.get(code, code)}
        )
    return found


@transaction.atomic
def household_check_record(
    *,
    acting_user: User | None,
    household: Household,
    items: Mapping[str, ItemInput | bool],
    income: Decimal | str | int,
    checked_on: datetime.date | None = None,
    members: int | None = None,
    housing_grade: str = "",
    hollow_house: bool = False,
    elderly_in_old_house: bool = False,
    serious_illness: bool = False,
    main_earner: Person | None = None,
    dibao_outcome: str = "",
    dibao_reason: str = "",
    note: str = "",
    visit: Any = None,  # a visits.Visit of the same household (visits sit beside this app)
    income_unit: ResponsibilityUnit | None = None,
) -> HouseholdCheck:
    """Record a check of ``household``; each failed item becomes a need (入户核查)."""
    require_perm(acting_user, RECORD_OUTREACH)
    require_region_in_scope(acting_user, household.region, field="household")
    day = checked_on or checks.today()
    checks.not_future(day, "checked_on")
    found = _items(items)
    if housing_grade and housing_grade not in HousingGrade.values:
        raise ValidationError({"housing_grade": _("未知的房屋安全等级：%(g)s") % {"g": housing_grade}})
    found[Item.HOUSING] = _housing(found[Item.HOUSING], housing_grade, elderly_in_old_house, hollow_house)
    head_count = members if members is not None else household.active_members
    if head_count < 1 or head_count > 99:
        raise ValidationError({"members": _("家庭人口须在1到99人之间")})
    total = _money(income, "income")
    per_person = (total / head_count).quantize(Decimal("0.01"))
    threshold, _margin = threshold_for(household.region, day.year)
    if per_person < threshold:
        found[Item.INCOME] = ItemInput(
            passed=False,
            finding=_("人均纯收入%(p)s元，低于当年标准%(t)s元") % {"p": per_person, "t": threshold},
            unit=income_unit,
        )
    else:
        found[Item.INCOME] = ItemInput(passed=True)
    if dibao_outcome and dibao_outcome not in DibaoOutcome.values:
        raise ValidationError({"dibao_outcome": _("未知的低保核对结果：%(o)s") % {"o": dibao_outcome}})
    reason = checks.text(dibao_reason, "dibao_reason", max_length=200)
    if dibao_outcome in (DibaoOutcome.ADJUSTED, DibaoOutcome.REMOVED) and not reason:
        raise ValidationError({"dibao_reason": _("低保调整或退出须写明原因")})
    if main_earner is not None and (main_earner.household_id != household.pk):
        raise ValidationError({"main_earner": _("主要劳动力须是本户成员")})
    if visit is not None and visit.household_id != household.pk:
        raise ValidationError({"visit": _("走访记录须是本户的")})
    for item, value in found.items():
        if value.deadline is not None and value.deadline < day:
            raise ValidationError({"items": _("%(i)s的办结期限不能早于核查日期") % {"i": Item(item).label}})
    check = HouseholdCheck.objects.create(
        household=household,
        region=household.region,
        visit=visit,
        checked_on=day,
        members=head_count,
        income=total,
        income_per_person=per_person,
        threshold=threshold,
        housing_grade=housing_grade,
        hollow_house=hollow_house,
        elderly_in_old_house=elderly_in_old_house,
        serious_illness=serious_illness,
        main_earner=main_earner,
        dibao_outcome=dibao_outcome,
        dibao_reason=reason,
        note=checks.text(note, "note", max_length=300),
        by=actor(acting_user),
    )
    rows = []
    for item, value in found.items():
        finding = checks.text(value.finding, "items", max_length=200)
        need = None
        if not value.passed:
            label = Item(item).label
            need = needs.need_create(
                acting_user=acting_user,
                category=_category(item),
                description=(_("入户核查：%(i)s未达标") % {"i": label})
                + (f"（{finding}）" if finding else ""),
                household=household,
                visit=visit,
                urgency=Urgency.NORMAL,
                source=NeedSource.CHECK,
                responsible_unit=value.unit,
                deadline=value.deadline
                or day + datetime.timedelta(days=ITEM_DEADLINE_DAYS.get(Item(item), DEFAULT_DEADLINE_DAYS)),
                reported_on=day,
            )
        rows.append(CheckItem(check_record=check, item=item, passed=value.passed, finding=finding, need=need))
    CheckItem.objects.bulk_create(rows)
    return check
