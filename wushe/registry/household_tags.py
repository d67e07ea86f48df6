"""Household-level facts: the tags a household carries (低保, 特困, 脱贫户 …), with their history.

A tag such as 低保 is granted to a household as well as to its members; the registry keeps both
(``PersonTag`` and ``HouseholdTag``). The writes here follow ``services.py``'s rules (keyword-
only, the acting user checked for the capability and the household's region, atomic, the history
row naming who acted); :func:`household_tags_on` is the scoped read. Kept apart from
``services.py`` so that the areas built on it (subsidies, poverty work, policies) find it in one
place; the facts the rule engine reads (``registry.facts``) include these tags.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_PERSONS
from wushe.core.history import record_actor
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.scoping import get_visible_or_404

from .models import Household, HouseholdTag, Tag

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def _tags_by_code(codes: Iterable[str]) -> list[Tag]:
    wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    found = {t.code: t for t in Tag.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise ValidationError({"tags": _("未知的人员类别：%(t)s") % {"t": "、".join(unknown)}})
    return [found[c] for c in wanted]


def _acted(row: HouseholdTag, acting_user: User | None) -> HouseholdTag:
    record_actor(row, user=acting_user)
    return row


@transaction.atomic
def household_tags_set(
    *,
    acting_user: User | None,
    household: Household,
    tags: Iterable[str],
    on: datetime.date | None = None,
    note: str = "",
) -> list[HouseholdTag]:
    """Make the household's open tags exactly ``tags`` (tag codes) from ``on`` (today by default):
    the others end that day, the new ones open; a tag opened the same day and dropped again
    leaves nothing. Returns the open tags."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, household.region, field="household")
    wanted = {t.pk: t for t in _tags_by_code(tags)}
    today = timezone.localdate()
    day = on or today
    if day > today:
        raise ValidationError({"on": _("日期不能晚于今天")})
    # the household's row lock: two concurrent settings of its tags wait for each other
    Household.objects.select_for_update().filter(pk=household.pk).first()
    for row in HouseholdTag.objects.filter(household=household, valid_to__isnull=True):
        if row.tag_id in wanted:
            wanted.pop(row.tag_id)
        elif row.valid_from < day:
            row.valid_to = day
            _acted(row, acting_user).save(update_fields=["valid_to"])
        else:
            _acted(row, acting_user).delete()  # opened that day by mistake: nothing to keep
    for tag in wanted.values():
        if HouseholdTag.objects.filter(household=household, tag=tag, valid_to__gt=day).exists():
            raise ValidationError({"on": _("该户的“%(t)s”在此日期之后已有记录") % {"t": tag.label}})
        _acted(
            HouseholdTag(household=household, tag=tag, valid_from=day, note=note.strip()[:200]), acting_user
        ).save()
    return list(HouseholdTag.objects.filter(household=household, valid_to__isnull=True).select_related("tag"))


def valid_on(day: datetime.date, prefix: str = "") -> Q:
    """Rows (of ``prefix``: ``"household__tags__"`` …) valid on ``day``: from inclusive, to exclusive."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def household_tags_on(
    *, user: AnyUser, household_id: int, on: datetime.date | None = None, history: bool = False
) -> QuerySet[HouseholdTag]:
    """The tags of a household the user may see (404 otherwise): those valid ``on`` a day (today
    by default), or with ``history`` every row, newest first."""
    household = get_visible_or_404(Household.objects.all(), user, pk=household_id)
    rows = HouseholdTag.objects.visible_to(user).filter(household=household).select_related("tag")
    if history:
        return rows.order_by("-valid_from", "-id")
    return rows.filter(valid_on(on or timezone.localdate())).order_by("tag__sort", "tag__code")
