"""Figures counted ahead of time: a dashboard's counted figures (``reports.dashboard.Counted``) for
one region, period and day, so that the dashboard and the large screen show them without counting a
million records on every request."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureSnapshot(models.Model):
    """The dashboard of ``region`` over ``start``–``end`` as counted at ``counted_at`` on day
    ``as_of`` (the figures that depend on the clock — coverage, overdue, ages — are those of that
    day), with the labels in ``language``. Counted as the operator (no user's scope): it is shown
    only to users whose grants cover the whole region, for whom the figures are the same
    (``core.scoping.covers``). Kept current by the task worker (``reports.services``) and
    rebuilt by ``manage.py figures_rebuild``; never edited by hand."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("区域"), on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField(_("统计期起"))
    end = models.DateField(_("统计期止"))
    as_of = models.DateField(_("统计日"))
    language = models.CharField(max_length=10)
    counted = models.JSONField(default=dict)  # reports.dashboard.encode(Counted)
    counted_at = models.DateTimeField(_("计算时间"))
    took_ms = models.PositiveIntegerField(_("计算耗时（毫秒）"), default=0)
    refresh_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("预先计算的统计")
        verbose_name_plural = _("预先计算的统计")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "start", "end", "as_of", "language"], name="reports_snapshot_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.start}–{self.end} @ {self.counted_at:%Y-%m-%d %H:%M}"
