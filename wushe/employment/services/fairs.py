"""Work and income writes — job fairs: enterprises, positions, applications, hires and their follow-up."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.checks import count, not_future, text, today
from wushe.core.history import actor
from wushe.core.models import Region
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.validators import validate_credit_code
from wushe.partners.models import Organization, OrganizationKind
from wushe.partners.services import organization_get_or_create
from wushe.registry.models import Person

from ..models import (
    Application,
    ApplicationStatus,
    FairEnterprise,
    HireFollowUp,
    JobFair,
    Position,
)
from .common import _outreach, _pay, _resident


@transaction.atomic
def job_fair_create(
    *,
    acting_user: User | None,
    region: Region,
    title: str,
    held_on: datetime.date,
    place: str,
    organizer: str,
    visitors: int = 0,
) -> JobFair:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    return JobFair.objects.create(
        region=region,
        title=text(title, "title", max_length=100, required=True),
        held_on=held_on,
        place=text(place, "place", max_length=100, required=True),
        organizer=text(organizer, "organizer", max_length=100, required=True),
        visitors=count(visitors, "visitors", label=_("入场人数"), maximum=1_000_000),
        created_by=actor(acting_user),
    )


@transaction.atomic
def fair_enterprise_add(
    *,
    acting_user: User | None,
    fair: JobFair,
    organization: Organization | None = None,
    name: str = "",
    credit_code: str = "",
) -> FairEnterprise:
    """An enterprise taking part: an organization already known, or one registered here by its
    name and 统一社会信用代码. The code is required and checked (GB 32100, the project's
    validator): a wrong length or alphabet is refused, a failed check character kept with its
    warning, as everywhere."""
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, fair.region, field="fair")
    if organization is None:
        name = text(name, "name", max_length=100, required=True)
        code = text(credit_code, "credit_code", required=True, message=_("请填写统一社会信用代码"))
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages}) from None
        organization = organization_get_or_create(
            acting_user=acting_user,
            region=fair.region,
            kind=OrganizationKind.ENTERPRISE,
            name=name,
            credit_code=code,
        )
    if not organization.credit_code:
        raise ValidationError({"organization": _("参会企业须有统一社会信用代码")})
    try:
        _code, warnings = validate_credit_code(organization.credit_code)
    except ValidationError as exc:
        raise ValidationError({"organization": exc.messages}) from None
    if FairEnterprise.objects.filter(fair=fair, organization=organization).exists():
        raise ValidationError({"organization": _("该企业已登记参加本次招聘会")})
    return FairEnterprise.objects.create(
        fair=fair, organization=organization, credit_code_warning="；".join(str(w) for w in warnings)
    )


@transaction.atomic
def position_add(
    *,
    acting_user: User | None,
    enterprise: FairEnterprise,
    title: str,
    openings: int,
    pay_min: Decimal | int | str | None = None,
    pay_max: Decimal | int | str | None = None,
    suits_disabled: bool = False,
) -> Position:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, enterprise.fair.region, field="fair")
    n = count(openings, "openings", label=_("招聘人数"), maximum=100_000)
    if n < 1:
        raise ValidationError({"openings": _("招聘人数至少为1")})
    low, high = _pay(pay_min, "pay_min"), _pay(pay_max, "pay_max")
    if low is not None and high is not None and high < low:
        raise ValidationError({"pay_max": _("月薪上限不能低于下限")})
    return Position.objects.create(
        enterprise=enterprise,
        title=text(title, "title", max_length=60, required=True),
        openings=n,
        pay_min=low,
        pay_max=high,
        suits_disabled=bool(suits_disabled),
    )


@transaction.atomic
def application_create(
    *, acting_user: User | None, position: Position, person: Person, applied_on: datetime.date | None = None
) -> Application:
    _outreach(acting_user)
    _resident(acting_user, person)
    fair = position.enterprise.fair
    day = applied_on or fair.held_on
    not_future(day, "applied_on")
    if Application.objects.filter(position=position, person=person).exists():
        raise ValidationError({"person": _("该居民已投递此岗位")})
    return Application.objects.create(
        position=position,
        person=person,
        region_id=fair.region_id,
        applied_on=day,
        created_by=actor(acting_user),
    )


@transaction.atomic
def application_decide(
    *, acting_user: User | None, application: Application, hired: bool, hired_on: datetime.date | None = None
) -> Application:
    _outreach(acting_user)
    locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if locked.status != ApplicationStatus.APPLIED:
        raise ValidationError({"status": _("该申请已有结果")})
    if hired:
        day = hired_on or today()
        not_future(day, "hired_on")
        if day < locked.applied_on:
            raise ValidationError({"hired_on": _("录用日期不能早于投递日期")})
        taken = Application.objects.filter(
            position_id=locked.position_id, status=ApplicationStatus.HIRED
        ).count()
        if taken >= locked.position.openings:
            raise ValidationError({"status": _("该岗位的招聘人数已满")})
        locked.status, locked.hired_on = ApplicationStatus.HIRED, day
    else:
        locked.status, locked.hired_on = ApplicationStatus.DECLINED, None
    locked.save(update_fields=["status", "hired_on"])
    return locked


@transaction.atomic
def hire_follow_up_record(
    *,
    acting_user: User | None,
    application: Application,
    still_working: bool,
    followed_on: datetime.date | None = None,
    monthly_income: Decimal | int | str | None = None,
    note: str = "",
) -> HireFollowUp:
    _outreach(acting_user)
    if application.status != ApplicationStatus.HIRED or application.hired_on is None:
        raise ValidationError({"application": _("只有已录用的人员才能回访")})
    day = followed_on or today()
    not_future(day, "followed_on")
    if day < application.hired_on:
        raise ValidationError({"followed_on": _("回访日期不能早于录用日期")})
    return HireFollowUp.objects.create(
        application=application,
        followed_on=day,
        still_working=bool(still_working),
        monthly_income=_pay(monthly_income, "monthly_income"),
        note=text(note, "note", max_length=200),
        created_by=actor(acting_user),
    )
