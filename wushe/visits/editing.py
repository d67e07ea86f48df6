"""Editing a recorded visit: the six parts of 五门一声 as recorded (date, channel, what was done,
said and found), corrected by those who may record visits in the visit's region, with the
change history naming who and why. The subject (household, person) and the needs and problems
found stay as they are: those are corrected on their own pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core import checks
from wushe.core.history import record_actor
from wushe.core.permissions import require_perm, require_region_in_scope

from .models import Visit
from .services import VisitInput, _clean, household_visit_days

# the recorded fields an edit may change (VisitInput's, less the subject, workers and findings)
EDITABLE = (
    "visited_on",
    "channel",
    "volunteers",
    "reached",
    "not_reached_reason",
    "services_done",
    "services_note",
    "policies_explained",
    "policies_note",
    "leaflets",
    "emotional_support",
    "mood",
    "key_problem",
    "plan",
    "resident_words",
)


def visit_values(visit: Visit) -> dict[str, Any]:
    """The visit's editable fields as they are (a form's initial values, the API's defaults)."""
    return {f: getattr(visit, f) for f in EDITABLE}


@transaction.atomic
def visit_update(*, acting_user: Any, visit: Visit, reason: str, **changes: Any) -> Visit:
    """Correct a visit's recorded fields (those of ``EDITABLE`` given in ``changes``), checked
    as a new visit is; ``reason`` goes into the change history with the actor."""
    require_perm(acting_user, RECORD_OUTREACH)
    visit = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("household", "person", "region")
        .get(pk=visit.pk)
    )
    require_region_in_scope(acting_user, visit.region)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    reason = checks.text(reason, "reason", max_length=100, required=True)
    values = visit_values(visit) | changes
    checked = _clean(VisitInput(household=visit.household, person=visit.person, **values), acting_user)
    changed = [f for f in EDITABLE if getattr(checked, f) != getattr(visit, f)]
    if not changed:
        return visit
    for f in changed:
        setattr(visit, f, getattr(checked, f))
    record_actor(visit, user=acting_user)
    visit._change_reason = reason  # type: ignore[attr-defined]  # django-simple-history
    visit.save(update_fields=changed)
    if "visited_on" in changed:
        household_visit_days([visit.household_id])
    return visit
