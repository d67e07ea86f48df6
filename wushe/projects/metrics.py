"""Figures of the 项目清单."""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, region_name
from wushe.core.metrics import Scope, metric

from .models import Project
from .selectors import projects_in_period


def _running(scope: Scope) -> Any:
    return projects_in_period(scope.of(Project.objects.all()), scope.start, scope.end)


@metric(
    "projects",
    label=_("项目数"),
    unit=pgettext_lazy("unit", "个"),
    definition=_("期间内实施中的项目数"),
    records=_running,
)
def projects(scope: Scope) -> int:
    return _running(scope).count()


# ---- how the drill-down lists projects ---------------------------------------------------------


def _prepare_projects(projects: list[Project]) -> None:
    prefetch_related_objects(projects, "region__parent", "organization")


drill_columns(
    Project,
    [
        Column(_("项目名称"), lambda p: p.name, 24),
        Column(_("项目类型"), lambda p: p.get_kind_display(), 10),
        Column(_("承接组织"), lambda p: p.organization.name, 24),
        Column(_("开始日期"), lambda p: p.start_on, 12),
        Column(_("结束日期"), lambda p: p.end_on, 12),
        Column(_("预算（元）"), lambda p: p.budget, 12),
        Column(_("资金来源"), lambda p: p.funding_source, 16),
        Column(_("实施区域"), lambda p: region_name(p.region), 24),
    ],
    url=lambda p: reverse("projects:project_detail", args=[p.pk]),
    prepare=_prepare_projects,
)
