"""Households: open one, add a member, move a member to another household, name a new head,
change a member's relation, record a member leaving; count the registered members again; and put
a ledger's persons into their heads' households in bulk (户主身份证号 / 与户主关系).

Every change of members is written twice: the persons' (and households') change history
(django-simple-history, naming who acted) and one ``HouseholdChange`` row — what happened, when,
why and by whom — which the household's page lists."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_PERSONS
from wushe.core import checks
from wushe.core.bulk import chunked
from wushe.core.history import actor, record_actor, save_as
from wushe.core.models import Region
from wushe.core.permissions import require_perm, require_region_in_scope

from ..models import Household, HouseholdChange, HouseholdChangeKind, Person, PersonStatus, Relation

if TYPE_CHECKING:
    from wushe.accounts.models import User


def household_count_members(household_ids: Iterable[int | None]) -> None:
    """Count again the registered members of these households (``Household.active_members``):
    every write that adds a person to a household, takes one out or deregisters one calls it, in
    its transaction, so that the count is always that of the persons."""
    ids = sorted({pk for pk in household_ids if pk})
    active = (
        Person.objects.filter(household=OuterRef("pk"), status=PersonStatus.ACTIVE)
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    for chunk in chunked(ids):
        Household.objects.filter(pk__in=chunk).update(active_members=Coalesce(Subquery(active), Value(0)))


@dataclass(frozen=True, slots=True)
class _When:
    """The day and the note of a change, checked before anything is written."""

    day: datetime.date
    note: str


def _when(on: datetime.date | None, note: str, *, required: Any = None) -> _When:
    day = on or timezone.localdate()
    checks.not_future(day, "on")
    return _When(day, checks.text(note, "note", max_length=200, required=bool(required), message=required))


def _may_change(acting_user: User | None, household: Household) -> None:
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, household.region)


def _relation(relation: str) -> str:
    if relation not in Relation.values or relation == Relation.HEAD:
        raise ValidationError({"relation": _("与户主关系无效")})
    return relation


def _record(
    acting_user: User | None, person: Person, household: Household, kind: str, when: _When, other: Any
) -> None:
    HouseholdChange.objects.create(
        household=household,
        person=person,
        kind=kind,
        relation=person.relation_to_head,
        other=other,
        on=when.day,
        note=when.note,
        by=actor(acting_user),
    )


def _join(
    acting_user: User | None,
    person: Person,
    household: Household,
    relation: str,
    kind: str,
    when: _When,
    other: Household | None = None,
) -> None:
    """``person`` is (now) in ``household`` with ``relation``: saved with its history, recorded."""
    person.household, person.relation_to_head = household, relation
    record_actor(person, user=acting_user)
    person.save(update_fields=["household", "relation_to_head", "updated_at"])
    _record(acting_user, person, household, kind, when, other)


def _leave(
    acting_user: User | None, person: Person, kind: str, when: _When, other: Household | None = None
) -> Household:
    """``person`` leaves its household: recorded (with the relation it had), then saved."""
    household = person.household
    assert household is not None
    _record(acting_user, person, household, kind, when, other)
    person.household, person.relation_to_head = None, ""
    record_actor(person, user=acting_user)
    person.save(update_fields=["household", "relation_to_head", "updated_at"])
    return household


def _others(household: Household, person: Person) -> bool:
    """Whether registered members other than ``person`` remain in ``household``."""
    return (
        Person.objects.filter(household=household, status=PersonStatus.ACTIVE).exclude(pk=person.pk).exists()
    )


@transaction.atomic
def household_create(
    *,
    acting_user: User | None,
    head: Person,
    address: str = "",
    on: datetime.date | None = None,
    note: str = "",
) -> Household:
    """Open a household with ``head`` as 户主, in the head's region."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, head.region)
    if head.household_id:
        raise ValidationError({"head": _("该居民已属于一户")})
    if head.status != PersonStatus.ACTIVE:
        raise ValidationError({"head": _("该居民已不在册，不能作为户主")})
    when = _when(on, note)
    household = save_as(
        Household(region=head.region, address=(address or head.address).strip()[:200]), user=acting_user
    )
    _join(acting_user, head, household, Relation.HEAD, HouseholdChangeKind.CREATED, when)
    household_count_members([household.pk])
    household.refresh_from_db(fields=["active_members"])
    return household


@transaction.atomic
def household_add_member(
    *,
    acting_user: User | None,
    household: Household,
    person: Person,
    relation: str,
    on: datetime.date | None = None,
    note: str = "",
) -> Person:
    """Add a registered person who belongs to no household (one who does moves: see
    :func:`household_move_member`)."""
    _may_change(acting_user, household)
    _relation(relation)
    if person.household_id and person.household_id != household.pk:
        raise ValidationError({"person": _("该居民已属于另一户")})
    if person.household_id == household.pk:
        raise ValidationError({"person": _("该居民已是本户成员")})
    if person.region_id != household.region_id:
        raise ValidationError({"person": _("户成员须与户属于同一区域")})
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"person": _("该居民已不在册，不能入户")})
    _join(acting_user, person, household, relation, HouseholdChangeKind.JOINED, _when(on, note))
    household_count_members([household.pk])
    return person


@transaction.atomic
def household_move_member(
    *,
    acting_user: User | None,
    person: Person,
    household: Household,
    relation: str,
    on: datetime.date | None = None,
    note: str = "",
) -> Person:
    """Move a member of one household into another (``household``) with its relation to that
    household's head. A head who leaves members behind names a new head first. A household
    lives in one community or grid: a member moving into one elsewhere moves there too."""
    old = person.household
    if old is None:
        raise ValidationError({"person": _("该居民不属于任何户，请直接添加为成员")})
    _may_change(acting_user, old)
    _may_change(acting_user, household)
    _relation(relation)
    if old.pk == household.pk:
        raise ValidationError({"household": _("该居民已是本户成员")})
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"person": _("该居民已不在册，不能迁户")})
    if person.relation_to_head == Relation.HEAD and _others(old, person):
        raise ValidationError({"person": _("该居民是原户户主：请先为原户指定新户主")})
    when = _when(on, note)
    _leave(acting_user, person, HouseholdChangeKind.MOVED_OUT, when, other=household)
    if person.region_id != household.region_id:
        from .persons import person_move

        person_move(acting_user=acting_user, person=person, region=household.region)
    _join(acting_user, person, household, relation, HouseholdChangeKind.MOVED_IN, when, other=old)
    household_count_members([old.pk, household.pk])
    return person


@transaction.atomic
def household_change_head(
    *,
    acting_user: User | None,
    household: Household,
    head: Person,
    former_head_relation: str = Relation.OTHER,
    on: datetime.date | None = None,
    note: str = "",
) -> Household:
    """Name another registered member 户主; the former head stays a member with
    ``former_head_relation``. The others' relations are to the head: correct them with
    :func:`household_set_relation` where they change."""
    _may_change(acting_user, household)
    if head.household_id != household.pk:
        raise ValidationError({"head": _("新户主须是本户成员")})
    if head.relation_to_head == Relation.HEAD:
        raise ValidationError({"head": _("该居民已是户主")})
    if head.status != PersonStatus.ACTIVE:
        raise ValidationError({"head": _("该居民已不在册，不能作为户主")})
    _relation(former_head_relation)
    when = _when(on, note)
    for former in Person.objects.filter(household=household, relation_to_head=Relation.HEAD):
        _join(acting_user, former, household, former_head_relation, HouseholdChangeKind.RELATION, when)
    _join(acting_user, head, household, Relation.HEAD, HouseholdChangeKind.HEAD, when)
    household.__dict__.pop("heads", None)
    return household


@transaction.atomic
def household_set_relation(
    *,
    acting_user: User | None,
    person: Person,
    relation: str,
    on: datetime.date | None = None,
    note: str = "",
) -> Person:
    """Correct a member's relation to the head (the head itself changes with
    :func:`household_change_head`)."""
    household = person.household
    if household is None:
        raise ValidationError({"person": _("该居民不属于任何户")})
    _may_change(acting_user, household)
    _relation(relation)
    if person.relation_to_head == Relation.HEAD:
        raise ValidationError({"relation": _("户主的关系请通过变更户主修改")})
    if person.relation_to_head != relation:
        _join(acting_user, person, household, relation, HouseholdChangeKind.RELATION, _when(on, note))
    return person


@transaction.atomic
def household_remove_member(
    *,
    acting_user: User | None,
    person: Person,
    note: str,
    on: datetime.date | None = None,
) -> Person:
    """Record a member leaving the household (分户, 投靠他处 …) with the reason; the person stays
    registered without a household. A head who leaves members behind names a new head first.
    (迁出 and 死亡 are the person's deregistration, not this.)"""
    household = person.household
    if household is None:
        raise ValidationError({"person": _("该居民不属于任何户")})
    _may_change(acting_user, household)
    when = _when(on, note, required=_("请填写离户原因"))
    if person.relation_to_head == Relation.HEAD and _others(household, person):
        raise ValidationError({"person": _("该居民是户主：请先为本户指定新户主")})
    _leave(acting_user, person, HouseholdChangeKind.LEFT, when)
    household_count_members([household.pk])
    return person


@dataclass(slots=True)
class HouseholdLink:
    """``member`` belongs to the household headed by ``head`` (both ID hashes; the same hash
    for the head's own row) with ``relation``; ``key`` is the caller's reference (a row number)."""

    member: str
    head: str
    relation: str
    key: Any = None


@transaction.atomic
def household_bulk_link(
    *, acting_user: User | None, links: Sequence[HouseholdLink], change_reason: str = ""
) -> dict[Any, str]:
    """Put registered persons into their head's household, opening it for a head who has none.

    Links that already hold change nothing (a ledger imported twice). A link that cannot be made
    is left out and comes back as ``{key: reason}``: the head not registered (or not active), a
    member registered in another region than the head's household (a household lives in one
    community or grid), a member already in another household, a head who is a member of
    another household. Everything else is written with its history in one transaction.
    """
    require_perm(acting_user, MANAGE_PERSONS)
    if not links:
        return {}
    hashes = list({h for link in links for h in (link.member, link.head)})
    persons: dict[str, Person] = {}
    for chunk in chunked(hashes):
        for person in Person.objects.filter(id_hash__in=chunk).only(
            "id", "id_hash", "name", "region_id", "household_id", "relation_to_head", "status", "address"
        ):
            persons[person.id_hash] = person
    if acting_user is not None:
        region_ids = {p.region_id for p in persons.values()}
        visible = set(
            Region.objects.visible_to(acting_user).filter(pk__in=region_ids).values_list("pk", flat=True)
        )
        if visible != region_ids:
            raise ValidationError({"region": _("该区域不在您的管辖范围内")})
    failures: dict[Any, str] = {}
    household_region: dict[int, int] = dict(
        Household.objects.filter(
            pk__in={p.household_id for p in persons.values() if p.household_id}
        ).values_list("pk", "region_id")
    )
    # 1. which links can be made: the household is the head's (or the one the head will open,
    # in the head's region)
    made: list[tuple[HouseholdLink, Person, Person]] = []
    for link in links:
        head, member = persons.get(link.head), persons.get(link.member)
        if head is None or head.status != PersonStatus.ACTIVE:
            failures[link.key] = _("户主未在登记库中登记（或已不在册），未能入户")
        elif head.household_id and head.relation_to_head != Relation.HEAD:
            failures[link.key] = _("户主“%(n)s”是另一户的成员，未能入户") % {"n": head.name}
        elif member is None:
            failures[link.key] = _("本行居民未登记，未能入户")
        elif member is head:
            made.append((link, head, member))
        elif member.household_id and member.household_id != head.household_id:
            failures[link.key] = _("该居民已属于另一户，未能入户：请先在居民档案中移出原户")
        elif member.region_id != household_region.get(head.household_id or 0, head.region_id):
            failures[link.key] = _("与户主“%(n)s”不在同一社区/网格，未能入户") % {"n": head.name}
        else:
            made.append((link, head, member))
    # 2. every head of a link made heads a household (a new one when the head has none)
    opened: dict[int, Household] = {}
    for _link, head, _member in made:
        if not head.household_id and head.pk not in opened:
            opened[head.pk] = Household(region_id=head.region_id, address=head.address[:200])
    changed: dict[int, Person] = {}
    kinds: dict[int, str] = {}  # what each changed person's HouseholdChange row records
    if opened:
        created = Household.objects.bulk_create(list(opened.values()))
        Household.history.bulk_history_create(
            created, default_user=actor(acting_user), default_change_reason=change_reason[:100]
        )
        heads = {p.pk: p for _l, p, _m in made}
        for head_pk, household in opened.items():
            head = heads[head_pk]
            head.household_id, head.relation_to_head = household.pk, Relation.HEAD
            changed[head.pk] = head
            kinds[head.pk] = HouseholdChangeKind.CREATED
    # 3. members join (a head's own row only confirms the head)
    for link, head, member in made:
        if member is head:
            continue
        relation = link.relation if link.relation and link.relation != Relation.HEAD else Relation.OTHER
        if member.household_id == head.household_id and member.relation_to_head == relation:
            continue
        joined = member.household_id != head.household_id
        member.household_id, member.relation_to_head = head.household_id, relation
        changed[member.pk] = member
        kinds[member.pk] = HouseholdChangeKind.JOINED if joined else HouseholdChangeKind.RELATION
    if changed:
        now = timezone.now()
        objs = list(changed.values())
        for person in objs:
            person.updated_at = now
            record_actor(person, user=acting_user)
        Person.objects.bulk_update(objs, ["household", "relation_to_head", "updated_at"], batch_size=500)
        household_count_members(p.household_id for p in objs)
        full = [p for chunk in chunked([p.pk for p in objs]) for p in Person.objects.filter(pk__in=chunk)]
        Person.history.bulk_history_create(
            full,
            update=True,
            default_user=actor(acting_user),
            default_change_reason=change_reason[:100],
            default_date=now,
        )
        day, by = timezone.localdate(), actor(acting_user)
        HouseholdChange.objects.bulk_create(
            [
                HouseholdChange(
                    household_id=p.household_id or 0,
                    person_id=p.pk,
                    kind=kinds[p.pk],
                    relation=p.relation_to_head,
                    on=day,
                    note=change_reason[:200],
                    by=by,
                )
                for p in objs
                if p.household_id is not None  # every person changed here joined one
            ],
            batch_size=500,
        )
    return failures
