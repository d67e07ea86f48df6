"""The facts the rule engine (``core.rules``) reads about a person and their household, as of a
day, and the SQL prefilters that narrow the people a rule is evaluated over.

``person_facts_many(persons, on=day)`` gives, per person::

    {"on": "2025-03-01",
     "person": {"id", "age", "sex", "status", "region_code", "region_codes" (the region and
                those above it), "tags" (codes valid that day), "has_certificate",
                "disability_category", "disability_level" (0 without a certificate valid that day)},
     "household": {"id" (0 without one), "tags" (codes valid that day), "members"}}

Areas above the registry add their own facts without the registry importing them: a provider
registered with :func:`register_facts` (in the area's ``AppConfig.ready``) returns, per person,
sections to merge — new keys in ``person`` or ``household`` (the poverty checks give
``household.income_per_person``), or a section of its own (``"employment": {...}``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from wushe.core.models import Region

from .household_tags import valid_on
from .models import DisabilityCertificate, HouseholdTag, Person, PersonStatus, PersonTag

# persons, day → {person pk: {section: {key: value}}}
FactProvider = Callable[[Sequence[Person], datetime.date], Mapping[int, Mapping[str, Mapping[str, Any]]]]
_PROVIDERS: dict[str, FactProvider] = {}


def register_facts(name: str, provider: FactProvider) -> None:
    """Add a provider of facts (once per name: registering a name again replaces it)."""
    _PROVIDERS[name] = provider


def unregister_facts(name: str) -> None:
    _PROVIDERS.pop(name, None)


def _age(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _status(person: Person, day: datetime.date) -> str:
    """The status on ``day``: a person deregistered after it was still registered then."""
    changed = person.status_changed_on
    if person.status != PersonStatus.ACTIVE and changed is not None and changed > day:
        return PersonStatus.ACTIVE
    return person.status


def person_facts_many(
    persons: Sequence[Person], *, on: datetime.date | None = None
) -> dict[int, dict[str, Any]]:
    """The facts of ``persons`` on ``on`` (today by default) in a few queries, keyed by pk."""
    day = on or timezone.localdate()
    ids = [p.pk for p in persons]
    household_ids = {p.household_id for p in persons if p.household_id}
    person_tags: dict[int, list[str]] = defaultdict(list)
    for pid, code in (
        PersonTag.objects.filter(valid_on(day), person_id__in=ids)
        .order_by("tag__code")
        .values_list("person_id", "tag__code")
    ):
        person_tags[pid].append(code)
    household_tags: dict[int, list[str]] = defaultdict(list)
    for hid, code in (
        HouseholdTag.objects.filter(valid_on(day), household_id__in=household_ids)
        .order_by("tag__code")
        .values_list("household_id", "tag__code")
    ):
        household_tags[hid].append(code)
    certificates = {
        c.person_id: c
        for c in DisabilityCertificate.objects.filter(valid_on(day), person_id__in=ids).order_by("valid_from")
    }
    members: dict[int, int] = defaultdict(int)
    for hid in Person.objects.filter(household_id__in=household_ids, status=PersonStatus.ACTIVE).values_list(
        "household_id", flat=True
    ):
        members[hid] += 1
    region_codes = _region_codes({p.region_id for p in persons})
    facts: dict[int, dict[str, Any]] = {}
    for p in persons:
        certificate = certificates.get(p.pk)
        facts[p.pk] = {
            "on": day,
            "person": {
                "id": p.pk,
                "age": _age(p.birth_date, day),
                "sex": p.sex,
                "status": _status(p, day),
                "region_code": region_codes[p.region_id][-1],
                "region_codes": region_codes[p.region_id],
                "tags": person_tags.get(p.pk, []),
                "has_certificate": certificate is not None,
                "disability_category": certificate.category if certificate else 0,
                "disability_level": certificate.level if certificate else 0,
            },
            "household": {
                "id": p.household_id or 0,
                "tags": household_tags.get(p.household_id, []) if p.household_id else [],
                "members": members.get(p.household_id, 0) if p.household_id else 0,
            },
        }
    for name, provider in _PROVIDERS.items():
        for pid, sections in provider(persons, day).items():
            _merge(facts[pid], sections, name)
    return facts


def person_facts(person: Person, *, on: datetime.date | None = None) -> dict[str, Any]:
    return person_facts_many([person], on=on)[person.pk]


def _merge(facts: dict[str, Any], sections: Mapping[str, Mapping[str, Any]], provider: str) -> None:
    for section, values in sections.items():
        target = facts.setdefault(section, {})
        clash = set(values) & set(target)
        if clash:
            raise ValueError(f"facts provider {provider!r} would replace {section}.{sorted(clash)}")
        target.update(values)


def _region_codes(region_ids: set[int]) -> dict[int, list[str]]:
    """Each region's code and the codes above it, from the top down."""
    regions = Region.objects.in_bulk(list(region_ids))
    above = {int(i) for r in regions.values() for i in r.path.strip("/").split("/") if i}
    codes = dict(Region.objects.filter(pk__in=above).values_list("pk", "code"))
    return {
        rid: [codes[int(i)] for i in r.path.strip("/").split("/") if i and int(i) in codes] or [r.code]
        for rid, r in regions.items()
    }


# ---- prefilters: necessary conditions of a rule, as SQL over Person ------------------------------


def has_tag(code: str, on: datetime.date) -> Q:
    """The person carries the tag on ``on``."""
    return Q(Exists(PersonTag.objects.filter(valid_on(on), person=OuterRef("pk"), tag__code=code)))


def household_has_tag(code: str, on: datetime.date) -> Q:
    """The person's household carries the tag on ``on``."""
    return Q(
        Exists(HouseholdTag.objects.filter(valid_on(on), household=OuterRef("household"), tag__code=code))
    )


def disability_level_between(
    low: int, high: int, on: datetime.date, *, categories: Sequence[int] | None = None
) -> Q:
    """The person holds a certificate valid on ``on`` of a level from ``low`` to ``high``
    (1 is the most severe), optionally of these categories."""
    certificates = DisabilityCertificate.objects.filter(
        valid_on(on), person=OuterRef("pk"), level__gte=low, level__lte=high
    )
    if categories is not None:
        certificates = certificates.filter(category__in=list(categories))
    return Q(Exists(certificates))


def age_between(low: int | None, high: int | None, on: datetime.date) -> Q:
    """The person is at least ``low`` and at most ``high`` years old on ``on``."""
    q = Q()
    if low is not None:  # born on or before the day ``low`` years earlier
        q &= Q(birth_date__lte=_years_before(on, low))
    if high is not None:  # not yet ``high + 1``
        q &= Q(birth_date__gt=_years_before(on, high + 1))
    return q


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def registered() -> Q:
    return Q(status=PersonStatus.ACTIVE)
