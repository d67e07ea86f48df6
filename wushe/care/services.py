"""Every write of the care plans (keyword-only, ``acting_user``, checked, in a transaction).

A plan is drawn up by the region's workers (``RECORD_OUTREACH``); its services are recorded by
the provider's staff or the region's workers (``RECORD_SERVICES``), each on a plan they can see."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import RECORD_OUTREACH, RECORD_SERVICES
from wushe.core.checks import not_future, require_visible, text
from wushe.core.history import actor
from wushe.core.permissions import require_perm
from wushe.core.scoping import visible_or_above
from wushe.partners.models import Organization
from wushe.registry.models import Household, Person, PersonStatus

from .models import (
    CarePlan,
    CarerTraining,
    PlanKind,
    PlannedService,
    Satisfaction,
    SelfCare,
    ServiceRecord,
    ServiceType,
)

MAX_TIMES = 62  # twice a day at most
MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class ServiceLine:
    """A planned service as a caller gives it: the type, the times a month, the months."""

    service_type: ServiceType
    times_per_month: int
    months: str = ""


def parse_months(value: str, field: str = "services") -> str:
    """``"11,12,1"`` → ``"1,11,12"``; blank is every month; anything but 1–12 is refused."""
    value = (value or "").replace("，", ",").replace("、", ",").strip()
    if not value:
        return ""
    try:
        months = sorted({int(m) for m in value.split(",") if m.strip()})
    except ValueError:
        raise ValidationError({field: _("服务月份须为1到12的数字，以逗号分隔")}) from None
    if not months or months[0] < 1 or months[-1] > 12:
        raise ValidationError({field: _("服务月份须为1到12的数字，以逗号分隔")})
    return ",".join(str(m) for m in months)


def _check_lines(lines: Sequence[ServiceLine]) -> list[ServiceLine]:
    if not lines:
        raise ValidationError({"services": _("请至少填写一项服务")})
    seen: set[int] = set()
    checked = []
    for line in lines:
        if not line.service_type.active:
            raise ValidationError({"services": _("服务类别“%(t)s”已停用") % {"t": line.service_type.name}})
        if line.service_type.pk in seen:
            raise ValidationError({"services": _("服务类别“%(t)s”重复") % {"t": line.service_type.name}})
        seen.add(line.service_type.pk)
        if not 1 <= line.times_per_month <= MAX_TIMES:
            raise ValidationError({"services": _("每月次数须在1到%(m)s之间") % {"m": MAX_TIMES}})
        checked.append(ServiceLine(line.service_type, line.times_per_month, parse_months(line.months)))
    return checked


@transaction.atomic
def care_plan_create(
    *,
    acting_user: User | None,
    person: Person,
    kind: str = PlanKind.SEVERE,
    self_care: str,
    needs: str,
    assessed_on: datetime.date,
    provider: Organization,
    workers: str,
    started_on: datetime.date,
    review_on: datetime.date,
    services: Sequence[ServiceLine],
) -> CarePlan:
    """A care plan for ``person``'s household, with its services."""
    require_perm(acting_user, RECORD_OUTREACH)
    require_visible(acting_user, person, "person")
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"person": _("照护对象不在册")})
    household: Household | None = person.household
    if household is None:
        raise ValidationError({"person": _("照护对象尚未建户，请先建户")})
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("项目类型无效")})
    if self_care not in SelfCare.values:
        raise ValidationError({"self_care": _("自理能力无效")})
    if not visible_or_above(Organization.objects.all(), acting_user).filter(pk=provider.pk).exists():
        raise ValidationError({"provider": _("所选服务机构不存在或不在您的管辖范围内")})
    needs = text(needs, "needs", max_length=2000, required=True)
    workers = text(workers, "workers", max_length=200, required=True)
    not_future(assessed_on, "assessed_on")
    if review_on < started_on:
        raise ValidationError({"review_on": _("复评日期不能早于开始日期")})
    lines = _check_lines(services)
    if CarePlan.objects.filter(person=person, kind=kind, ended_on__isnull=True).exists():
        raise ValidationError({"person": _("该居民已有进行中的同类照护计划")})
    plan = CarePlan.objects.create(
        region=household.region,
        household=household,
        person=person,
        kind=kind,
        self_care=self_care,
        needs=needs,
        assessed_on=assessed_on,
        provider=provider,
        workers=workers,
        started_on=started_on,
        review_on=review_on,
        created_by=actor(acting_user),
    )
    PlannedService.objects.bulk_create(
        PlannedService(
            plan=plan, service_type=ln.service_type, times_per_month=ln.times_per_month, months=ln.months
        )
        for ln in lines
    )
    return plan


@transaction.atomic
def care_plan_end(
    *, acting_user: User | None, plan: CarePlan, ended_on: datetime.date, reason: str
) -> CarePlan:
    require_perm(acting_user, RECORD_OUTREACH)
    require_visible(acting_user, plan, "plan")
    plan = CarePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.ended_on is not None:
        raise ValidationError({"ended_on": _("该计划已结束")})
    if ended_on < plan.started_on:
        raise ValidationError({"ended_on": _("结束日期不能早于开始日期")})
    not_future(ended_on, "ended_on")
    plan.ended_on = ended_on
    plan.end_reason = text(reason, "reason", max_length=200, required=True)
    plan.save(update_fields=["ended_on", "end_reason"])
    return plan


def _require_worker(acting_user: User | None, plan: CarePlan) -> None:
    require_perm(acting_user, RECORD_SERVICES)
    require_visible(acting_user, plan, "plan")


def _in_plan(plan: CarePlan, day: datetime.date, field: str) -> None:
    not_future(day, field)
    if day < plan.started_on:
        raise ValidationError({field: _("日期早于计划开始日期")})
    if plan.ended_on is not None and day > plan.ended_on:
        raise ValidationError({field: _("日期晚于计划结束日期")})


@transaction.atomic
def service_record_create(
    *,
    acting_user: User | None,
    plan: CarePlan,
    service_type: ServiceType,
    served_on: datetime.date,
    minutes: int,
    worker: str,
    satisfaction: str,
    content: str = "",
) -> ServiceRecord:
    """One service the provider gave under ``plan``."""
    _require_worker(acting_user, plan)
    if not service_type.active:
        raise ValidationError({"service_type": _("该服务类别已停用")})
    _in_plan(plan, served_on, "served_on")
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValidationError({"minutes": _("服务时长须在1到%(m)s分钟之间") % {"m": MAX_MINUTES}})
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("满意度无效")})
    return ServiceRecord.objects.create(
        plan=plan,
        service_type=service_type,
        served_on=served_on,
        minutes=minutes,
        worker=text(worker, "worker", max_length=50, required=True),
        content=text(content, "content", max_length=200),
        satisfaction=satisfaction,
        created_by=actor(acting_user),
    )


@transaction.atomic
def carer_training_create(
    *,
    acting_user: User | None,
    plan: CarePlan,
    trained_on: datetime.date,
    carer: str,
    topic: str,
    hours: Decimal | str,
    trainer: str,
) -> CarerTraining:
    """Training given to the household's family carer."""
    _require_worker(acting_user, plan)
    _in_plan(plan, trained_on, "trained_on")
    try:
        value = Decimal(str(hours))
    except InvalidOperation:
        raise ValidationError({"hours": _("学时须为数字")}) from None
    if (
        not value.is_finite()
        or not Decimal("0.5") <= value <= Decimal("99.5")
        or value != value.quantize(Decimal("0.1"))
    ):
        raise ValidationError({"hours": _("学时须在0.5到99.5之间，最多一位小数")})
    return CarerTraining.objects.create(
        plan=plan,
        trained_on=trained_on,
        carer=text(carer, "carer", max_length=50, required=True),
        topic=text(topic, "topic", max_length=200, required=True),
        hours=value,
        trainer=text(trainer, "trainer", max_length=50, required=True),
        created_by=actor(acting_user),
    )
