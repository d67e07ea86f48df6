"""Figures of the home visits (五门一声)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.needs.metrics import percent
from wushe.registry.models import Household
from wushe.reports.metrics import Scope, metric

from . import selectors
from .models import Visit


def _visits(scope: Scope):  # type: ignore[no-untyped-def]
    return selectors.visits_in_period(scope.of(Visit.objects.all()), scope.start, scope.end)


def _sums(scope: Scope) -> dict[str, int]:
    return scope.memo("visit_sums", lambda: selectors.visit_sums(_visits(scope)))  # type: ignore[no-any-return]


@metric(
    "visits",
    label=_("走访次数"),
    unit=pgettext_lazy("unit", "次"),
    definition=_("期间内的五门一声走访记录数"),
)
def visits(scope: Scope) -> int:
    return _visits(scope).count()


@metric(
    "households_visited",
    label=_("走访户数"),
    unit=pgettext_lazy("unit", "户"),
    definition=_("期间内至少走访过一次的户数"),
)
def households_visited(scope: Scope) -> int:
    return _visits(scope).exclude(household__isnull=True).values("household_id").distinct().count()


@metric(
    "visits.coverage",
    label=_("走访覆盖率"),
    unit="%",
    definition=_("有在册成员的户中，最近N天（走访周期配置）内走访过的户所占百分比"),
)
def coverage(scope: Scope) -> Decimal:
    households = selectors.active_households(scope.of(Household.objects.all()))
    as_of = scope.end or timezone.localdate()
    visited = selectors.households_recently_visited(households, as_of=as_of, days=selectors.coverage_days())
    return percent(visited.count(), households.count())


@metric(
    "leaflets",
    label=_("发放宣传资料"),
    unit=pgettext_lazy("unit", "份"),
    definition=_("期间内走访中发放的政策宣传资料份数"),
)
def leaflets(scope: Scope) -> int:
    return _sums(scope)["leaflets"]


@metric(
    "policies_explained",
    label=_("宣讲政策"),
    unit=pgettext_lazy("unit", "次"),
    definition=_("期间内走访中宣讲政策的次数之和"),
)
def policies_explained(scope: Scope) -> int:
    return _sums(scope)["policies"]
