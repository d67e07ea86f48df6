"""防返贫监测: leads and their five steps (who, when, a deadline in calendar days from the lead),
monitoring objects made by 县级审定, assistance measures, monthly income and risk elimination."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core import checks
from wushe.core.history import actor
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.registry.models import Household

from ..config import deadline_from, months_required, notice_days, stable_line
from ..models import (
    SECURITY_ITEMS,
    STEPS,
    Item,
    Lead,
    LeadSource,
    LeadStep,
    Measure,
    MeasureKind,
    MonitoringObject,
    MonthlyIncome,
    ObjectKind,
    ObjectStatus,
    RiskType,
    Stage,
)


def _choice(value: str, choices: type, field: str) -> str:
    if value not in choices.values:  # type: ignore[attr-defined]
        raise ValidationError({field: _("未知的取值：%(v)s") % {"v": value}})
    return value


def _visible(acting_user: User | None, model: type, pk: int) -> None:
    if acting_user is not None and not model.objects.visible_to(acting_user).filter(pk=pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied(_("您没有执行此操作的权限"))


@transaction.atomic
def lead_create(
    *,
    acting_user: User | None,
    household: Household,
    source: str,
    kind: str,
    risk_type: str,
    reason: str,
    raised_on: datetime.date | None = None,
) -> Lead:
    """Register a lead; its deadline is the configured calendar days after it (15)."""
    require_perm(acting_user, RECORD_OUTREACH)
    require_region_in_scope(acting_user, household.region, field="household")
    day = raised_on or checks.today()
    checks.not_future(day, "raised_on")
    if Lead.objects.filter(household=household, stage__in=STEPS).exists():
        raise ValidationError({"household": _("该户已有办理中的监测线索")})
    if MonitoringObject.objects.filter(household=household, status=ObjectStatus.MONITORED).exists():
        raise ValidationError({"household": _("该户已是监测对象")})
    return Lead.objects.create(
        household=household,
        region=household.region,
        source=_choice(source, LeadSource, "source"),
        kind=_choice(kind, ObjectKind, "kind"),
        risk_type=_choice(risk_type, RiskType, "risk_type"),
        reason=checks.text(reason, "reason", max_length=300, required=True),
        raised_on=day,
        deadline=deadline_from(day),
        by=actor(acting_user),
    )


@transaction.atomic
def lead_step(
    *,
    acting_user: User | None,
    lead: Lead,
    step: str,
    approved: bool = True,
    done_on: datetime.date | None = None,
    note: str = "",
    notice_from: datetime.date | None = None,
    notice_to: datetime.date | None = None,
    no_labour: bool = False,
) -> Lead:
    """Do the lead's current step. A refusal ends the lead; 县级审定's approval makes the household
    a monitoring object of the lead's kind and risk."""
    require_perm(acting_user, RECORD_OUTREACH)
    _visible(acting_user, Lead, lead.pk)
    lead = Lead.objects.select_for_update(of=("self",)).select_related("region").get(pk=lead.pk)
    if lead.stage not in STEPS:
        raise ValidationError({"step": _("该线索已办结")})
    if step != lead.stage:
        raise ValidationError({"step": _("当前应办理的环节是%(s)s") % {"s": Stage(lead.stage).label}})
    day = done_on or checks.today()
    checks.not_future(day, "done_on")
    last = lead.steps.order_by("-id").first()
    earliest = last.done_on if last else lead.raised_on
    if day < earliest:
        raise ValidationError({"done_on": _("办理日期不能早于%(d)s") % {"d": earliest}})
    if step == Stage.NOTICE:
        if notice_from is None or notice_to is None:
            raise ValidationError({"notice_from": _("请填写公示的起止日期")})
        if notice_from < earliest:
            raise ValidationError({"notice_from": _("公示不能早于上一环节")})
        if (notice_to - notice_from).days + 1 < notice_days():
            raise ValidationError({"notice_to": _("公示时间不少于%(n)s天") % {"n": notice_days()}})
        if day < notice_to:
            raise ValidationError({"done_on": _("公示期满后才能办结公示环节")})
    elif notice_from or notice_to:
        raise ValidationError({"notice_from": _("只有公示环节填写公示日期")})
    text = checks.text(note, "note", max_length=300, required=not approved)
    LeadStep.objects.create(
        lead=lead,
        step=step,
        approved=approved,
        done_on=day,
        notice_from=notice_from if step == Stage.NOTICE else None,
        notice_to=notice_to if step == Stage.NOTICE else None,
        note=text,
        by=actor(acting_user),
    )
    if not approved:
        lead.stage, lead.finished_on = Stage.REJECTED, day
    elif step == Stage.COUNTY:
        lead.stage, lead.finished_on = Stage.DONE, day
        if MonitoringObject.objects.filter(
            household_id=lead.household_id, status=ObjectStatus.MONITORED
        ).exists():
            raise ValidationError({"step": _("该户已是监测对象")})
        MonitoringObject.objects.create(
            household_id=lead.household_id,
            region=lead.region,
            lead=lead,
            kind=lead.kind,
            risk_type=lead.risk_type,
            started_on=day,
            no_labour=no_labour,
        )
    else:
        lead.stage = STEPS[STEPS.index(Stage(step)) + 1]
    lead.save(update_fields=["stage", "finished_on"])
    return lead


@transaction.atomic
def measure_add(
    *,
    acting_user: User | None,
    monitored: MonitoringObject,
    kind: str,
    description: str,
    cadre: str,
    started_on: datetime.date | None = None,
) -> Measure:
    require_perm(acting_user, RECORD_OUTREACH)
    _visible(acting_user, MonitoringObject, monitored.pk)
    day = started_on or checks.today()
    checks.not_future(day, "started_on")
    return Measure.objects.create(
        monitored=monitored,
        kind=_choice(kind, MeasureKind, "kind"),
        description=checks.text(description, "description", max_length=300, required=True),
        cadre=checks.text(cadre, "cadre", max_length=50, required=True),
        started_on=day,
        by=actor(acting_user),
    )


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


@transaction.atomic
def income_record(
    *,
    acting_user: User | None,
    monitored: MonitoringObject,
    month: datetime.date,
    income_per_person: Decimal | str,
) -> MonthlyIncome:
    """Record (or correct) the per-person income of a month of monitoring."""
    require_perm(acting_user, RECORD_OUTREACH)
    _visible(acting_user, MonitoringObject, monitored.pk)
    first = _month(month)
    if first > checks.today():
        raise ValidationError({"month": _("不能登记未来月份的收入")})
    try:
        amount = Decimal(str(income_per_person)).quantize(Decimal("0.01"))
    except ArithmeticError:
        raise ValidationError({"income_per_person": _("请填写金额（元）")}) from None
    if amount < 0:
        raise ValidationError({"income_per_person": _("金额不能为负数")})
    row, _created = MonthlyIncome.objects.update_or_create(
        monitored=monitored,
        month=first,
        defaults={"income_per_person": amount, "by": actor(acting_user)},
    )
    return row


def elimination_blockers(monitored: MonitoringObject, on: datetime.date) -> list[str]:
    """Why the object's risk cannot be eliminated on ``on`` (empty: it can)."""
    reasons: list[str] = []
    if monitored.status != ObjectStatus.MONITORED:
        return [_("不在监测中")]
    if monitored.no_labour:
        reasons.append(_("无劳动能力的户持续监测，不标注风险消除"))
    months = []
    month = _month(monitored.started_on)
    while month < _month(on):  # whole months monitored before this one
        months.append(month)
        month = _next_month(month)
    need = months_required()
    if len(months) < need:
        reasons.append(_("监测不满%(n)s个月") % {"n": need})
    incomes = {i.month: i.income_per_person for i in monitored.incomes.all()}
    for month in months:
        line = stable_line(monitored.region, month.year) / 12
        got = incomes.get(month)
        if got is None:
            reasons.append(_("%(m)s没有收入记录") % {"m": f"{month:%Y-%m}"})
        elif got < line:
            reasons.append(
                _("%(m)s人均收入%(g)s元，未稳定高于%(l)s元")
                % {"m": f"{month:%Y-%m}", "g": got, "l": line.quantize(Decimal("0.01"))}
            )
    from ..models import HouseholdCheck  # the latest check since monitoring began

    check = (
        HouseholdCheck.objects.filter(
            household_id=monitored.household_id, checked_on__gte=monitored.started_on
        )
        .prefetch_related("items")
        .order_by("-checked_on", "-id")
        .first()
    )
    if check is None:
        reasons.append(_("纳入监测后还没有入户核查"))
    else:
        failed = [Item(i.item).label for i in check.items.all() if i.item in SECURITY_ITEMS and not i.passed]
        if failed:
            reasons.append(_("最近一次核查未达标：%(i)s") % {"i": "、".join(str(f) for f in failed)})
    return reasons


@transaction.atomic
def object_eliminate(
    *, acting_user: User | None, monitored: MonitoringObject, on: datetime.date | None = None
) -> MonitoringObject:
    """Mark the risk eliminated, only when :func:`elimination_blockers` finds nothing."""
    require_perm(acting_user, RECORD_OUTREACH)
    _visible(acting_user, MonitoringObject, monitored.pk)
    day = on or checks.today()
    checks.not_future(day, "on")
    monitored = (
        MonitoringObject.objects.select_for_update(of=("self",)).select_related("region").get(pk=monitored.pk)
    )
    blockers = elimination_blockers(monitored, day)
    if blockers:
        raise ValidationError({"status": "；".join(blockers)})
    monitored.status, monitored.eliminated_on = ObjectStatus.ELIMINATED, day
    monitored.eliminated_by = actor(acting_user)
    monitored.save(update_fields=["status", "eliminated_on", "eliminated_by"])
    return monitored


@transaction.atomic
def object_set_labour(
    *, acting_user: User | None, monitored: MonitoringObject, no_labour: bool
) -> MonitoringObject:
    require_perm(acting_user, RECORD_OUTREACH)
    _visible(acting_user, MonitoringObject, monitored.pk)
    monitored.no_labour = no_labour
    monitored.save(update_fields=["no_labour"])
    return monitored
