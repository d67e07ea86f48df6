"""Who qualifies for each subsidy in a month, and why: the region's rule for the year (or the
national default) evaluated with the CEL engine (``core.rules``) over ``registry.facts`` as of
the month's first day — so a change during a month takes effect from the following month.

Each result names the facts it used (certificate category and level valid that month, the
person's and household's tags, the status) and every clause it satisfied or failed, with the
择高申领 comparison last."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from wushe.core.models import Region
from wushe.core.rules import Outcome, Rule, rule_check, rule_evaluate
from wushe.registry.facts import person_facts_many
from wushe.registry.models import (
    DisabilityCategory,
    DisabilityCertificate,
    HouseholdTag,
    Person,
    PersonTag,
    Tag,
)

from .models import Kind, SubsidyRule

# The tags the default rules read (installed by this app's migration; editable as any tag).
WORK_INJURY_CARE = "work-injury-care"  # 领取工伤保险生活护理费
ORPHAN_GUARANTEE = "orphan-guarantee"  # 孤儿基本生活保障
NO_LONG_TERM_CARE = "no-long-term-care"  # 经评估无需长期照护（照护不足6个月）

# The national defaults (a region's rule replaces them): clause name → (label, CEL expression).
DEFAULT_CLAUSES: dict[str, dict[str, tuple[Promise, str]]] = {
    Kind.LIVING: {
        "registered": (gettext_lazy("在册居民"), 'person.status == "active"'),
        "certificate": (gettext_lazy("当月持有有效残疾人证"), "person.has_certificate"),
        "hardship": (gettext_lazy("低保家庭成员"), '"dibao" in household.tags || "dibao" in person.tags'),
        "not_tekun": (
            gettext_lazy("未纳入特困人员救助供养"),
            '!("tekun" in person.tags) && !("tekun" in household.tags)',
        ),
        "not_work_injury": (
            gettext_lazy("未领取工伤保险生活护理费"),
            f'!("{WORK_INJURY_CARE}" in person.tags)',
        ),
        "not_orphan": (
            gettext_lazy("未纳入孤儿基本生活保障（孤儿只享受护理补贴）"),
            f'!("{ORPHAN_GUARANTEE}" in person.tags)',
        ),
    },
    Kind.NURSING: {
        "registered": (gettext_lazy("在册居民"), 'person.status == "active"'),
        "level": (gettext_lazy("当月持有一级或二级残疾人证"), "person.disability_level in [1, 2]"),
        "long_term_care": (
            gettext_lazy("需要长期照护（照护6个月以上；未经评估认定无需长期照护）"),
            f'!("{NO_LONG_TERM_CARE}" in person.tags)',
        ),
        "not_tekun": (
            gettext_lazy("未纳入特困人员救助供养"),
            '!("tekun" in person.tags) && !("tekun" in household.tags)',
        ),
        "not_work_injury": (
            gettext_lazy("未领取工伤保险生活护理费"),
            f'!("{WORK_INJURY_CARE}" in person.tags)',
        ),
    },
}


def default_amounts(kind: str) -> dict[int, Decimal]:
    """The monthly amounts by level when no region's rule applies (``WUSHE_SUBSIDY_DEFAULT_AMOUNTS``)."""
    configured: Mapping[str, Mapping[int, Any]] = getattr(settings, "WUSHE_SUBSIDY_DEFAULT_AMOUNTS", {})
    fallback = {
        Kind.LIVING: {1: "100", 2: "100", 3: "100", 4: "100"},
        Kind.NURSING: {1: "150", 2: "100", 3: "0", 4: "0"},
    }
    amounts = configured.get(kind) or fallback[Kind(kind)]
    return {int(level): Decimal(str(v)) for level, v in amounts.items()}


@dataclass(frozen=True)
class Config:
    """The rule in force for a region and year: from a ``SubsidyRule`` or the national default."""

    kind: str
    clauses: dict[str, str]
    labels: dict[str, str]
    amounts: dict[int, Decimal]
    alternatives: dict[str, Decimal]
    review_months: int = 12
    source: str = ""

    def amount_for(self, level: int) -> Decimal:
        return self.amounts.get(level, Decimal(0))


def default_config(kind: str) -> Config:
    clauses = DEFAULT_CLAUSES[kind]
    return Config(
        kind=kind,
        clauses={k: expr for k, (_label, expr) in clauses.items()},
        labels={k: str(label) for k, (label, _expr) in clauses.items()},
        amounts=default_amounts(kind),
        alternatives={},
        source=str(gettext_lazy("国家默认规则")),
    )


def config_of(rule: SubsidyRule) -> Config:
    return Config(
        kind=rule.kind,
        clauses=dict(rule.clauses),
        labels={k: str(v) for k, v in (rule.labels or {}).items()},
        amounts={level: rule.amount_for(level) for level in (1, 2, 3, 4)},
        alternatives={str(k): Decimal(str(v)) for k, v in (rule.alternatives or {}).items()},
        review_months=rule.review_months,
        source=f"{rule.region.name} {rule.year}" + (f"（{rule.note}）" if rule.note else ""),
    )


TAG_CODE = re.compile(r"^[-a-z0-9_]{1,40}$")


def rule_validate(
    *, clauses: Mapping[str, str], alternatives: Mapping[str, Any], amounts: Sequence[Any]
) -> None:
    """Every clause parses; the 择高 allowances name tags and amounts; amounts are ≥ 0. Errors
    name the field."""
    Rule(name="subsidy", clauses=dict(clauses)).check(field="clauses")
    for name in clauses:
        if not re.match(r"^[a-z_][a-z0-9_]{0,39}$", name):
            raise ValidationError({"clauses": _("条件名“%(n)s”只能用小写字母、数字和下划线") % {"n": name}})
    for code, value in alternatives.items():
        if not TAG_CODE.match(str(code)) or not Tag.objects.filter(code=code).exists():
            raise ValidationError({"alternatives": _("没有代码为“%(c)s”的人员类别") % {"c": code}})
        try:
            if Decimal(str(value)) < 0:
                raise ValueError
        except Exception:
            raise ValidationError({"alternatives": _("“%(c)s”的金额须为不小于0的数") % {"c": code}}) from None
    for i, value in enumerate(amounts, start=1):
        if Decimal(str(value)) < 0:
            raise ValidationError({f"amount_{i}": _("金额不能为负数")})
    for expression in clauses.values():
        rule_check(expression)


class Rules:
    """The rules of every region, read once; ``for_region(region, kind, year)`` picks the rule of
    the nearest region above (or at) the person's with the latest year not after ``year``."""

    def __init__(self) -> None:
        self._rows = list(SubsidyRule.objects.select_related("region").order_by("-year"))
        self._configs: dict[tuple[int, str, int], Config] = {}
        self._by_rule: dict[int | str, Config] = {}
        self.outcomes: dict[tuple[Any, ...], tuple[bool, Decimal, tuple[Reason, ...]]] = {}
        self._read: dict[int, list[tuple[str, str | None]]] = {}

    def read_of(self, config: Config) -> list[tuple[str, str | None]]:
        if id(config) not in self._read:
            self._read[id(config)] = _read_facts(config)
        return self._read[id(config)]

    def for_region(self, region: Region, kind: str, year: int) -> Config:
        key = (region.pk, kind, year)
        if key not in self._configs:
            self._configs[key] = self._find(region, kind, year)
        return self._configs[key]

    def _find(self, region: Region, kind: str, year: int) -> Config:
        above = [int(i) for i in region.path.strip("/").split("/") if i] or [region.pk]
        best: tuple[int, int, SubsidyRule] | None = None
        for rule in self._rows:
            if rule.kind != kind or rule.year > year or rule.region_id not in above:
                continue
            rank = (above.index(rule.region_id), rule.year)
            if best is None or rank > best[:2]:
                best = (*rank, rule)
        ident: int | str = best[2].pk if best else kind
        if ident not in self._by_rule:
            self._by_rule[ident] = config_of(best[2]) if best else default_config(kind)
        return self._by_rule[ident]


def _read_facts(config: Config) -> list[tuple[str, str | None]]:
    """The facts the config's clauses read: (section, key), key ``None`` for a name read whole
    (``person["age"]``, a section passed on) — people with the same values of them share one
    evaluation. The level (the amount) and the person's tags (择高) always count."""
    text = " ".join(config.clauses.values())
    read: set[tuple[str, str | None]] = {("person", "disability_level"), ("person", "tags")}
    for name in set(re.findall(r"\b([A-Za-z_]\w*)\b", text)):
        if re.search(rf"(?<![.\w]){name}\b(?!\s*\.)", text):
            read.add((name, None))
        for key in re.findall(rf"(?<![.\w]){name}\s*\.\s*([A-Za-z_]\w*)", text):
            read.add((name, key))
    return sorted(read, key=lambda sk: (sk[0], sk[1] or ""))


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_frozen(v) for v in value)
    return value


def _signature(
    config: Config, facts: Mapping[str, Any], read: list[tuple[str, str | None]]
) -> tuple[Any, ...]:
    values = []
    for section, key in read:
        part = facts.get(section)
        if key is None or not isinstance(part, Mapping):
            values.append(_frozen(part))
        else:
            values.append(_frozen(part.get(key)))
    return (id(config), tuple(values))


@dataclass(frozen=True)
class Reason:
    name: str
    label: str
    expression: str
    outcome: str  # core.rules.Outcome
    error: str = ""

    @property
    def satisfied(self) -> bool:
        return self.outcome == Outcome.SATISFIED

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)


@dataclass(frozen=True)
class Eligibility:
    person_id: int
    kind: str
    month: datetime.date
    eligible: bool
    amount: Decimal
    level: int
    reasons: tuple[Reason, ...]
    facts: dict[str, Any] = field(default_factory=dict)
    rule_source: str = ""
    on: datetime.date | None = None  # the day whose facts decided it

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    def failed(self) -> list[Reason]:
        return [r for r in self.reasons if not r.satisfied]

    def why_not(self) -> str:
        """The failed conditions in words (a stop's reason), death and moving out named first."""
        status = self.facts.get("status")
        if status == "deceased":
            return _("死亡")
        if status == "moved":
            return _("迁出")
        return "；".join(r.label for r in self.failed()) or _("不符合条件")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def parse_month(text: str, *, field: str = "month") -> datetime.date:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ValidationError({field: _("月份须写成 YYYY-MM，例如 2026-03")})
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def _facts_shown(facts: Mapping[str, Any]) -> dict[str, Any]:
    person, household = facts["person"], facts["household"]
    category = int(person.get("disability_category") or 0)
    return {
        "status": person["status"],
        "has_certificate": person["has_certificate"],
        "disability_category": category,
        "disability_category_label": str(DisabilityCategory(category).label) if category else "",
        "disability_level": int(person.get("disability_level") or 0),
        "person_tags": list(person["tags"]),
        "household_tags": list(household["tags"]),
    }


def _outcome(config: Config, facts: Mapping[str, Any]) -> tuple[bool, Decimal, tuple[Reason, ...]]:
    result = rule_evaluate(Rule(name=config.kind, clauses=config.clauses), facts)
    reasons = [
        Reason(c.name, config.labels.get(c.name, c.name), c.expression, str(c.outcome), c.error)
        for c in result.clauses
    ]
    level = int(facts["person"].get("disability_level") or 0)
    amount = config.amount_for(level) if result.satisfied else Decimal(0)
    eligible = result.satisfied
    if eligible:
        if amount <= 0:
            eligible = False
            reasons.append(
                Reason("amount", _("本地标准对该等级有发放金额"), "", Outcome.FAILED, _("该等级标准为 0 元"))
            )
        tags = set(facts["person"]["tags"])
        higher = [
            (code, value) for code, value in config.alternatives.items() if code in tags and value >= amount
        ]
        held = [code for code in config.alternatives if code in tags]
        if eligible and higher:
            code, value = max(higher, key=lambda cv: cv[1])
            name = Tag.objects.filter(code=code).first()
            eligible = False
            reasons.append(
                Reason(
                    "higher",
                    _("择高申领：已享受同类津贴“%(t)s”每月 %(a)s 元，不低于本补贴")
                    % {"t": name.label if name else code, "a": f"{value:.2f}"},
                    "",
                    Outcome.FAILED,
                )
            )
        elif eligible and held:
            reasons.append(
                Reason("higher", _("择高申领：本补贴高于已享受的同类津贴，领取本补贴"), "", Outcome.SATISFIED)
            )
    return eligible, amount if eligible else Decimal(0), tuple(reasons)


def evaluate(
    config: Config,
    facts: Mapping[str, Any],
    month: datetime.date,
    *,
    on: datetime.date | None = None,
    rules: Rules | None = None,
) -> Eligibility:
    """One person's eligibility for ``config``'s subsidy in ``month`` from the facts of one day
    (``on``, by default the month's first). With ``rules``, people whose facts read by the
    clauses are the same share one evaluation (``Rules.outcomes``)."""
    if rules is not None:
        key = (*_signature(config, facts, rules.read_of(config)), str(get_language()))
        if key not in rules.outcomes:
            rules.outcomes[key] = _outcome(config, facts)
        eligible, amount, reasons = rules.outcomes[key]
    else:
        eligible, amount, reasons = _outcome(config, facts)
    return Eligibility(
        person_id=int(facts["person"]["id"]),
        kind=config.kind,
        month=month,
        eligible=eligible,
        amount=amount,
        level=int(facts["person"].get("disability_level") or 0),
        reasons=reasons,
        facts=_facts_shown(facts),
        rule_source=config.source,
        on=on or month,
    )


def _change_days(
    persons: Sequence[Person], start: datetime.date, end: datetime.date
) -> dict[int, set[datetime.date]]:
    """The days after ``start`` up to ``end`` on which a fact of each person changes: a tag or a
    certificate begins or ends, the household's tags change, the status changes."""
    ids = [p.pk for p in persons]
    households = {p.household_id: p.pk for p in persons if p.household_id}
    days: dict[int, set[datetime.date]] = {p.pk: set() for p in persons}
    window = {"gt": start, "lte": end}
    for model, owner in ((PersonTag, "person_id"), (DisabilityCertificate, "person_id")):
        for name in ("valid_from", "valid_to"):
            lookup = {f"{owner[:-3]}__in": ids, f"{name}__gt": window["gt"], f"{name}__lte": window["lte"]}
            for pid, day in model.objects.filter(**lookup).values_list(owner, name):
                days[pid].add(day)
    by_household: dict[int, list[int]] = {}
    for p in persons:
        if p.household_id:
            by_household.setdefault(p.household_id, []).append(p.pk)
    for name in ("valid_from", "valid_to"):
        lookup = {"household_id__in": list(households), f"{name}__gt": start, f"{name}__lte": end}
        for hid, day in HouseholdTag.objects.filter(**lookup).values_list("household_id", name):
            for pid in by_household.get(hid, []):
                days[pid].add(day)
    for p in persons:
        if p.status_changed_on and start < p.status_changed_on <= end:
            days[p.pk].add(p.status_changed_on)
    return days


def eligibility_many(
    persons: Sequence[Person],
    *,
    month: datetime.date,
    kinds: Sequence[str] = (Kind.LIVING, Kind.NURSING),
    rules: Rules | None = None,
) -> dict[tuple[int, str], Eligibility]:
    """Every person's eligibility for each kind in ``month``: eligible when the facts qualify on
    the month's first day or on a later day of the month on which they change (a certificate
    issued, a tag given), so a month counts once it was qualified in; the amount is that of the
    first such day, so a change takes effect from the following month. Not eligible: the reasons
    of the month's last facts."""
    month = month_start(month)
    rules = rules or Rules()
    persons = list(persons)
    facts = person_facts_many(persons, on=month)
    out: dict[tuple[int, str], Eligibility] = {}
    for person in persons:
        for kind in kinds:
            config = rules.for_region(person.region, kind, month.year)
            out[(person.pk, kind)] = evaluate(config, facts[person.pk], month, rules=rules)
    waiting = [p for p in persons if any(not out[(p.pk, k)].eligible for k in kinds)]
    if not waiting:
        return out
    end = add_months(month, 1) - datetime.timedelta(days=1)
    changes = _change_days(waiting, month, end)
    for day in sorted(set().union(*changes.values())):
        group = [p for p in waiting if day in changes[p.pk]]
        later = person_facts_many(group, on=day)
        for person in group:
            for kind in kinds:
                if out[(person.pk, kind)].eligible:
                    continue
                config = rules.for_region(person.region, kind, month.year)
                out[(person.pk, kind)] = evaluate(config, later[person.pk], month, on=day, rules=rules)
    return out


def person_eligibility(person: Person, *, month: datetime.date) -> list[Eligibility]:
    found = eligibility_many([person], month=month)
    return [found[(person.pk, Kind.LIVING)], found[(person.pk, Kind.NURSING)]]
