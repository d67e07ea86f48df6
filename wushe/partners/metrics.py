"""Figures of organizations and the resources list."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.reports.metrics import Scope, metric

from .models import Organization, OrganizationKind, Resource
from .selectors import organization_kind_counts, organizations_of_kind

UNITS = pgettext_lazy("unit", "家")


def _kinds(scope: Scope) -> dict[str, int]:
    return scope.memo(  # type: ignore[no-any-return]
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
