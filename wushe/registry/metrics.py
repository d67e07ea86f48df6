"""Figures of the registry and the four-colour ledger."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, region_name
from wushe.core.metrics import Scope, chart_group, metric, metric_family
from wushe.core.models import Region, RegionLevel

from . import household_columns  # noqa: F401  (registers the drill-down columns of households)
from .models import (
    DisabilityCategory,
    DisabilityCertificate,
    DisabilityLevel,
    Household,
    LedgerColour,
    Person,
    PersonStatus,
    PersonTag,
    Tag,
)
from .selectors import LIST_DEFER, LedgerCounts, colour_map, ledger_counts, ledger_rows

PERSONS = pgettext_lazy("unit", "人")


chart_group("ledger", label=_("四色台账"), kind="pie", order=10)
chart_group("category", label=_("残疾类别"), order=20)
chart_group("level", label=_("残疾等级"), order=30)
chart_group("tag", label=_("人员类别"), order=40)


def _regions_below(scope: Scope, level: str) -> QuerySet[Region]:
    return scope.of(Region.objects.all()).filter(level=level).select_related("parent")


def community_records(scope: Scope) -> QuerySet[Region]:
    return _regions_below(scope, RegionLevel.COMMUNITY)


def grid_records(scope: Scope) -> QuerySet[Region]:
    return _regions_below(scope, RegionLevel.GRID)


@metric(
    "communities",
    label=_("社区数"),
    unit=pgettext_lazy("unit", "个"),
    definition=_("区域内的社区/村数量"),
    records=community_records,
    period="none",
)
def communities(scope: Scope) -> int:
    return community_records(scope).count()


@metric(
    "grids",
    label=_("网格数"),
    unit=pgettext_lazy("unit", "个"),
    definition=_("区域内的网格数量"),
    records=grid_records,
    period="none",
)
def grids(scope: Scope) -> int:
    return grid_records(scope).count()


def _people(scope: Scope) -> QuerySet[Person]:
    return scope.of(Person.objects.all()).defer(*LIST_DEFER).select_related("region", "region__parent")


def person_records(scope: Scope) -> QuerySet[Person]:
    return _people(scope).filter(status=PersonStatus.ACTIVE).order_by("name_pinyin", "id")


@metric(
    "persons",
    label=_("在册居民"),
    unit=PERSONS,
    definition=_("登记在区域内、状态为在册的居民人数"),
    records=person_records,
    period="none",
)
def persons(scope: Scope) -> int:
    return scope.of(Person.objects.all()).filter(status=PersonStatus.ACTIVE).count()


def new_person_records(scope: Scope) -> QuerySet[Person]:
    return scope.in_period(_people(scope), "registered_on").order_by("-registered_on", "-id")


@metric(
    "persons.new",
    label=_("新登记居民"),
    unit=PERSONS,
    definition=_("统计期内登记入册的居民人数（按登记日期，含此后迁出或死亡的）"),
    records=new_person_records,
    trend=True,
    date_field="registered_on",
)
def persons_new(scope: Scope) -> int:
    return scope.in_period(scope.of(Person.objects.all()), "registered_on").count()


def _active_households(scope: Scope) -> QuerySet[Household]:
    return scope.of(Household.objects.filter(active_members__gt=0))


def household_records(scope: Scope) -> QuerySet[Household]:
    return (
        _active_households(scope)
        .select_related("region", "region__parent")
        .prefetch_related(Prefetch("members", queryset=Person.objects.defer(*LIST_DEFER)))
        .order_by("region__code", "id")
    )


@metric(
    "households",
    label=_("户数"),
    unit=pgettext_lazy("unit", "户"),
    definition=_("区域内至少有一名在册成员的户数"),
    records=household_records,
    period="none",
)
def households(scope: Scope) -> int:
    # today's count whatever the period: counted once for a dashboard's periods, and shared with
    # the visit coverage, whose denominator it is (visits.metrics)
    return scope.memo("households.active", _active_households(scope).count, shared=True)


def _ledger(scope: Scope) -> LedgerCounts:
    return scope.memo(
        "ledger",
        lambda: ledger_counts(user=scope.user, region=scope.region, as_of=scope.end, ids=scope.region_ids),
    )


def _ledger_records(**filters: Any) -> Any:
    def records(scope: Scope) -> QuerySet[DisabilityCertificate]:
        return ledger_rows(user=scope.user, region=scope.region, as_of=scope.end, **filters)

    return records


@metric(
    "disabled",
    label=_("持证残疾人"),
    unit=PERSONS,
    definition=_("统计期末持有有效残疾人证的居民人数"),
    records=_ledger_records(),
    period="as_of",
)
def disabled(scope: Scope) -> int:
    return _ledger(scope).total


def new_certificate_records(scope: Scope) -> QuerySet[DisabilityCertificate]:
    return (
        scope.in_period(scope.of(DisabilityCertificate.objects.all()), "valid_from")
        .select_related("person", "person__region", "person__region__parent")
        .defer(*(f"person__{f}" for f in LIST_DEFER))
        .order_by("-valid_from", "id")
    )


@metric(
    "disabled.new",
    label=_("新办残疾人证"),
    unit=pgettext_lazy("unit", "本"),
    definition=_("统计期内生效的残疾人证数（新办、换证或类别等级变更）"),
    records=new_certificate_records,
    trend=True,
    date_field="valid_from",
)
def disabled_new(scope: Scope) -> int:
    return scope.in_period(scope.of(DisabilityCertificate.objects.all()), "valid_from").count()


def _colour_metric(colour: LedgerColour) -> None:
    @metric(
        f"ledger.{colour.value}",
        label=colour.label,
        unit=PERSONS,
        definition=_("统计期末按四色台账规则归入该颜色的持证残疾人人数"),
        records=_ledger_records(colour=colour.value),
        period="as_of",
        chart="ledger",
        colour=colour.value,
    )
    def value(scope: Scope) -> int:
        return _ledger(scope).by_colour[colour.value]


for _colour in LedgerColour:
    _colour_metric(_colour)


def _category_metric(category: DisabilityCategory) -> None:
    @metric(
        f"category.{category.value}",
        label=category.label,
        unit=PERSONS,
        definition=_("统计期末该残疾类别的持证残疾人人数"),
        records=_ledger_records(category=category.value),
        period="as_of",
        chart="category",
    )
    def value(scope: Scope) -> int:
        return _ledger(scope).by_category[category.value]


for _cat in DisabilityCategory:
    _category_metric(_cat)


def _level_metric(level: int) -> None:
    @metric(
        f"level.{level}",
        label=DisabilityLevel(level).label,
        unit=PERSONS,
        definition=_("统计期末该残疾等级的持证残疾人人数"),
        records=_ledger_records(level=level),
        period="as_of",
        chart="level",
    )
    def value(scope: Scope) -> int:
        return _ledger(scope).by_level[level]


for _lvl in range(1, 5):
    _level_metric(_lvl)


def tag_records(scope: Scope, code: str) -> QuerySet[PersonTag]:
    return (
        scope.of(PersonTag.objects.all())
        .filter(valid_to__isnull=True, tag__code=code)
        .select_related("person", "person__region", "person__region__parent", "tag")
        .defer(*(f"person__{f}" for f in LIST_DEFER))
        .order_by("person__name_pinyin", "id")
    )


@metric_family(
    "tag",
    label=_("人员类别"),
    unit=PERSONS,
    definition=_("带有该类别标签的在册居民人数"),
    records=tag_records,
    period="none",
    chart="tag",
)
def tags(scope: Scope) -> dict[str, tuple[str, int]]:
    # open tags only: deregistering a person ends their tags, and (person, tag) is unique while open
    counts = dict(
        scope.of(PersonTag.objects.all())
        .filter(valid_to__isnull=True)
        .values_list("tag_id")
        .annotate(n=Count("id"))
        .values_list("tag_id", "n")
        .order_by()
    )
    return {t.code: (t.label, counts.get(t.pk, 0)) for t in Tag.objects.all()}


# ---- how the drill-down lists the registry's records (masked personal data only) ---------------


def _person_url(person: Person) -> str:
    return reverse("registry:person_detail", args=[person.pk])


def _with_colours(certs: list[Any]) -> None:
    mapping = colour_map()
    labels = dict(LedgerColour.choices)
    for cert in certs:
        cert.ledger_colour_label = labels.get(mapping.get(cert.category, ""), "")


drill_columns(
    Person,
    [
        Column(_("姓名"), lambda p: p.name, 10),
        Column(_("性别"), lambda p: p.get_sex_display(), 6),
        Column(_("出生日期"), lambda p: p.birth_date, 12),
        Column(_("身份证号码"), lambda p: p.id_masked, 22),
        Column(_("联系电话"), lambda p: p.phone_masked, 16),
        Column(_("所属区域"), lambda p: region_name(p.region), 24),
        Column(_("登记日期"), lambda p: p.registered_on, 12),
        Column(_("状态"), lambda p: p.get_status_display(), 8),
    ],
    url=_person_url,
)
drill_columns(
    DisabilityCertificate,
    [
        Column(_("姓名"), lambda c: c.person.name, 10),
        Column(_("身份证号码"), lambda c: c.person.id_masked, 22),
        Column(_("残疾类别"), lambda c: c.get_category_display(), 10),
        Column(_("残疾等级"), lambda c: c.get_level_display(), 10),
        Column(_("台账颜色"), lambda c: c.ledger_colour_label, 10),
        Column(_("起始日期"), lambda c: c.valid_from, 12),
        Column(_("所属区域"), lambda c: region_name(c.person.region), 24),
    ],
    url=lambda c: _person_url(c.person),
    prepare=_with_colours,
)
drill_columns(
    PersonTag,
    [
        Column(_("姓名"), lambda t: t.person.name, 10),
        Column(_("身份证号码"), lambda t: t.person.id_masked, 22),
        Column(_("类别"), lambda t: t.tag.label, 12),
        Column(_("起始日期"), lambda t: t.valid_from, 12),
        Column(_("所属区域"), lambda t: region_name(t.person.region), 24),
    ],
    url=lambda t: _person_url(t.person),
)


# households: registry.household_columns (its list adds the columns other apps register)
drill_columns(
    Region,
    [
        Column(_("名称"), lambda r: r.name, 20),
        Column(_("区划代码"), lambda r: r.code, 16),
        Column(_("层级"), lambda r: r.get_level_display(), 10),
        Column(_("上级"), lambda r: r.parent.name if r.parent else "", 20),
    ],
    url=lambda r: f"{reverse('reports:dashboard')}?region={r.code}",
)
