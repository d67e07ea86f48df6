"""Figures of the 项目清单."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.reports.metrics import Scope, metric

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
