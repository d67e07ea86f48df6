"""Work and income writes — micro-factories (微工厂): investment, workers, monthly pay and output."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.checks import count, not_future, require_visible, text, today
from wushe.core.history import actor
from wushe.core.ledger import money
from wushe.core.models import Region, RegionLevel
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.funds.models import Disbursement, DisbursementStatus
from wushe.partners.models import Organization
from wushe.projects.models import Project
from wushe.registry.models import Person

from ..models import (
    FactoryMonth,
    Investment,
    InvestmentSource,
    MicroFactory,
    Worker,
    WorkerMonth,
)
from .common import _choice, _month, _outreach, _pay, _resident


@transaction.atomic
def factory_create(
    *,
    acting_user: User | None,
    region: Region,
    name: str,
    operator: Organization,
    opened_on: datetime.date,
    products: str,
) -> MicroFactory:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    if region.level not in (RegionLevel.COMMUNITY, RegionLevel.GRID):
        raise ValidationError({"region": _("微工厂须设在社区")})
    name = text(name, "name", max_length=100, required=True)
    not_future(opened_on, "opened_on")
    if MicroFactory.objects.filter(region=region, name=name).exists():
        raise ValidationError({"name": _("本社区已有同名微工厂")})
    return MicroFactory.objects.create(
        region=region,
        name=name,
        operator=operator,
        opened_on=opened_on,
        products=text(products, "products", max_length=200, required=True),
        created_by=actor(acting_user),
    )


@transaction.atomic
def investment_record(
    *,
    acting_user: User | None,
    factory: MicroFactory,
    amount: Decimal | int | str,
    source: str,
    invested_on: datetime.date | None = None,
    project: Project | None = None,
    disbursement: Disbursement | None = None,
    department: str = "",
) -> Investment:
    """Money put into a micro-factory, with where it came from: a project, a charity fund's paid
    disbursement (never more than what it paid, over all the factories it went to), or
    government money (the department named)."""
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, factory.region, field="factory")
    value = money(amount)
    if value <= 0:
        raise ValidationError({"amount": _("金额须大于0")})
    _choice(source, InvestmentSource.values, "source")
    day = invested_on or today()
    not_future(day, "invested_on")
    department = text(department, "department", max_length=100)
    if source == InvestmentSource.PROJECT:
        if project is None:
            raise ValidationError({"project": _("请选择资金来源项目")})
        disbursement = None
    elif source == InvestmentSource.FUND:
        if disbursement is None:
            raise ValidationError({"disbursement": _("请选择慈善基金的支出")})
        locked = Disbursement.objects.select_for_update(of=("self",)).get(pk=disbursement.pk)
        if locked.status != DisbursementStatus.PAID:
            raise ValidationError({"disbursement": _("只能引用已支付的基金支出")})
        used = Investment.objects.filter(disbursement=locked).aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if used + value > locked.amount:
            raise ValidationError(
                {"amount": _("超过该笔基金支出的可用金额（%(a)s元）") % {"a": locked.amount - used}}
            )
        project = None
    else:
        if not department:
            raise ValidationError({"department": _("政府资金须填写拨款部门")})
        project = disbursement = None
    return Investment.objects.create(
        factory=factory,
        amount=value,
        invested_on=day,
        source=source,
        project=project,
        disbursement=disbursement,
        department=department,
        created_by=actor(acting_user),
    )


@transaction.atomic
def worker_add(
    *,
    acting_user: User | None,
    factory: MicroFactory,
    person: Person,
    started_on: datetime.date | None = None,
    work: str = "",
) -> Worker:
    _outreach(acting_user)
    require_visible(acting_user, factory, "factory")
    _resident(acting_user, person)
    day = started_on or today()
    not_future(day, "started_on")
    if day < factory.opened_on:
        raise ValidationError({"started_on": _("开始日期不能早于微工厂开办日期")})
    if Worker.objects.filter(factory=factory, person=person, ended_on__isnull=True).exists():
        raise ValidationError({"person": _("该居民已在本微工厂务工")})
    return Worker.objects.create(
        factory=factory,
        person=person,
        household_id=person.household_id,
        started_on=day,
        work=text(work, "work", max_length=60),
        created_by=actor(acting_user),
    )


@transaction.atomic
def worker_end(*, acting_user: User | None, worker: Worker, ended_on: datetime.date | None = None) -> Worker:
    _outreach(acting_user)
    day = ended_on or today()
    not_future(day, "ended_on")
    if worker.ended_on is not None:
        raise ValidationError({"ended_on": _("该人员已结束务工")})
    if day < worker.started_on:
        raise ValidationError({"ended_on": _("结束日期不能早于开始日期")})
    worker.ended_on = day
    worker.save(update_fields=["ended_on"])
    return worker


@transaction.atomic
def worker_month_record(
    *,
    acting_user: User | None,
    worker: Worker,
    month: datetime.date,
    pay: Decimal | int | str,
    hours: Decimal | int | str | None = None,
    pieces: int | None = None,
) -> WorkerMonth:
    _outreach(acting_user)
    first = _month(month)
    if first > _month(today()):
        raise ValidationError({"month": _("月份不能晚于本月")})
    if first < _month(worker.started_on) or (worker.ended_on and first > _month(worker.ended_on)):
        raise ValidationError({"month": _("该月份不在务工期间内")})
    amount = _pay(pay, "pay", required=True)
    h = None
    if hours not in (None, ""):
        try:
            h = Decimal(str(hours))
        except ArithmeticError:
            raise ValidationError({"hours": _("工时须为数字")}) from None
        if h < 0 or h > 744:
            raise ValidationError({"hours": _("工时须在0到744之间")})
    p = None if pieces is None else count(pieces, "pieces", label=_("计件数"), maximum=10_000_000)
    row, _created = WorkerMonth.objects.update_or_create(
        worker=worker,
        month=first,
        defaults={"pay": amount, "hours": h, "pieces": p, "created_by": actor(acting_user)},
    )
    return row


@transaction.atomic
def factory_month_record(
    *,
    acting_user: User | None,
    factory: MicroFactory,
    month: datetime.date,
    orders: int,
    output: Decimal | int | str,
    note: str = "",
) -> FactoryMonth:
    _outreach(acting_user)
    require_visible(acting_user, factory, "factory")
    first = _month(month)
    if first > _month(today()):
        raise ValidationError({"month": _("月份不能晚于本月")})
    row, _created = FactoryMonth.objects.update_or_create(
        factory=factory,
        month=first,
        defaults={
            "orders": count(orders, "orders", label=_("订单数"), maximum=10_000_000),
            "output": _pay(output, "output", required=True),
            "note": text(note, "note", max_length=200),
            "created_by": actor(acting_user),
        },
    )
    return row
