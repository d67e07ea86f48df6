"""Figures of the home visits (五门一声). The record sets are the selectors' (``visits_in_period``,
``households_recently_visited``); the values of one table are counted in one query."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, region_name
from wushe.core.metrics import Scope, metric, rate
from wushe.registry.models import Household
from wushe.registry.selectors import masked_people, named_households

from . import selectors
from .models import Visit


def _figures(scope: Scope) -> dict[str, int]:
    return scope.memo(
        "visits",
        lambda: selectors.visit_figures(
            selectors.visits_in_period(scope.of(Visit.objects.all()), scope.start, scope.end)
        ),
    )


def _visits(scope: Scope) -> Any:
    return selectors.visits_in_period(scope.of(Visit.objects.all()), scope.start, scope.end)


def _households(scope: Scope) -> Any:
    return selectors.active_households(scope.of(Household.objects.all()))


def _recently_visited(households: Any, scope: Scope) -> Any:
    return selectors.households_recently_visited(
        households, as_of=scope.end or timezone.localdate(), days=selectors.coverage_days()
    )


@metric(
    "visits",
    label=_("走访次数"),
    unit=pgettext_lazy("unit", "次"),
    definition=_("期间内的五门一声走访记录数"),
    records=_visits,
    trend=True,
    date_field="visited_on",
)
def visits(scope: Scope) -> int:
    return _figures(scope)["visits"]


@metric(
    "households_visited",
    label=_("走访户数"),
    unit=pgettext_lazy("unit", "户"),
    definition=_("期间内至少走访过一次的户数"),
    records=lambda s: s.of(Household.objects.all()).filter(pk__in=_visits(s).values("household_id")),
)
def households_visited(scope: Scope) -> int:
    return _figures(scope)["households"]


@metric(
    "visits.coverage",
    label=_("走访覆盖率"),
    unit="%",
    definition=_("有在册成员的户中，最近N天（走访周期配置）内走访过的户所占百分比"),
    records=_households,
    numerator=_recently_visited,
)
def coverage(scope: Scope) -> Decimal | None:
    households = _households(scope)
    # the households with a registered member do not depend on the period: counted once for all
    # the periods of a dashboard, and shared with the registry's figure of households
    total = scope.memo("households.active", households.count, shared=True)
    return rate(_recently_visited(households, scope).count(), total)


@metric(
    "leaflets",
    label=_("发放宣传资料"),
    unit=pgettext_lazy("unit", "份"),
    definition=_("期间内走访中发放的政策宣传资料份数"),
    records=lambda s: _visits(s).filter(leaflets__gt=0),
    sum_of="leaflets",
)
def leaflets(scope: Scope) -> int:
    return _figures(scope)["leaflets"]


@metric(
    "policies_explained",
    label=_("宣讲政策"),
    unit=pgettext_lazy("unit", "次"),
    definition=_("期间内走访中宣讲政策的次数之和"),
    records=lambda s: _visits(s).filter(policies_explained__gt=0),
    sum_of="policies_explained",
)
def policies_explained(scope: Scope) -> int:
    return _figures(scope)["policies"]


# ---- how the drill-down lists visits (masked personal data only) -------------------------------


def _prepare_visits(visits: list[Visit]) -> None:
    prefetch_related_objects(
        visits, "region__parent", "workers", masked_people("person"), *named_households("household")
    )


drill_columns(
    Visit,
    [
        Column(_("走访日期"), lambda v: v.visited_on, 12),
        Column(_("居民/户"), lambda v: str(v.person or v.household or ""), 16),
        Column(_("走访方式"), lambda v: v.get_channel_display(), 8),
        Column(_("走访人"), lambda v: "、".join(str(w) for w in v.workers.all()), 20),
        Column(_("发放宣传资料（份）"), lambda v: v.leaflets, 10),
        Column(_("宣讲政策数"), lambda v: v.policies_explained, 10),
        Column(_("所属区域"), lambda v: region_name(v.region), 24),
    ],
    url=lambda v: reverse("visits:visit_detail", args=[v.pk]),
    prepare=_prepare_visits,
)
