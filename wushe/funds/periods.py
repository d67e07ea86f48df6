"""The periods of a 公示: a month (``2025-03``), a quarter (``2025Q1``) or a project's end
(``project-12``: from the project's start to its end)."""

from __future__ import annotations

import calendar
import datetime
import re

from django.http import Http404
from django.utils.translation import gettext as _

from .models import Fund

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_PROJECT = re.compile(r"^project-(\d{1,12})$")


def parse_period(fund: Fund, period: str) -> tuple[datetime.date, datetime.date, str]:
    """(start, end, title) of ``period``; an unknown period is a 404."""
    if m := _MONTH.match(period):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise Http404
        last = calendar.monthrange(year, month)[1]
        title = _("%(y)s年%(m)s月") % {"y": year, "m": month}
        return datetime.date(year, month, 1), datetime.date(year, month, last), title
    if m := _QUARTER.match(period):
        year, q = int(m[1]), int(m[2])
        if not 2000 <= year <= 2100:
            raise Http404
        start = datetime.date(year, 3 * q - 2, 1)
        end_month = 3 * q
        end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
        return start, end, _("%(y)s年第%(q)s季度") % {"y": year, "q": q}
    if m := _PROJECT.match(period):
        from wushe.projects.models import Project

        project = Project.objects.filter(pk=int(m[1])).first()
        if project is None or not fund.disbursements.filter(project=project).exists():
            raise Http404
        return project.start_on, project.end_on, _("项目“%(p)s”结项") % {"p": project.name}
    raise Http404


def current_quarter(day: datetime.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"
