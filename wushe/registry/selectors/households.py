"""Reads of households: named by their heads, their members, tags and changes, the list and
the picker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Prefetch, QuerySet, When, prefetch_related_objects

from wushe.core.models import Region
from wushe.core.scoping import get_visible_or_404

from ..models import (
    Household,
    HouseholdChange,
    HouseholdTag,
    LedgerColour,
    Person,
    PersonStatus,
    PersonTag,
    Relation,
)
from .base import (
    LIST_DEFER,
    certificates_valid,
    colour_map,
    is_sensitive_query,
)
from .persons import search_persons, with_current_certificates

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def get_household_for_user(*, user: AnyUser, pk: int | str) -> Household:
    qs = Household.objects.select_related("region", "region__parent").prefetch_related(
        Prefetch("members", queryset=Person.objects.defer(*LIST_DEFER).order_by(*MEMBER_ORDER))
    )
    return get_visible_or_404(qs, user, pk=pk)


# ---- households: named by their heads ----------------------------------------------------------

# a household's members: the head first, then the others from the eldest
MEMBER_ORDER = (Case(When(relation_to_head=Relation.HEAD, then=0), default=1), "birth_date", "id")
_HEAD_ONLY = ("id", "name", "household_id", "relation_to_head", "status", "id_masked")


def heads_prefetch(lookup: str = "") -> Prefetch[Any]:
    """Prefetch the heads of the households at ``lookup`` (``household``; ``""`` for a queryset
    of households) into ``heads``, which ``Household.head``, ``.name`` and ``str()`` read: a list
    names its households in one query, whatever its length."""
    path = f"{lookup}__members" if lookup else "members"
    return Prefetch(
        path,
        queryset=Person.objects.filter(relation_to_head=Relation.HEAD).only(*_HEAD_ONLY).order_by("id"),
        to_attr="heads",
    )


def named_households(lookup: str) -> list[Any]:
    """The prefetches that name the households at ``lookup`` (``household``): their heads and
    regions, two queries for a page of records, whatever its length."""
    return [f"{lookup}__region", heads_prefetch(lookup)]


def with_heads(households: list[Household]) -> list[Household]:
    """Load the heads of a page of households (one query) so that naming them asks nothing more."""
    prefetch_related_objects(households, heads_prefetch())
    return households


def household_members(*, user: AnyUser, household: Household) -> list[Person]:
    """The members of a household the user may see, the head first, each with its certificate in
    force and ledger colour (three queries, read once per household and user)."""
    cached = getattr(household, "_visible_members", None)
    if cached is not None and cached[0] == getattr(user, "pk", None):
        return list(cached[1])
    members = with_current_certificates(
        list(
            Person.objects.visible_to(user)
            .filter(household=household)
            .defer(*LIST_DEFER)
            .order_by(*MEMBER_ORDER)
        )
    )
    household.heads = [m for m in members if m.relation_to_head == Relation.HEAD]
    household._visible_members = (getattr(user, "pk", None), members)  # type: ignore[attr-defined]
    return list(members)


def household_tag_rows(*, user: AnyUser, household_id: int) -> list[HouseholdTag]:
    """A household's tags, those in force first, then the ended ones (newest first)."""
    rows = HouseholdTag.objects.visible_to(user).filter(household_id=household_id).select_related("tag")
    return sorted(rows, key=lambda r: (r.valid_to is not None, -r.valid_from.toordinal()))


def member_open_tags(*, user: AnyUser, household: Household) -> list[tuple[Person, list[str]]]:
    """Each member's tags in force (one query): which of them is 低保, 残疾人 …"""
    rows = (
        PersonTag.objects.visible_to(user)
        .filter(person__household=household, valid_to__isnull=True)
        .select_related("tag", "person")
        .only("person", "tag", "tag__name", "tag__sort", "person__name", "person__name_pinyin")
        .order_by("person__name_pinyin", "person_id", "tag__sort")
    )
    grouped: dict[int, tuple[Person, list[str]]] = {}
    for row in rows:
        grouped.setdefault(row.person_id, (row.person, []))[1].append(row.tag.name)
    return list(grouped.values())


@dataclass
class HouseholdFilters:
    """The one filter definition of the household list (page, export and API): the head's name or
    pinyin, a region, and whether households without a registered member are left out."""

    q: str = ""
    region: Region | None = None
    active_only: bool = False  # only households with a registered (在册) member


def household_list(*, user: AnyUser, filters: HouseholdFilters | None = None) -> QuerySet[Household]:
    """Households in scope with a registered member, newest first, their heads prefetched; by the
    head's name or pinyin (an ID or phone number finds nobody here: it searches in a POST)."""
    f = filters or HouseholdFilters()
    qs = Household.objects.visible_to(user).select_related("region", "region__parent")
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.active_only:
        qs = qs.filter(active_members__gt=0)
    if f.q:
        if is_sensitive_query(f.q):
            return qs.none()
        heads = search_persons(Person.objects.filter(relation_to_head=Relation.HEAD), f.q)
        qs = qs.filter(id__in=heads.values("household_id"))
    return qs.prefetch_related(heads_prefetch()).order_by("-id")


def household_pick(*, user: AnyUser, q: str, limit: int = 10) -> list[Household]:
    """Households a worker may pick (to join or move into), by the head's name or pinyin."""
    if not (q or "").strip():
        return []
    return list(household_list(user=user, filters=HouseholdFilters(q=q.strip()[:60]))[:limit])


def household_changes(*, household: Household, limit: int = 20) -> list[HouseholdChange]:
    """The latest changes of a household's members (who, what, when, by whom; two queries)."""
    return list(
        household.changes.select_related("person", "by", "other", "other__region")
        .defer(*(f"person__{f}" for f in LIST_DEFER))
        .prefetch_related(heads_prefetch("other"))
        .order_by("-on", "-id")[:limit]
    )


def household_colours(household_ids: Sequence[int]) -> dict[int, list[str]]:
    """The ledger colours of these households: each household's registered members' certificates
    in force, by colour (``LedgerColour`` order), one query whatever the number of households."""
    mapping = colour_map()
    order = {c.value: i for i, c in enumerate(LedgerColour)}
    rows = (
        certificates_valid(None)
        .filter(person__household_id__in=list(household_ids), person__status=PersonStatus.ACTIVE)
        .values_list("person__household_id", "category")
        .distinct()
    )
    found: dict[int, set[str]] = {}
    for household_id, category in rows:
        if category in mapping:
            found.setdefault(household_id, set()).add(mapping[category])
    return {pk: sorted(colours, key=order.__getitem__) for pk, colours in found.items()}
