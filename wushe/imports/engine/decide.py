"""Pass 2: each row decided: merged with the other rows of the same person, then matched
against the registry (created, unchanged, updated with its differences, or refused)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.registry.models import DisabilityCategory, DisabilityLevel, PersonStatus, Relation
from wushe.registry.services import (
    PersonChange,
    PersonDraft,
    RegisteredPerson,
    id_not_registrable_message,
    person_bulk_registered,
    registered_outside_scope,
)

from ..models import ImportJob
from ..rows import CheckedRow, HouseholdRef, RowChecker

# ---- pass 2: deciding each row ----------------------------------------------------------


@dataclass
class Decision:
    row: CheckedRow
    outcome: str  # created / updated / unchanged / rejected / duplicate
    message: str = ""
    change: PersonChange | None = None


def _signature(
    draft: PersonDraft, region_given: bool, household: HouseholdRef | None = None
) -> dict[str, Any]:
    return {
        "household": (household.head_hash, household.relation) if household else None,
        "name": draft.name,
        "phone": draft.phone,
        "address": draft.address,
        "contact_name": draft.contact_name,
        "contact_phone": draft.contact_phone,
        "region": draft.region_id if region_given else None,
        "certificate": draft.certificate,
        "tags": tuple(sorted(draft.tag_ids)),
    }


_MERGEABLE = (
    "phone",
    "address",
    "contact_name",
    "contact_phone",
    "certificate",
    "tags",
    "region",
    "household",
)


def resolve_group(members: list[CheckedRow], checker: RowChecker) -> list[Decision] | CheckedRow:
    """Rows naming one person: merged into one row, or all rejected if they contradict each other."""
    if len(members) == 1:
        return members[0]
    signatures = [_signature(m.checked_draft, m.region_given, m.household) for m in members]
    conflicts: list[str] = []
    for key in ("name", *_MERGEABLE):
        values = {s[key] for s in signatures if s[key] not in ("", None, ())}
        if len(values) > 1:
            conflicts.append(key)
    numbers = [m.number for m in members]
    if conflicts:
        labels = "、".join(_field_label(checker, k) for k in conflicts)
        decisions = []
        for m in members:
            others = "、".join(str(n) for n in numbers if n != m.number)
            decisions.append(
                Decision(
                    m,
                    "rejected",
                    _("与第%(rows)s行是同一身份证号码，但“%(cols)s”不同：请核对后只保留一行")
                    % {"rows": others, "cols": labels},
                )
            )
        return decisions
    base = members[0]
    assert base.draft is not None
    for other in members[1:]:
        d = other.draft
        assert d is not None
        if not base.draft.phone and d.phone:
            base.draft.phone, base.draft.phone_hash = d.phone, d.phone_hash
        for name in ("address", "contact_name", "contact_phone"):
            if not getattr(base.draft, name) and getattr(d, name):
                setattr(base.draft, name, getattr(d, name))
        if not base.draft.certificate and d.certificate:
            base.draft.certificate = d.certificate
        if not base.draft.tag_ids and d.tag_ids:
            base.draft.tag_ids = d.tag_ids
        if not base.region_given and other.region_given:
            base.draft.region_id, base.region_given = d.region_id, True
        if base.household is None and other.household is not None:
            base.household = other.household
        base.fields = base.fields | other.fields
        base.draft.sealed = None  # merged values: derive again
    return [
        Decision(m, "duplicate", _("与第%(row)s行是同一人，内容一致，已合并") % {"row": base.number})
        for m in members[1:]
    ] + [Decision(base, "")]


def _field_label(checker: RowChecker, key: str) -> str:
    if key == "region":
        grid = checker.columns.get("grid")
        return checker.label("grid" if grid is not None else "community")
    if key == "household":
        return checker.label("head_id" if "head_id" in checker.columns else "relation")
    return checker.label(key)


class Decider:
    """Classifies checked rows against the registry for one job."""

    def __init__(self, job: ImportJob, checker: RowChecker) -> None:
        from wushe.registry.models import Tag

        self.job = job
        self.checker = checker
        self.regions = checker.regions
        self.tag_names = dict(Tag.objects.values_list("pk", "name"))
        self.with_contact_phone = "contact_phone" in checker.columns
        self.user = job.created_by  # whose scope decides what the report may say about a person

    def decide(self, rows: list[CheckedRow]) -> list[Decision]:
        hashes = [r.draft.id_hash for r in rows if r.draft is not None]
        heads = [
            r.household.head_hash for r in rows if r.household is not None and r.household.relation != "head"
        ]
        registered = person_bulk_registered([*hashes, *heads], with_contact_phone=self.with_contact_phone)
        self._registered = registered
        return [self._decide(r, registered.get(r.draft.id_hash)) for r in rows if r.draft is not None]

    present: frozenset[int] = frozenset()  # the keys of the file (set by the run)
    _registered: dict[str, RegisteredPerson] = {}  # noqa: RUF012 — replaced per batch

    def _unknown_head(self, row: CheckedRow) -> Decision | None:
        household = row.household
        if household is None or household.relation == "head":
            return None
        head_hash, head_key, _relation, _name = household
        head = self._registered.get(head_hash)
        if head_key in self.present or (head is not None and not self._outside(head)):
            return None  # a head registered outside the user's scope is as unknown as no head
        return Decision(
            row,
            "rejected",
            _("“%(col)s”：户主既不在登记库中，也不在本台账中：请先登记户主，或在台账中加入户主一行")
            % {"col": self.checker.label("head_id")},
        )

    def _decide(self, row: CheckedRow, person: RegisteredPerson | None) -> Decision:
        unknown = self._unknown_head(row)
        if unknown is not None:
            return unknown
        if person is None:
            return Decision(row, "created")
        if self._outside(person):  # the same answer whatever that person's status or region
            return Decision(row, "rejected", id_not_registrable_message())
        if person.status != PersonStatus.ACTIVE:
            return Decision(
                row,
                "rejected",
                _("该居民在登记库中的状态为“%(s)s”，本行未导入") % {"s": PersonStatus(person.status).label},
            )
        if not person.region_path.startswith(self.regions.target_path):
            return Decision(
                row,
                "rejected",
                _("该身份证号码已在本次导入区域以外登记，本行未导入：如需迁入，请在居民档案中办理迁移"),
            )
        fields, lines = self._differences(row, person)
        if not fields:
            return Decision(row, "unchanged")
        if person.updated_at > self.job.as_of:
            return Decision(
                row,
                "rejected",
                _("登记库中的档案在台账日期之后（%(t)s）修改过，未覆盖。差异：%(d)s")
                % {
                    "t": timezone.localtime(person.updated_at).strftime("%Y-%m-%d %H:%M"),
                    "d": "；".join(lines),
                },
            )
        assert row.draft is not None
        return Decision(
            row,
            "updated",
            "；".join(lines),
            PersonChange(person_id=person.id, draft=row.draft, fields=frozenset(fields)),
        )

    def _outside(self, person: RegisteredPerson) -> bool:
        return registered_outside_scope(self.user, person.region_path)

    def _differences(self, row: CheckedRow, person: RegisteredPerson) -> tuple[set[str], list[str]]:
        """What the row would change. A blank cell never clears a registered value."""
        from wushe.core.validators import mask_phone

        d = row.draft
        assert d is not None
        fields: set[str] = set()
        lines: list[str] = []
        label = lambda key: _field_label(self.checker, key)  # noqa: E731
        if d.name != person.name:
            fields.add("name")
            lines.append(f"{label('name')}：{person.name} → {d.name}")
        if d.phone and d.phone_hash != person.phone_hash:
            fields.add("phone")
            lines.append(
                f"{label('phone')}：{_('（空）') if not person.phone_hash else _('原号码')} → {mask_phone(d.phone)}"
            )
        if d.address and d.address != person.address:
            fields.add("address")
            lines.append(f"{label('address')}：{person.address or _('（空）')} → {d.address}")
        if d.contact_name and d.contact_name != person.contact_name:
            fields.add("contact_name")
            lines.append(f"{label('contact_name')}：{person.contact_name or _('（空）')} → {d.contact_name}")
        if d.contact_phone and d.contact_phone != (person.contact_phone or ""):
            fields.add("contact_phone")
            lines.append(f"{label('contact_phone')}：→ {mask_phone(d.contact_phone)}")
        if row.region_given and d.region_id != person.region_id:
            target_path = self.regions.paths.get(d.region_id, "")
            if not (target_path and person.region_path.startswith(target_path)):
                fields.add("region")
                lines.append(
                    _("所属区域：%(a)s → %(b)s")
                    % {
                        "a": self.regions.names.get(person.region_id, ""),
                        "b": self.regions.names.get(d.region_id, ""),
                    }
                )
        if d.certificate and d.certificate != person.certificate:
            fields.add("certificate")
            lines.append(
                _("残疾类别和等级：%(a)s → %(b)s")
                % {"a": _certificate_label(person.certificate), "b": _certificate_label(d.certificate)}
            )
        if row.household is not None:
            head_hash, _key, relation, head_name = row.household
            head = person if head_hash == person.id_hash else self._registered.get(head_hash)
            if head is not None and self._outside(head):
                head = None  # nothing of a person outside the user's scope goes into the report
            same = (
                head is not None
                and person.household_id is not None
                and person.household_id == head.household_id
                and person.relation_to_head == relation
            )
            if relation == "head" and person.household_id and person.relation_to_head == "head":
                same = True
            if head is not None and head is not person and head.region_id != person.region_id:
                same = True  # cannot join a household in another region: noted as 未入户, not a change
            if not same:
                fields.add("household")
                who = head.name if head is not None else head_name
                lines.append(
                    _("%(col)s：→ %(name)s户（%(rel)s）")
                    % {"col": label("household"), "name": who, "rel": Relation(relation).label}
                )
        new_tags = [t for t in d.tag_ids if t not in person.tag_ids]
        if new_tags:
            fields.add("tags")
            lines.append(
                _("人员类别：增加 %(t)s") % {"t": "、".join(self.tag_names.get(t, str(t)) for t in new_tags)}
            )
        return fields, lines


def _certificate_label(value: tuple[int, int] | None) -> str:
    if not value:
        return _("无")
    return f"{DisabilityCategory(value[0]).label}{DisabilityLevel(value[1]).label}"
