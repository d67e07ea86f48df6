"""Every write of the subsidies: the rules per region and year, applications and their steps
(乡镇(街道)初审 → 县残联审核 → 县民政审定, an optional 公示 after the first), periodic reviews,
and the monthly roster's approval (frozen as computed) and payment."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import (
    APPROVE_SUBSIDY_COUNTY,
    MANAGE_PERSONS,
    PAY_SUBSIDY,
    REVIEW_SUBSIDY_COUNTY,
)
from wushe.core.checks import text, today
from wushe.core.config import CONFIGURE
from wushe.core.history import actor
from wushe.core.models import Region, RegionLevel
from wushe.core.permissions import require_operator, require_perm, require_region_in_scope
from wushe.registry.models import Person, PersonStatus

from .access import is_street_admin
from .eligibility import add_months, eligibility_many, month_start, rule_validate
from .models import (
    OPEN_STATUSES,
    Applicant,
    Application,
    ApplicationStep,
    Kind,
    Roster,
    RosterLine,
    RosterStatus,
    Status,
    Step,
    SubsidyRule,
)
from .rosters import roster_compute

MAX_PUBLICITY_DAYS = 30


def mask_account(number: str) -> str:
    return f"{number[:4]}{'*' * max(len(number) - 8, 4)}{number[-4:]}"


def clean_account(raw: str) -> str:
    number = re.sub(r"[\s-]", "", raw or "")
    if not number:
        raise ValidationError({"bank_account": _("请填写银行账号")})
    if not re.fullmatch(r"\d{12,30}", number):
        raise ValidationError({"bank_account": _("银行账号须为12至30位数字")})
    return number


def _require_street(user: User | None, region: Region) -> None:
    if not is_street_admin(user, region):
        raise PermissionDenied(_("只有所在街道（乡镇）的管理员可以办理此环节"))


# ---- rules -----------------------------------------------------------------------------------


@transaction.atomic
def rule_set(
    *,
    acting_user: User | None,
    region: Region,
    year: int,
    kind: str,
    clauses: dict[str, str],
    labels: dict[str, str] | None = None,
    amounts: list[Any],
    alternatives: dict[str, Any] | None = None,
    review_months: int = 12,
    note: str = "",
) -> SubsidyRule:
    """Create or replace the rule of ``kind`` for ``region``'s subtree from ``year``."""
    require_perm(acting_user, CONFIGURE)
    require_region_in_scope(acting_user, region)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("补贴种类无效")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("年度须在2000到2100之间")})
    if len(amounts) != 4:
        raise ValidationError({"amounts": _("请填写一至四级的金额")})
    try:
        values = [Decimal(str(a)).quantize(Decimal("0.01")) for a in amounts]
    except (InvalidOperation, ValueError):
        raise ValidationError({"amounts": _("金额须为数字")}) from None
    rule_validate(clauses=clauses, alternatives=alternatives or {}, amounts=values)
    if not 1 <= int(review_months) <= 60:
        raise ValidationError({"review_months": _("复核周期须在1到60个月之间")})
    rule, _created = SubsidyRule.objects.update_or_create(
        region=region,
        year=int(year),
        kind=kind,
        defaults={
            "clauses": dict(clauses),
            "labels": dict(labels or {}),
            "amount_1": values[0],
            "amount_2": values[1],
            "amount_3": values[2],
            "amount_4": values[3],
            "alternatives": {k: str(Decimal(str(v))) for k, v in (alternatives or {}).items()},
            "review_months": int(review_months),
            "note": text(note, "note", max_length=200),
        },
    )
    return rule


# ---- applications ----------------------------------------------------------------------------


def _step(application: Application, step: str, user: User | None, *, passed: bool = True, note: str = "",
          publicity_days: int = 0, at: datetime.datetime | None = None) -> ApplicationStep:  # fmt: skip
    return ApplicationStep.objects.create(
        application=application,
        step=step,
        passed=passed,
        note=text(note, "note", max_length=300),
        publicity_days=publicity_days,
        by=actor(user),
        at=at or timezone.now(),
    )


@transaction.atomic
def application_submit(
    *,
    acting_user: User | None,
    person: Person,
    kind: str,
    applicant: str = Applicant.SELF,
    applicant_name: str = "",
    bank_name: str,
    bank_account: str,
    applied_on: datetime.date | None = None,
    note: str = "",
) -> Application:
    """An application for one subsidy, made by the person or a guardian; the person must qualify
    in the month of application (the reasons otherwise name the conditions that fail)."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, person.region, field="person")
    if kind not in Kind.values:
        raise ValidationError({"kind": _("请选择补贴种类")})
    if applicant not in Applicant.values:
        raise ValidationError({"applicant": _("申请人须为本人或监护人")})
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"person": _("该居民已不在册")})
    day = applied_on or today()
    if day > today():
        raise ValidationError({"applied_on": _("日期不能晚于今天")})
    name = text(applicant_name, "applicant_name", max_length=50)
    if applicant == Applicant.SELF:
        name = name or person.name
    elif not name:
        raise ValidationError({"applicant_name": _("监护人代为申请，请填写监护人姓名")})
    bank = text(bank_name, "bank_name", max_length=60, required=True)
    account = clean_account(bank_account)
    if Application.objects.filter(person=person, kind=kind, status__in=OPEN_STATUSES).exists():
        raise ValidationError({"kind": _("该居民已有这项补贴的在办或发放中的申请")})
    month = month_start(day)
    person = Person.objects.select_related("region").get(pk=person.pk)
    found = eligibility_many([person], month=month, kinds=[kind])[(person.pk, kind)]
    if not found.eligible:
        raise ValidationError(
            {"kind": _("申请当月不符合条件：%(why)s") % {"why": "；".join(r.label for r in found.failed())}}
        )
    application = Application.objects.create(
        region=person.region,
        person=person,
        kind=kind,
        applicant=applicant,
        applicant_name=name,
        bank_name=bank,
        bank_account=account,
        bank_account_masked=mask_account(account),
        applied_on=day,
        month=month,
        created_by=actor(acting_user),
    )
    _step(application, Step.SUBMIT, acting_user, note=note)
    return application


_NEXT: dict[str, tuple[str, str]] = {
    Step.TOWN: (Status.SUBMITTED, Status.TOWN_OK),
    Step.CDPF: (Status.TOWN_OK, Status.CDPF_OK),
    Step.MCA: (Status.CDPF_OK, Status.APPROVED),
}


def next_step(application: Application) -> str | None:
    for step, (before, _after) in _NEXT.items():
        if application.status == before:
            return step
    return None


def may_act(user: User | None, application: Application, step: str) -> bool:
    if step == Step.TOWN or step == Step.REVIEW:
        return is_street_admin(user, application.region)
    if user is None:
        return True
    perm = REVIEW_SUBSIDY_COUNTY if step == Step.CDPF else APPROVE_SUBSIDY_COUNTY
    return bool(user.has_perm(perm))


@transaction.atomic
def application_decide(
    *,
    acting_user: User | None,
    application: Application,
    step: str,
    passed: bool,
    note: str = "",
    publicity_days: int = 0,
) -> Application:
    """One approval step: the street's 初审 (optionally opening a 公示 of ``publicity_days``), the
    county 残联's 审核 (not before the 公示 ends), the county 民政's 审定. A refusal ends the
    application with the note as its reason."""
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("region").get(pk=application.pk)
    )
    require_region_in_scope(acting_user, application.region, field="application")
    if step not in _NEXT:
        raise ValidationError({"step": _("审批环节无效")})
    if not may_act(acting_user, application, step):
        raise PermissionDenied(_("您没有办理“%(s)s”的权限") % {"s": Step(step).label})
    before, after = _NEXT[step]
    if application.status != before:
        raise ValidationError(
            {
                "step": _("该申请当前为“%(s)s”，不能办理“%(t)s”")
                % {"s": application.get_status_display(), "t": Step(step).label}
            }
        )
    if not passed and not (note or "").strip():
        raise ValidationError({"note": _("不通过时请填写理由")})
    days = int(publicity_days or 0)
    if step != Step.TOWN and days:
        raise ValidationError({"publicity_days": _("公示在乡镇（街道）初审时安排")})
    if not 0 <= days <= MAX_PUBLICITY_DAYS:
        raise ValidationError({"publicity_days": _("公示天数须在0到%(n)s之间") % {"n": MAX_PUBLICITY_DAYS}})
    if step == Step.CDPF and application.publicity_until and today() <= application.publicity_until:
        raise ValidationError(
            {"step": _("公示期至 %(d)s，公示结束后方可审核") % {"d": application.publicity_until.isoformat()}}
        )
    fields = ["status"]
    if not passed:
        application.status = Status.REJECTED
    else:
        application.status = after
        if step == Step.TOWN and days:
            application.publicity_until = today() + datetime.timedelta(days=days)
            fields.append("publicity_until")
        if step == Step.MCA:
            application.approved_on = today()
            application.reviewed_on = today()
            fields += ["approved_on", "reviewed_on"]
    application.save(update_fields=fields)
    _step(application, step, acting_user, passed=passed, note=note, publicity_days=days)
    return application


@transaction.atomic
def application_review(
    *, acting_user: User | None, application: Application, passed: bool, note: str = ""
) -> Application:
    """The periodic review of a paid application by the street: passed (the next is due a cycle
    later) or failed (payment stops from the following month, ``review failed`` on the roster)."""
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("region").get(pk=application.pk)
    )
    require_region_in_scope(acting_user, application.region, field="application")
    _require_street(acting_user, application.region)
    if application.status != Status.APPROVED:
        raise ValidationError({"application": _("只有发放中的申请需要复核")})
    if not passed and not (note or "").strip():
        raise ValidationError({"note": _("复核不通过时请填写理由")})
    application.reviewed_on = today()
    fields = ["reviewed_on"]
    if not passed:
        application.status = Status.ENDED
        application.ended_from = add_months(month_start(today()), 1)
        fields += ["status", "ended_from"]
    application.save(update_fields=fields)
    _step(application, Step.REVIEW, acting_user, passed=passed, note=note)
    return application


# ---- rosters ---------------------------------------------------------------------------------


@transaction.atomic
def roster_approve(*, acting_user: User | None, region: Region, month: datetime.date) -> Roster:
    """The street approves its roster for ``month``: the lines computed now are kept as they are
    (and paid as they are); later corrections appear on later rosters."""
    require_region_in_scope(acting_user, region)
    _require_street(acting_user, region)
    if region.level != RegionLevel.STREET:
        raise ValidationError({"region": _("发放名册按街道（乡镇）审定")})
    month = month_start(month)
    if month > month_start(today()):
        raise ValidationError({"month": _("不能审定尚未到来的月份")})
    Region.objects.select_for_update().filter(pk=region.pk).first()  # one approval at a time
    if Roster.objects.filter(region=region, month=month).exists():
        raise ValidationError({"month": _("该月名册已审定")})
    computed = roster_compute(region, month)
    roster = Roster.objects.create(
        region=region,
        month=month,
        living=computed.living,
        nursing=computed.nursing,
        amount=computed.amount,
        approved_by=actor(acting_user),
        approved_at=timezone.now(),
    )
    RosterLine.objects.bulk_create(
        [
            RosterLine(
                roster=roster,
                region_id=x.application.region_id,
                application=x.application,
                person_id=x.application.person_id,
                kind=x.kind,
                line=x.line,
                for_month=x.for_month,
                level=x.level,
                amount=x.amount,
                change=x.change,
                reason=x.reason[:300],
            )
            for x in computed.lines
        ]
    )
    return roster


@transaction.atomic
def roster_pay(*, acting_user: User | None, roster: Roster) -> Roster:
    """The payer confirms the approved roster was paid (by the bank's batch transfer)."""
    require_perm(acting_user, PAY_SUBSIDY)
    require_region_in_scope(acting_user, roster.region, field="roster")
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    if roster.status == RosterStatus.PAID:
        raise ValidationError({"roster": _("该名册已确认发放")})
    roster.status, roster.paid_by, roster.paid_at = RosterStatus.PAID, actor(acting_user), timezone.now()
    roster.save(update_fields=["status", "paid_by", "paid_at"])
    return roster


@transaction.atomic
def applications_bulk_approved(
    *, acting_user: User | None, applications: Sequence[tuple[Person, str, str, str, datetime.date]]
) -> list[Application]:
    """Carry over applications already approved on paper (a county's existing recipients, the
    demo): (person, kind, bank name, account, applied on) each, checked like a new application and
    written approved with its three steps, in bulk. Operators and the system only; a person who
    does not qualify in the month of application is left out."""
    require_operator(acting_user)
    by_month: dict[datetime.date, list[tuple[Person, str, str, str, datetime.date]]] = {}
    for item in applications:
        by_month.setdefault(month_start(item[4]), []).append(item)
    open_now = set(
        Application.objects.filter(
            person__in=[i[0] for i in applications], status__in=OPEN_STATUSES
        ).values_list("person_id", "kind")
    )
    made: list[Application] = []
    now = timezone.now()
    for month, items in sorted(by_month.items()):
        people = list({p.pk: p for p, *_rest in items}.values())
        found = eligibility_many(people, month=month)
        for person, kind, bank, account, day in items:
            if (person.pk, kind) in open_now or not found[(person.pk, kind)].eligible:
                continue
            number = clean_account(account)
            made.append(
                Application(
                    region_id=person.region_id,
                    person=person,
                    kind=kind,
                    applicant=Applicant.SELF,
                    applicant_name=person.name,
                    bank_name=text(bank, "bank_name", max_length=60, required=True),
                    bank_account=number,
                    bank_account_masked=mask_account(number),
                    applied_on=day,
                    month=month,
                    status=Status.APPROVED,
                    approved_on=day,
                    reviewed_on=day,
                    created_by=actor(acting_user),
                )
            )
            open_now.add((person.pk, kind))
    Application.objects.bulk_create(made)
    ApplicationStep.objects.bulk_create(
        [
            ApplicationStep(
                application=a,
                step=step,
                passed=True,
                note=_("按已审定名单录入"),
                by=actor(acting_user),
                at=now,
            )
            for a in made
            for step in (Step.SUBMIT, Step.TOWN, Step.CDPF, Step.MCA)
        ]
    )
    return made
