"""Editing a need's recorded fields — its category, text, urgency, dates and the person
answering for it — by those who may record needs in its region, with the change history naming
who and why. Its status and its steps move only through ``services.need_advance`` and the
referral (``services.need_accept``): an edit never changes them."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core import checks
from wushe.core.history import record_actor
from wushe.core.permissions import require_perm, require_region_in_scope

from .models import Need, NeedCategory, Urgency
from .selectors import category_resolve

EDITABLE = ("category", "description", "urgency", "reported_on", "responsible_person", "deadline")


def need_values(need: Need) -> dict[str, Any]:
    return {f: getattr(need, f) for f in EDITABLE}


@transaction.atomic
def need_update(
    *,
    acting_user: Any,
    need: Need,
    reason: str,
    category: NeedCategory | str | None = None,
    description: str | None = None,
    urgency: str | None = None,
    reported_on: datetime.date | None = None,
    responsible_person: str | None = None,
    deadline: datetime.date | None = None,
) -> Need:
    """Correct the recorded fields given (``None``: unchanged); ``reason`` goes into the history."""
    require_perm(acting_user, RECORD_OUTREACH)
    need = Need.objects.select_for_update(of=("self",)).select_related("region", "category").get(pk=need.pk)
    require_region_in_scope(acting_user, need.region)
    reason = checks.text(reason, "reason", max_length=100, required=True)
    if category is not None:
        need.category = category_resolve(category)
    if description is not None:
        need.description = checks.text(description, "description", max_length=300, required=True)
    if urgency is not None:
        if urgency not in Urgency.values:
            raise ValidationError({"urgency": _("未知的紧急程度：%(u)s") % {"u": urgency}})
        need.urgency = urgency
    if reported_on is not None:
        if reported_on > timezone.localdate():
            raise ValidationError({"reported_on": _("登记日期不能晚于今天")})
        need.reported_on = reported_on
    if responsible_person is not None:
        need.responsible_person = checks.text(responsible_person, "responsible_person", max_length=50)
    if deadline is not None:
        need.deadline = deadline
    if need.deadline < need.reported_on:
        raise ValidationError({"deadline": _("办结期限不能早于登记日期")})
    before = Need.objects.get(pk=need.pk)
    changed = [f for f in EDITABLE if getattr(need, f) != getattr(before, f)]
    if changed:
        record_actor(need, user=acting_user)
        need._change_reason = reason  # type: ignore[attr-defined]  # django-simple-history
        need.save(update_fields=changed)
    return need
