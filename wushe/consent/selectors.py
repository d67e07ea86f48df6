"""Every read of consents, bases and sharings, scoped with ``visible_to``.

:func:`sensitive_basis` is the one answer to "may this person's data of this kind be processed,
and on what basis": the consent in force covering it, else the statutory basis in force, else
``None``. The person page's section (:func:`consent_state`), the warning after recording
sensitive data (:func:`missing_kinds`) and the report of people whose sensitive data is held
without either (:func:`without_basis`, with the figure ``consent.without_basis``) all read it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from wushe.core.models import Region
from wushe.core.scoping import ScopedQuerySet, get_visible_or_404
from wushe.registry.basis import ASSISTANCE_TAGS
from wushe.registry.models import DisabilityCertificate, Person, PersonStatus, PersonTag

from .models import Basis, Consent, DataKind, Sharing, covers, in_force

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def consent_list(*, user: AnyUser, person: Person | None = None) -> ScopedQuerySet[Consent]:
    qs = Consent.objects.visible_to(user).select_related("person", "recorded_by")
    if person is not None:
        qs = qs.filter(person=person)
    return qs.order_by("-given_on", "-id")


def get_consent_for_user(*, user: AnyUser, pk: int) -> Consent:
    return get_visible_or_404(Consent.objects.select_related("person", "person__region"), user, pk=pk)


def sharing_list(*, user: AnyUser, person: Person | None = None) -> ScopedQuerySet[Sharing]:
    qs = Sharing.objects.visible_to(user).select_related("organization", "shared_by")
    if person is not None:
        qs = qs.filter(person=person)
    return qs.order_by("-shared_at", "-id")


def _in_force_for(person: Person, kind: str) -> QuerySet[Consent]:
    return Consent.objects.filter(in_force(), covers(kind), person=person)


def sensitive_basis(person: Person, kind: str) -> Consent | None:
    """The record in force on which ``person``'s data of ``kind`` is processed: a consent first,
    else a statutory basis; ``None`` when there is neither."""
    records = list(_in_force_for(person, kind).order_by("-given_on", "-id"))
    consent = next((r for r in records if r.basis == Basis.CONSENT), None)
    return consent or (records[0] if records else None)


def missing_kinds(person: Person, kinds: Sequence[str]) -> list[str]:
    """Of ``kinds``, those without a consent or a basis in force for ``person`` (one query)."""
    if not kinds:
        return []
    held: set[str] = set()
    for value in Consent.objects.filter(in_force(), person=person).values_list("kinds", flat=True):
        held.update(k for k in value.split(",") if k)
    return [k for k in kinds if k not in held]


@dataclass(frozen=True)
class KindState:
    """One data kind on the person page: its state and the record behind it."""

    kind: str
    label: str
    state: str  # "consent", "basis", "withdrawn" or "none"
    record: Consent | None
    held: bool  # the register holds data of this kind for the person


def consent_state(
    person: Person, records: Sequence[Consent], held: Sequence[str] | None = None
) -> list[KindState]:
    """Each data kind → consent given / basis / withdrawn / none, from ``person``'s records
    (newest first: the latest record of a kind decides when none is in force); ``held`` the
    kinds the register holds (read when not given)."""
    holding = set(held_kinds(person) if held is None else held)
    out = []
    for kind, label in DataKind.choices:
        covering = [r for r in records if kind in r.kind_list]
        open_ = [r for r in covering if r.withdrawn_on is None]
        consent = next((r for r in open_ if r.is_consent), None)
        if consent is not None:
            state, record = "consent", consent
        elif open_:
            state, record = "basis", open_[0]
        elif covering:
            state, record = "withdrawn", covering[0]
        else:
            state, record = "none", None
        out.append(KindState(kind, str(label), state, record, kind in holding))
    return out


def _open_certificate() -> Exists:
    return Exists(DisabilityCertificate.objects.filter(person=OuterRef("pk"), valid_to__isnull=True))


def _open_tag(assistance: bool) -> Exists:
    tags = PersonTag.objects.filter(person=OuterRef("pk"), valid_to__isnull=True, tag__sensitive=True)
    tags = (
        tags.filter(tag__code__in=ASSISTANCE_TAGS)
        if assistance
        else tags.exclude(tag__code__in=ASSISTANCE_TAGS)
    )
    return Exists(tags)


def _basis(kind: str) -> Exists:
    return Exists(Consent.objects.filter(in_force(), covers(kind), person=OuterRef("pk")))


@dataclass(frozen=True)
class Summary:
    """What a person's page needs to know first, in one query: the sensitive kinds the register
    holds for the person, and whether there are consents and sharings to read at all."""

    held: list[str]
    has_consents: bool
    has_sharings: bool


def person_summary(person: Person) -> Summary:
    row = (
        Person.objects.filter(pk=person.pk)
        .annotate(
            d=_open_certificate(),
            a=_open_tag(True),
            o=_open_tag(False),
            c=Exists(Consent.objects.filter(person=OuterRef("pk"))),
            s=Exists(Sharing.objects.filter(person=OuterRef("pk"))),
        )
        .values("d", "a", "o", "c", "s")
        .first()
    )
    if row is None:
        return Summary([], False, False)
    kinds = {"d": DataKind.DISABILITY, "a": DataKind.ASSISTANCE, "o": DataKind.OTHER}
    return Summary([str(kinds[k]) for k in ("d", "a", "o") if row[k]], bool(row["c"]), bool(row["s"]))


def held_kinds(person: Person) -> list[str]:
    """The sensitive data kinds the register holds for ``person`` (an open certificate, an open
    sensitive group tag: 低保/特困 or another)."""
    return person_summary(person).held


def without_basis_q() -> Q:
    """Registered persons holding sensitive data of a kind with no consent or basis for it."""
    return (
        (Q(_open_certificate()) & ~Q(_basis(DataKind.DISABILITY)))
        | (Q(_open_tag(True)) & ~Q(_basis(DataKind.ASSISTANCE)))
        | (Q(_open_tag(False)) & ~Q(_basis(DataKind.OTHER)))
    )


def lacking_basis_ids(
    certificates: QuerySet[DisabilityCertificate],
    tags: QuerySet[PersonTag],
    kinds: Sequence[str] = (DataKind.DISABILITY, DataKind.ASSISTANCE, DataKind.OTHER),
) -> QuerySet[Any]:
    """The ids of the persons whose open ``certificates`` or open sensitive ``tags`` (querysets the
    caller has scoped) have no consent or basis in force for their kind: one ``UNION`` of the
    holders' rows, never a pass over every person. Deregistering a person ends their certificates
    and tags, and both carry the person's region (the registry's services keep them so), so the
    holders in scope are the registered persons in scope who hold the data: the same persons as
    :func:`without_basis_q` selects (the figure's test holds them equal). ``kinds``: only the data
    of these kinds."""

    def lacking(rows: QuerySet[Any], kind: str) -> QuerySet[Any]:
        return (
            rows.filter(valid_to__isnull=True)
            .exclude(Exists(Consent.objects.filter(in_force(), covers(kind), person=OuterRef("person_id"))))
            .values("person_id")
            .order_by()
        )

    sensitive = tags.filter(tag__sensitive=True)
    holders: dict[str, QuerySet[Any]] = {  # querysets are lazy: nothing is read for a kind not asked
        DataKind.DISABILITY: certificates,
        DataKind.ASSISTANCE: sensitive.filter(tag__code__in=ASSISTANCE_TAGS),
        DataKind.OTHER: sensitive.exclude(tag__code__in=ASSISTANCE_TAGS),
    }
    first, *rest = [lacking(holders[kind], kind) for kind in kinds]
    return first.union(*rest) if rest else first


@dataclass
class ReportFilters:
    region: Region | None = None
    kind: str = ""  # only this data kind ("": any)


def _kind_q(kind: str) -> Q:
    if kind == DataKind.DISABILITY:
        return Q(_open_certificate()) & ~Q(_basis(kind))
    if kind == DataKind.ASSISTANCE:
        return Q(_open_tag(True)) & ~Q(_basis(kind))
    if kind == DataKind.OTHER:
        return Q(_open_tag(False)) & ~Q(_basis(kind))
    return without_basis_q()


REPORT_KINDS = (DataKind.DISABILITY, DataKind.ASSISTANCE, DataKind.OTHER)


def without_basis(*, user: AnyUser, filters: ReportFilters | None = None) -> ScopedQuerySet[Person]:
    """The report: registered persons in scope whose sensitive data is held without consent or
    a statutory basis (of ``filters.kind``, or of any kind)."""
    filters = filters or ReportFilters()
    qs = Person.objects.visible_to(user)
    certificates = DisabilityCertificate.objects.visible_to(user)
    tags = PersonTag.objects.visible_to(user)
    if filters.region is not None:
        qs = qs.in_region(filters.region)
        certificates, tags = certificates.in_region(filters.region), tags.in_region(filters.region)
    # selected from the holders of the data (lacking_basis_ids), never by a pass over every person
    kinds = (filters.kind,) if filters.kind in REPORT_KINDS else REPORT_KINDS
    return (
        qs.filter(status=PersonStatus.ACTIVE, pk__in=lacking_basis_ids(certificates, tags, kinds))
        .defer("id_number", "phone", "contact_phone")
        .select_related("region")
        .order_by("region__path", "name_pinyin", "id")
    )


def report_row_kinds(persons: Sequence[Person]) -> dict[int, list[str]]:
    """For a page of the report, each person's kinds held without a basis (four queries)."""
    ids = [p.pk for p in persons]
    if not ids:
        return {}
    out: dict[int, list[str]] = {pk: [] for pk in ids}
    base = Person.objects.filter(pk__in=ids)
    labels = dict(DataKind.choices)
    for kind in REPORT_KINDS:
        for pk in base.filter(_kind_q(kind)).values_list("pk", flat=True):
            out[pk].append(str(labels[kind]))
    return out
