"""Figures of organizations and the resources list."""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, region_name, yes_no
from wushe.core.metrics import Scope, metric

from .models import Organization, OrganizationKind, Resource
from .selectors import organization_kind_counts, organizations_of_kind

UNITS = pgettext_lazy("unit", "家")


def _kinds(scope: Scope) -> dict[str, int]:
    return scope.memo(
        "organization_kinds", lambda: organization_kind_counts(scope.of(Organization.objects.all()))
    )


def _resources(scope: Scope) -> Any:
    return scope.of(Resource.objects.filter(active=True))


def _of_kind(kind: str) -> Any:
    return lambda scope: organizations_of_kind(scope.of(Organization.objects.all()), kind)


@metric(
    "resources",
    label=_("资源数"),
    unit=pgettext_lazy("unit", "项"),
    definition=_("资源清单中在用的资源数"),
    records=_resources,
)
def resources(scope: Scope) -> int:
    return _resources(scope).count()


@metric(
    "organizations.professional",
    label=_("专业社工机构"),
    unit=UNITS,
    definition=_("登记在区域内、在用的专业社工机构数"),
    records=_of_kind(OrganizationKind.PROFESSIONAL),
)
def professional(scope: Scope) -> int:
    return _kinds(scope).get(OrganizationKind.PROFESSIONAL, 0)


@metric(
    "organizations.community",
    label=_("社区社会组织"),
    unit=UNITS,
    definition=_("登记在区域内、在用的社区社会组织数"),
    records=_of_kind(OrganizationKind.COMMUNITY),
)
def community(scope: Scope) -> int:
    return _kinds(scope).get(OrganizationKind.COMMUNITY, 0)


# ---- how the drill-down lists resources and organizations --------------------------------------


def _prepare_resources(resources: list[Resource]) -> None:
    prefetch_related_objects(resources, "region__parent", "provider", "categories")


def _prepare_organizations(organizations: list[Organization]) -> None:
    prefetch_related_objects(organizations, "region__parent", "parent")


drill_columns(
    Resource,
    [
        Column(_("资源名称"), lambda r: r.name, 20),
        Column(_("提供方"), lambda r: r.provider.name, 24),
        Column(_("资源类型"), lambda r: r.get_kind_display(), 10),
        Column(_("服务的需求类别"), lambda r: "、".join(c.label for c in r.categories.all()), 20),
        Column(_("容量（人次）"), lambda r: r.capacity, 8),
        Column(_("剩余容量"), lambda r: r.remaining, 8),
        Column(_("可用起始日期"), lambda r: r.available_from, 12),
        Column(_("可用截止日期"), lambda r: r.available_to, 12),
        Column(_("服务区域"), lambda r: region_name(r.region), 24),
    ],
    url=lambda r: reverse("partners:resource_detail", args=[r.pk]),
    prepare=_prepare_resources,
)
drill_columns(
    Organization,
    [
        Column(_("名称"), lambda o: o.name, 24),
        Column(_("类型"), lambda o: o.get_kind_display(), 12),
        Column(_("统一社会信用代码"), lambda o: o.credit_code, 20),
        Column(_("上级组织"), lambda o: o.parent.name if o.parent else "", 20),
        Column(_("联系人"), lambda o: o.contact_name, 10),
        Column(_("在用"), lambda o: yes_no(o.active), 6),
        Column(_("所属区域"), lambda o: region_name(o.region), 24),
    ],
    url=lambda o: reverse("partners:organization_detail", args=[o.pk]),
    prepare=_prepare_organizations,
)
