"""Every write of 政策找人 (keyword-only, ``acting_user``, checked, in a transaction): the catalogue
(through the settings section's own save, so a rule is checked wherever it is saved), a policy
put into effect for a person and its revocation, and the runs of the 政策找人 task."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core.checks import not_future, require_visible, text, today
from wushe.core.config import CONFIGURE, section_for
from wushe.core.history import actor, record_actor, record_reason
from wushe.core.permissions import require_perm
from wushe.core.rules import Outcome, rule_evaluate_many
from wushe.core.services import config_save
from wushe.registry.facts import person_facts_many
from wushe.registry.household_tags import valid_on
from wushe.registry.models import HouseholdTag, Person, PersonStatus, PersonTag

from . import engine
from .models import Policy, PolicyApplication, PolicyMatch, PolicyRun, PolicyRunResult, RunStatus

logger = logging.getLogger(__name__)

POLICY_FIELDS = (
    "name",
    "department",
    "benefit",
    "legal_basis",
    "how_to_apply",
    "rule",
    "receipt_tag",
    "active",
    "sort",
)
BATCH = 500


# ---- the catalogue ----------------------------------------------------------------------------


def policy_save(
    *, acting_user: User | None, data: dict[str, Any], policy: Policy | None = None, request: Any = None
) -> Policy:
    """Add or change a policy (the settings page and the API alike): ``CONFIGURE``, every field
    checked by the model (a rule that does not parse is an error naming ``rule``), audited."""
    section = section_for("policies")
    if section is None:  # config.py not loaded: the app is not installed
        raise RuntimeError("the policies settings section is not registered")
    require_perm(acting_user, CONFIGURE)
    saved = config_save(acting_user=acting_user, section=section, data=data, instance=policy, request=request)
    assert isinstance(saved, Policy)
    return saved


# ---- 落实 --------------------------------------------------------------------------------------


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise ValidationError({"amount": _("金额须为精确的小数（元）")})
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("请填写正确的金额（元）")}) from None
    if amount < 0:
        raise ValidationError({"amount": _("金额不能为负数")})
    if amount >= Decimal("1e10"):
        raise ValidationError({"amount": _("金额过大")})
    return amount


@transaction.atomic
def application_record(
    *,
    acting_user: User | None,
    policy: Policy,
    person: Person,
    applied_on: datetime.date,
    benefit: str = "",
    amount: Any = None,
    note: str = "",
) -> PolicyApplication:
    """A policy put into effect for a person (落实): who recorded it, the day, what was given.
    The person leaves the policy's 应享未享 list at once."""
    require_perm(acting_user, RECORD_OUTREACH)
    require_visible(acting_user, person, "person")
    if not policy.active:
        raise ValidationError({"policy": _("该政策已停用")})
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"person": _("只能为在册居民登记政策落实")})
    if applied_on is None:
        raise ValidationError({"applied_on": _("请填写落实日期")})
    not_future(applied_on, "applied_on")
    benefit = text(benefit, "benefit", max_length=200) or policy.benefit or policy.name
    application = PolicyApplication(
        policy=policy,
        person=person,
        household_id=person.household_id,
        region_id=person.region_id,
        applied_on=applied_on,
        benefit=benefit[:200],
        amount=_amount(amount),
        note=text(note, "note", max_length=200),
        applied_by=actor(acting_user),
    )
    record_actor(application, user=acting_user)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError({"applied_on": _("当天已为此人登记落实该政策")}) from None
    return application


@transaction.atomic
def application_revoke(
    *, acting_user: User | None, application: PolicyApplication, reason: str
) -> PolicyApplication:
    """Withdraw an application recorded in error (who, when, why); it no longer counts."""
    require_perm(acting_user, RECORD_OUTREACH)
    require_visible(acting_user, application, "application")
    reason = text(reason, "reason", max_length=200, required=True, message=_("请填写撤销理由"))
    application = PolicyApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.revoked_at is not None:
        raise ValidationError({"reason": _("该记录已撤销")})
    application.revoked_at = timezone.now()
    application.revoked_by = actor(acting_user)
    application.revoke_reason = reason
    record_actor(application, user=acting_user)
    record_reason(application, reason=reason)
    application.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return application


# ---- 政策找人: the background run -------------------------------------------------------------


@transaction.atomic
def run_request(*, acting_user: User | None, policy: Policy | None = None) -> PolicyRun:
    """Queue a run of 政策找人 (one policy, or every active one) as of today."""
    require_perm(acting_user, RECORD_OUTREACH)
    if policy is not None and not policy.active:
        raise ValidationError({"policy": _("该政策已停用")})
    run = PolicyRun.objects.create(policy=policy, as_of=today(), requested_by=actor(acting_user))
    transaction.on_commit(lambda: _enqueue(run))
    return run


def _enqueue(run: PolicyRun) -> None:
    from .tasks import find_people

    result = find_people.enqueue(run.pk)
    PolicyRun.objects.filter(pk=run.pk).update(task_id=str(getattr(result, "id", ""))[:64])


def _receiving(policy: Policy, person_ids: list[int], on: datetime.date) -> set[int]:
    """Of ``person_ids``, those who receive the policy on ``on``: it was put into effect for them
    (and not revoked), or they or their household carry its receipt tag."""
    q = Q(
        Exists(
            PolicyApplication.objects.filter(policy=policy, person=OuterRef("pk"), revoked_at__isnull=True)
        )
    )
    if policy.receipt_tag:
        q |= Q(
            Exists(
                PersonTag.objects.filter(valid_on(on), person=OuterRef("pk"), tag__code=policy.receipt_tag)
            )
        )
        q |= Q(
            Exists(
                HouseholdTag.objects.filter(
                    valid_on(on), household=OuterRef("household"), tag__code=policy.receipt_tag
                )
            )
        )
    return set(Person.objects.filter(pk__in=person_ids).filter(q).values_list("pk", flat=True))


def evaluate_policy(policy: Policy, on: datetime.date, run: PolicyRun) -> PolicyRunResult:
    """Narrow the people in SQL with the rule's prefilters, evaluate the rule over the rest in
    batches, and store who qualifies (whether they receive it, and the facts that decided)."""
    rule = engine.policy_rule(policy, on)
    people = Person.objects.only(
        "pk", "region_id", "household_id", "birth_date", "sex", "status", "status_changed_on"
    )
    result = PolicyRunResult(run=run, policy=policy, rule=policy.rule)
    qualifying: list[tuple[Person, dict[str, Any]]] = []
    last_pk = None

    def flush() -> None:
        if not qualifying:
            return
        receiving = _receiving(policy, [p.pk for p, _f in qualifying], on)
        PolicyMatch.objects.bulk_create(
            [
                PolicyMatch(
                    run=run,
                    policy=policy,
                    person_id=p.pk,
                    household_id=p.household_id,
                    region_id=p.region_id,
                    receiving=p.pk in receiving,
                    facts=engine.facts_json(reasons),
                )
                for p, reasons in qualifying
            ],
            batch_size=BATCH,
        )
        result.receiving += len(receiving)
        qualifying.clear()

    for person, outcome in rule_evaluate_many(
        rule, people, lambda rows: person_facts_many(rows, on=on), batch_size=BATCH
    ):
        if person.pk != last_pk:
            result.candidates += 1
            last_pk = person.pk
        if outcome.outcome == Outcome.SATISFIED:
            result.qualified += 1
            qualifying.append((person, engine.referenced(policy.rule, outcome.facts)))
            if len(qualifying) >= BATCH:
                flush()
        elif outcome.outcome == Outcome.ERROR:
            result.undecided += 1
    flush()
    result.save()
    return result


def run_execute(*, run_id: int) -> PolicyRun:
    """The task's work: evaluate each policy of the run, keep the newest matches only."""
    updated = PolicyRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    run = PolicyRun.objects.select_related("policy").get(pk=run_id)
    if not updated:
        return run  # already run (a task delivered twice)
    policies = [run.policy] if run.policy is not None else list(Policy.objects.filter(active=True))
    try:
        with transaction.atomic():
            results = [evaluate_policy(p, run.as_of, run) for p in policies]
            PolicyMatch.objects.filter(policy__in=policies).exclude(run=run).delete()
            run.status = RunStatus.DONE
            run.finished_at = timezone.now()
            run.message = _("计算了%(p)s项政策") % {"p": len(results)}
            run.save(update_fields=["status", "finished_at", "message"])
    except Exception as exc:
        logger.exception("policy run %s failed", run_id)
        PolicyRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            message=str(exc)[:300] or exc.__class__.__name__,
        )
        raise
    return run
