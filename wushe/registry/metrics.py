"""Figures of the registry and the four-colour ledger."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.models import Region, RegionLevel
from wushe.reports.metrics import Scope, metric, metric_family

from .models import (
    DisabilityCategory,
    DisabilityLevel,
    Household,
    LedgerColour,
    Person,
    PersonStatus,
    PersonTag,
    Tag,
)
from .selectors import LedgerCounts, ledger_counts

PERSONS = pgettext_lazy("unit", "人")


def _regions_below(scope: Scope, level: str) -> int:
    return scope.of(Region.objects.all()).filter(level=level).count()


@metric(
    "communities", label=_("社区数"), unit=pgettext_lazy("unit", "个"), definition=_("区域内的社区/村数量")
)
def communities(scope: Scope) -> int:
    return _regions_below(scope, RegionLevel.COMMUNITY)


@metric("grids", label=_("网格数"), unit=pgettext_lazy("unit", "个"), definition=_("区域内的网格数量"))
def grids(scope: Scope) -> int:
    return _regions_below(scope, RegionLevel.GRID)


@metric("persons", label=_("在册居民"), unit=PERSONS, definition=_("登记在区域内、状态为在册的居民人数"))
def persons(scope: Scope) -> int:
    return scope.of(Person.objects.all()).filter(status=PersonStatus.ACTIVE).count()


@metric(
    "households",
    label=_("户数"),
    unit=pgettext_lazy("unit", "户"),
    definition=_("区域内至少有一名在册成员的户数"),
)
def households(scope: Scope) -> int:
    active = Person.objects.filter(household=OuterRef("pk"), status=PersonStatus.ACTIVE)
    return scope.of(Household.objects.all()).filter(Exists(active)).count()


def _ledger(scope: Scope) -> LedgerCounts:
    return scope.memo("ledger", lambda: ledger_counts(user=scope.user, region=scope.region, as_of=scope.end))  # type: ignore[no-any-return]


@metric("disabled", label=_("持证残疾人"), unit=PERSONS, definition=_("持有有效残疾人证的在册居民人数"))
def disabled(scope: Scope) -> int:
    return _ledger(scope).total


def _colour_metric(colour: LedgerColour) -> None:
    @metric(
        f"ledger.{colour.value}",
        label=colour.label,
        unit=PERSONS,
        definition=_("按四色台账规则归入该颜色的持证残疾人人数"),
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
        definition=_("该残疾类别的持证残疾人人数"),
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
        definition=_("该残疾等级的持证残疾人人数"),
    )
    def value(scope: Scope) -> int:
        return _ledger(scope).by_level[level]


for _lvl in range(1, 5):
    _level_metric(_lvl)


@metric_family("tag", label=_("人员类别"), unit=PERSONS, definition=_("带有该类别标签的在册居民人数"))
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
    return {t.code: (t.name, counts.get(t.pk, 0)) for t in Tag.objects.all()}
