"""Reads of organizations, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from wushe.core.models import Region
from wushe.core.scoping import get_visible_or_404

from .models import Organization, ResponsibilityUnit


@dataclass
class OrganizationFilters:
    """The one filter definition of the organization list (page, API, export)."""

    q: str = ""
    kind: str = ""
    region: Region | None = None
    active: bool | None = True


def organization_list(*, user: Any, filters: OrganizationFilters | None = None) -> QuerySet[Organization]:
    f = filters or OrganizationFilters()
    qs = Organization.objects.visible_to(user).select_related("region", "parent")
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.active is not None:
        qs = qs.filter(active=f.active)
    if f.q:
        qs = qs.filter(name__icontains=f.q.strip())
    return qs.order_by("region__code", "kind", "name")


def get_organization_for_user(*, user: Any, pk: Any) -> Organization:
    return get_visible_or_404(Organization.objects.select_related("region", "parent"), user, pk=pk)


def responsibility_unit_list(
    *, user: Any, region: Region | None = None, kind: str = ""
) -> QuerySet[ResponsibilityUnit]:
    qs = ResponsibilityUnit.objects.visible_to(user).select_related("region", "organization")
    if region is not None:
        qs = qs.in_region(region)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(active=True).order_by("region__code", "kind", "name")


def get_responsibility_unit_for_user(*, user: Any, pk: Any) -> ResponsibilityUnit:
    return get_visible_or_404(
        ResponsibilityUnit.objects.select_related("region", "organization"), user, pk=pk
    )
