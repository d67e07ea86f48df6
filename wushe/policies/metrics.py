"""Figures of 政策找人, computed from the records with their drill-down: policies put into effect
in the period (``policies.applied``) and the people who qualify and do not receive a policy, as of
each policy's last run (``policies.unreached``)."""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, region_name
from wushe.core.metrics import Scope, metric

from .models import PolicyApplication, PolicyMatch
from .selectors import unreached_of


def _applied(scope: Scope) -> Any:
    records = scope.of(PolicyApplication.objects.filter(revoked_at__isnull=True))
    return scope.in_period(records, "applied_on")


@metric(
    "policies.applied",
    label=_("落实政策"),
    unit=pgettext_lazy("unit", "项"),
    definition=_("期间内为居民落实的政策（每人每项政策每次落实计一项，撤销的不计）"),
    records=_applied,
    date_field="applied_on",
)
def policies_applied(scope: Scope) -> int:
    return int(_applied(scope).count())


def _unreached(scope: Scope) -> Any:
    return unreached_of(scope.of(PolicyMatch.objects.all()))


@metric(
    "policies.unreached",
    label=_("应享未享"),
    unit=pgettext_lazy("unit", "人次"),
    definition=_("按各项政策最近一次政策找人计算，符合条件而未享受、此后也未登记落实的人次"),
    records=_unreached,
    period="none",
)
def policies_unreached(scope: Scope) -> int:
    return int(_unreached(scope).count())


drill_columns(
    PolicyApplication,
    [
        Column(_("落实日期"), lambda a: a.applied_on, 12),
        Column(_("政策"), lambda a: a.policy.name, 24),
        Column(_("主管部门"), lambda a: a.policy.get_department_display(), 10),
        Column(_("享受人"), lambda a: a.person.name, 12),
        Column(_("所属区域"), lambda a: region_name(a.region), 24),
        Column(_("落实内容"), lambda a: a.benefit, 30),
    ],
    url=lambda a: reverse("policies:application_detail", args=[a.pk]),
    prepare=lambda rows: prefetch_related_objects(rows, "policy", "person", "region__parent"),
)

drill_columns(
    PolicyMatch,
    [
        Column(_("政策"), lambda m: m.policy.name, 24),
        Column(_("姓名"), lambda m: m.person.name, 12),
        Column(_("所属区域"), lambda m: region_name(m.region), 24),
    ],
    url=lambda m: reverse("policies:policy_detail", args=[m.policy_id]),
    prepare=lambda rows: prefetch_related_objects(rows, "policy", "person", "region__parent"),
    defer=("facts",),
)
