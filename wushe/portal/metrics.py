"""Figures of the residents' ratings through one-time links (visits and service records), and of
the requests residents submitted themselves."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, region_name
from wushe.core.metrics import Scope, metric, rate
from wushe.core.models import SATISFIED_VALUES

from .models import RatingLink, Submission


def _rated(scope: Scope) -> Any:
    qs = scope.of(RatingLink.objects.all()).filter(used_at__isnull=False)
    return scope.in_period(qs, "used_at")


@metric(
    "portal.ratings",
    label=_("居民评价（走访和服务）"),
    unit=pgettext_lazy("unit", "条"),
    definition=_("居民通过一次性评价链接对入户走访和个案服务给出的评价数（按评价日期）"),
    records=_rated,
)
def ratings(scope: Scope) -> int:
    return _rated(scope).count()


@metric(
    "portal.ratings.satisfaction_rate",
    label=_("走访和服务的居民满意率"),
    unit="%",
    definition=_("居民通过一次性评价链接给出的评价中，满意和基本满意所占的百分比"),
    records=_rated,
    numerator=lambda records, scope: records.filter(satisfaction__in=SATISFIED_VALUES),
)
def ratings_satisfaction_rate(scope: Scope) -> Decimal | None:
    agg = _rated(scope).aggregate(
        n=Count("id"), good=Count("id", filter=Q(satisfaction__in=SATISFIED_VALUES))
    )
    return rate(agg["good"], agg["n"])


def _submitted(scope: Scope) -> Any:
    return scope.in_period(scope.of(Submission.objects.all()), "submitted_at")


@metric(
    "portal.submissions",
    label=_("居民网上提交的诉求"),
    unit=pgettext_lazy("unit", "件"),
    definition=_("居民在网上诉求页面提交的诉求数（含待受理和不予受理的，按提交日期）"),
    records=_submitted,
)
def submissions(scope: Scope) -> int:
    return _submitted(scope).count()


def _with_regions(rows: list[Any]) -> None:
    prefetch_related_objects(rows, "region__parent")


def _with_communities(rows: list[Any]) -> None:
    prefetch_related_objects(rows, "community__parent", "appeal")


drill_columns(
    RatingLink,
    [
        Column(_("评价对象"), lambda r: r.get_kind_display(), 10),
        Column(_("评价时间"), lambda r: r.used_at, 14),
        Column(_("满意度"), lambda r: r.get_satisfaction_display(), 10),
        Column(_("居民评价"), lambda r: r.words, 40),
        Column(_("所属区域"), lambda r: region_name(r.region), 24),
    ],
    prepare=_with_regions,
)
drill_columns(
    Submission,
    [
        Column(_("提交编号"), lambda s: s.number, 14),
        Column(_("类别"), lambda s: s.get_category_display(), 8),
        Column(_("状态"), lambda s: s.get_status_display(), 8),
        Column(_("提交时间"), lambda s: s.submitted_at, 14),
        Column(_("诉求编号"), lambda s: s.appeal.number if s.appeal else "", 14),
        Column(_("所属社区"), lambda s: region_name(s.community), 24),
    ],
    prepare=_with_communities,
    defer=("requester_phone",),
)
