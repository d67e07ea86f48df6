"""Matching: the resources (partners) and projects that could meet a need, nearest area first,
each with the reason. Above partners and projects in the layers (docs/architecture.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.core.models import Region, RegionLevel
from wushe.core.regions import ancestor_ids
from wushe.partners.models import Resource
from wushe.projects.models import Project

from .models import Need

_AREA_LABELS = {
    RegionLevel.GRID: gettext_lazy("所在网格"),
    RegionLevel.COMMUNITY: gettext_lazy("所在社区"),
    RegionLevel.STREET: gettext_lazy("所在街道"),
}


@dataclass
class Suggestion:
    kind: str  # "resource" or "project"
    target: Any
    distance: int  # 0: the need's own region, 1: the one above …
    reason: str

    @property
    def provider(self) -> Any:
        return self.target.provider if self.kind == "resource" else self.target.organization


def _area(need: Need, region: Region) -> tuple[int, str] | None:
    ids = ancestor_ids(need.region)
    if region.pk not in ids:
        return None
    level_label = _AREA_LABELS.get(RegionLevel(region.level), _("上级区域"))
    return ids.index(region.pk), f"{level_label}（{region.name}）"


def suggestion_reason(*, need: Need, target: Any, on: datetime.date | None = None) -> str | None:
    """Why ``target`` (a resource or a project) suits the need, or ``None`` if it does not:
    same category, an area that covers the need's, capacity left, within its period."""
    on = on or timezone.localdate()
    if not target.categories.filter(pk=need.category_id).exists():
        return None
    area = _area(need, target.region)
    if area is None:
        return None
    parts = [_("同类需求（%(c)s）") % {"c": need.category.label}, _("服务范围：%(a)s") % {"a": area[1]}]
    if isinstance(target, Resource):
        if not target.active or target.remaining <= 0:
            return None
        if (target.available_from and target.available_from > on) or (
            target.available_to and target.available_to < on
        ):
            return None
        parts.append(_("剩余容量 %(r)s/%(c)s") % {"r": target.remaining, "c": target.capacity})
        if target.available_to:
            parts.append(_("可用至 %(d)s") % {"d": target.available_to.isoformat()})
    else:
        if not (target.start_on <= on <= target.end_on):
            return None
        parts.append(
            _("项目周期 %(a)s 至 %(b)s") % {"a": target.start_on.isoformat(), "b": target.end_on.isoformat()}
        )
    return "；".join(str(p) for p in parts)


def need_suggestions(*, need: Need, on: datetime.date | None = None, limit: int = 20) -> list[Suggestion]:
    """Ranked resources and projects for a need: nearest area first (grid → community →
    street), then most capacity left; each with the reason. The caller has already opened the
    need (``get_need_for_user``); a provider's offer is seen by whoever may see the need."""
    on = on or timezone.localdate()
    ids = ancestor_ids(need.region)
    order = {rid: i for i, rid in enumerate(ids)}
    resources = (
        Resource.objects.filter(active=True, categories=need.category_id, region_id__in=ids, remaining__gt=0)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=on))
        .filter(Q(available_to__isnull=True) | Q(available_to__gte=on))
        .select_related("provider", "region")
        .distinct()[:200]
    )
    projects = (
        Project.objects.filter(
            categories=need.category_id, region_id__in=ids, start_on__lte=on, end_on__gte=on
        )
        .select_related("organization", "region")
        .distinct()[:200]
    )
    out: list[Suggestion] = []
    for r in resources:
        out.append(Suggestion("resource", r, order[r.region_id], _reason(need, r, order[r.region_id], on)))
    for p in projects:
        out.append(Suggestion("project", p, order[p.region_id], _reason(need, p, order[p.region_id], on)))
    out.sort(
        key=lambda s: (
            s.distance,
            0 if s.kind == "resource" else 1,
            -(s.target.remaining if s.kind == "resource" else 0),
            s.target.name,
        )
    )
    return out[:limit]


def _reason(need: Need, target: Any, distance: int, on: datetime.date) -> str:
    """The reason without further queries (the candidates already passed the filters)."""
    region = target.region
    level_label = _AREA_LABELS.get(RegionLevel(region.level), _("上级区域"))
    parts = [
        _("同类需求（%(c)s）") % {"c": need.category.label},
        _("服务范围：%(a)s") % {"a": f"{level_label}（{region.name}）"},
    ]
    if isinstance(target, Resource):
        parts.append(_("剩余容量 %(r)s/%(c)s") % {"r": target.remaining, "c": target.capacity})
        if target.available_to:
            parts.append(_("可用至 %(d)s") % {"d": target.available_to.isoformat()})
    else:
        parts.append(
            _("项目周期 %(a)s 至 %(b)s") % {"a": target.start_on.isoformat(), "b": target.end_on.isoformat()}
        )
    return "；".join(str(p) for p in parts)
