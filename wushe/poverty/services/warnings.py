"""Early warning (返贫预警): rules over the records raise warnings with their reason, for a social
worker to confirm (a lead, source 部门筛查预警) or dismiss. The rules run in the background
(``tasks.run_early_warning``), daily (``manage.py poverty_warnings``) and on demand, so no lower
app calls into this one. Each record warns once (``RiskWarning.key``).

The households watched: those monitored now, and those whose household or a member carries the
脱贫户 tag. The rules, over what happened in the last ``WUSHE_WARNING_LOOKBACK_DAYS`` (30):
- a disability certificate that starts in a member;
- a check recording a serious illness;
- a check whose per-person income is below the stable line (threshold + margin), or a month of
  monitored income below it;
- a check with a failed 三保障 item;
- the death of the household's main earner (the latest check's, else the head).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core import checks
from wushe.core.history import actor
from wushe.core.permissions import require_perm
from wushe.registry.household_tags import valid_on
from wushe.registry.models import (
    DisabilityCertificate,
    Household,
    HouseholdTag,
    Person,
    PersonStatus,
    PersonTag,
    Relation,
)

from ..config import lookback_days, stable_line
from ..models import (
    THREE_GUARANTEES,
    CheckItem,
    HouseholdCheck,
    Item,
    Lead,
    LeadSource,
    MonitoringObject,
    MonthlyIncome,
    ObjectStatus,
    RiskWarning,
    WarningRule,
    WarningRun,
    WarningStatus,
)
from .monitoring import lead_create

POOR_TAG = "tuopin"


def watched_households(day: datetime.date) -> Any:
    """The households the rules watch on ``day``: monitored, or 脱贫 (household or member tag)."""
    monitored = MonitoringObject.objects.filter(household=OuterRef("pk"), status=ObjectStatus.MONITORED)
    tagged = HouseholdTag.objects.filter(valid_on(day), household=OuterRef("pk"), tag__code=POOR_TAG)
    member = PersonTag.objects.filter(valid_on(day), person__household=OuterRef("pk"), tag__code=POOR_TAG)
    return Household.objects.filter(Q(Exists(monitored)) | Q(Exists(tagged)) | Q(Exists(member)))


def _raise(
    found: list[RiskWarning],
    *,
    household_id: int,
    region_id: int,
    rule: str,
    key: str,
    reason: str,
    day: datetime.date,
) -> None:
    found.append(
        RiskWarning(
            household_id=household_id,
            region_id=region_id,
            rule=rule,
            key=key,
            reason=reason[:300],
            raised_on=day,
        )
    )


def _certificates(day: datetime.date, since: datetime.date, watched: Any, found: list[RiskWarning]) -> None:
    for c in (
        DisabilityCertificate.objects.filter(
            valid_from__gte=since, valid_from__lte=day, person__household__in=watched
        )
        .select_related("person__household")
        .order_by("id")
    ):
        household = c.person.household
        assert household is not None
        _raise(
            found,
            household_id=household.pk,
            region_id=household.region_id,
            rule=WarningRule.CERTIFICATE,
            key=f"certificate:{c.pk}",
            reason=_("%(n)s新办%(c)s%(l)s残疾人证（%(d)s起）")
            % {
                "n": c.person.name,
                "c": c.get_category_display(),
                "l": c.get_level_display(),
                "d": c.valid_from,
            },
            day=day,
        )


def _checks(day: datetime.date, since: datetime.date, watched: Any, found: list[RiskWarning]) -> None:
    recent = HouseholdCheck.objects.filter(checked_on__gte=since, checked_on__lte=day, household__in=watched)
    for check in recent.filter(serious_illness=True).order_by("id"):
        _raise(
            found,
            household_id=check.household_id,
            region_id=check.region_id,
            rule=WarningRule.ILLNESS,
            key=f"illness:{check.pk}",
            reason=_("%(d)s入户核查：家中有人患重大疾病") % {"d": check.checked_on},
            day=day,
        )
    for check in recent.select_related("region").order_by("id"):
        line = stable_line(check.region, check.checked_on.year)
        if check.income_per_person < line:
            _raise(
                found,
                household_id=check.household_id,
                region_id=check.region_id,
                rule=WarningRule.INCOME,
                key=f"income:{check.pk}",
                reason=_("%(d)s入户核查：人均纯收入%(p)s元，低于稳定线%(l)s元")
                % {"d": check.checked_on, "p": check.income_per_person, "l": line},
                day=day,
            )
    for item in (
        CheckItem.objects.filter(check_record__in=recent, passed=False, item__in=THREE_GUARANTEES)
        .select_related("check_record")
        .order_by("id")
    ):
        check = item.check_record
        _raise(
            found,
            household_id=check.household_id,
            region_id=check.region_id,
            rule=WarningRule.ITEM,
            key=f"item:{item.pk}",
            reason=_("%(d)s入户核查：%(i)s未达标") % {"d": check.checked_on, "i": Item(item.item).label}
            + (f"（{item.finding}）" if item.finding else ""),
            day=day,
        )


def _incomes(day: datetime.date, since: datetime.date, found: list[RiskWarning]) -> None:
    for row in (
        MonthlyIncome.objects.filter(
            month__gte=since.replace(day=1), month__lte=day, monitored__status=ObjectStatus.MONITORED
        )
        .select_related("monitored__region")
        .order_by("id")
    ):
        line = stable_line(row.monitored.region, row.month.year) / 12
        if row.income_per_person < line:
            _raise(
                found,
                household_id=row.monitored.household_id,
                region_id=row.monitored.region_id,
                rule=WarningRule.INCOME,
                key=f"month:{row.pk}",
                reason=_("%(m)s人均收入%(p)s元，低于稳定线%(l)s元/月")
                % {
                    "m": f"{row.month:%Y-%m}",
                    "p": row.income_per_person,
                    "l": line.quantize(line.__class__("0.01")),
                },
                day=day,
            )


def _deaths(day: datetime.date, since: datetime.date, watched: Any, found: list[RiskWarning]) -> None:
    for person in (
        Person.objects.filter(
            status=PersonStatus.DECEASED,
            status_changed_on__gte=since,
            status_changed_on__lte=day,
            household__in=watched,
        )
        .select_related("household")
        .order_by("id")
    ):
        household = person.household
        assert household is not None
        latest = (
            HouseholdCheck.objects.filter(household=household, main_earner__isnull=False)
            .order_by("-checked_on", "-id")
            .values_list("main_earner_id", flat=True)
            .first()
        )
        earner = latest == person.pk if latest is not None else person.relation_to_head == Relation.HEAD
        if not earner:
            continue
        _raise(
            found,
            household_id=household.pk,
            region_id=household.region_id,
            rule=WarningRule.DEATH,
            key=f"death:{person.pk}",
            reason=_("主要劳动力%(n)s于%(d)s死亡") % {"n": person.name, "d": person.status_changed_on},
            day=day,
        )


def early_warning_run(*, on: datetime.date | None = None, requested_by: User | None = None) -> WarningRun:
    """Run every rule as of ``on`` (today); new warnings are saved, those raised before skipped."""
    day = on or timezone.localdate()
    since = day - datetime.timedelta(days=lookback_days())
    watched = watched_households(day)
    found: list[RiskWarning] = []
    _certificates(day, since, watched, found)
    _checks(day, since, watched, found)
    _incomes(day, since, found)
    _deaths(day, since, watched, found)
    known = set(RiskWarning.objects.filter(key__in=[w.key for w in found]).values_list("key", flat=True))
    new = [w for w in {w.key: w for w in found}.values() if w.key not in known]
    raised = 0
    for warning in new:
        try:
            with transaction.atomic():
                warning.save()
            raised += 1
        except IntegrityError:  # raised by a run at the same time
            continue
    return WarningRun.objects.create(on=day, raised=raised, requested_by=actor(requested_by))


def _open_warning(acting_user: User | None, warning: RiskWarning) -> RiskWarning:
    require_perm(acting_user, RECORD_OUTREACH)
    qs = RiskWarning.objects.select_for_update(of=("self",))
    locked = qs.get(pk=warning.pk)
    if (
        acting_user is not None
        and not RiskWarning.objects.visible_to(acting_user).filter(pk=warning.pk).exists()
    ):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("您没有执行此操作的权限"))
    if locked.status != WarningStatus.OPEN:
        raise ValidationError({"status": _("该预警已处理")})
    return locked


@transaction.atomic
def warning_confirm(
    *, acting_user: User | None, warning: RiskWarning, kind: str, risk_type: str, note: str = ""
) -> Lead:
    """Confirm a warning: it becomes a lead (部门筛查预警) with the warning's reason."""
    locked = _open_warning(acting_user, warning)
    lead = lead_create(
        acting_user=acting_user,
        household=locked.household,
        source=LeadSource.DEPARTMENT,
        kind=kind,
        risk_type=risk_type,
        reason=_("预警：%(r)s") % {"r": locked.reason},
    )
    locked.status, locked.lead = WarningStatus.CONFIRMED, lead
    locked.decided_by, locked.decided_at = actor(acting_user), timezone.now()
    locked.note = checks.text(note, "note", max_length=300)
    locked.save(update_fields=["status", "lead", "decided_by", "decided_at", "note"])
    return lead


@transaction.atomic
def warning_dismiss(*, acting_user: User | None, warning: RiskWarning, note: str) -> RiskWarning:
    """Dismiss a warning, saying why."""
    locked = _open_warning(acting_user, warning)
    locked.note = checks.text(note, "note", max_length=300, required=True)
    locked.status = WarningStatus.DISMISSED
    locked.decided_by, locked.decided_at = actor(acting_user), timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "note"])
    return locked
