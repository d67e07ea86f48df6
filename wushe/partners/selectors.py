"""Reads of organizations, scoped to the user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wushe.core.models import Region
from wushe.core.scoping import get_visible_or_404, visible_or_above

from .models import Organization, Resource, ResponsibilityUnit

if TYPE_CHECKING:
    from wushe.core.types import AnyUser

ResourcesQS = TypeVar("ResourcesQS", bound=QuerySet[Resource])


@dataclass
class OrganizationFilters:
    """The one filter definition of the organization list (page, API, export)."""

    q: str = ""
    kind: str = ""
    region: Region | None = None
    active: bool | None = True


def organization_list(*, user: AnyUser, filters: OrganizationFilters | None = None) -> QuerySet[Organization]:
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


def get_organization_for_user(*, user: AnyUser, pk: int | str) -> Organization:
    return get_visible_or_404(Organization.objects.select_related("region", "parent"), user, pk=pk)


def responsibility_unit_list(
    *, user: AnyUser, region: Region | None = None, kind: str = ""
) -> QuerySet[ResponsibilityUnit]:
    qs = ResponsibilityUnit.objects.visible_to(user).select_related("region", "organization")
    if region is not None:
        qs = qs.in_region(region)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(active=True).order_by("region__code", "kind", "name")


def get_responsibility_unit_for_user(*, user: AnyUser, pk: int | str) -> ResponsibilityUnit:
    return get_visible_or_404(
        ResponsibilityUnit.objects.select_related("region", "organization"), user, pk=pk
    )


@dataclass
class ResourceFilters:
    """The one filter definition of the resource list (page and API)."""

    q: str = ""
    category: str = ""
    kind: str = ""
    region: Region | None = None
    provider: int | None = None
    available: bool = False  # only those with capacity left
    attention: bool = False  # used up, or the period ends within RESOURCE_ENDING_DAYS days


RESOURCE_ENDING_DAYS = 30


def needing_attention(qs: ResourcesQS, today: datetime.date | None = None) -> ResourcesQS:
    """Resources to renew or replenish: nothing left, or their period ends within
    ``RESOURCE_ENDING_DAYS`` days (today included)."""
    today = today or timezone.localdate()
    ending = Q(
        available_to__gte=today, available_to__lte=today + datetime.timedelta(days=RESOURCE_ENDING_DAYS)
    )
    return qs.filter(Q(remaining=0) | ending)


def resource_list(*, user: AnyUser, filters: ResourceFilters | None = None) -> QuerySet[Resource]:
    f = filters or ResourceFilters()
    qs = Resource.objects.visible_to(user).filter(active=True).select_related("region", "provider")
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.category:
        qs = qs.filter(categories__code=f.category)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.provider:
        qs = qs.filter(provider_id=f.provider)
    if f.available:
        qs = qs.filter(remaining__gt=0)
    if f.attention:
        qs = needing_attention(qs)
    if f.q:
        qs = qs.filter(name__icontains=f.q.strip())
    return qs.prefetch_related("categories").order_by("region__code", "name", "id")


def resources_needing_attention(user: AnyUser) -> QuerySet[Resource]:
    """To-do: the resources in the user's area used up or ending soon (``needing_attention``);
    listed by ``/partners/resources/?attention=on``."""
    return resource_list(user=user, filters=ResourceFilters(attention=True)).prefetch_related(None)


def get_resource_for_user(*, user: AnyUser, pk: int | str) -> Resource:
    return get_visible_or_404(
        Resource.objects.select_related("region", "provider").prefetch_related("categories", "target_tags"),
        user,
        pk=pk,
    )


def organizations_of_kind(qs: QuerySet[Organization], kind: str) -> QuerySet[Organization]:
    return qs.filter(kind=kind, active=True)


def organization_kind_counts(qs: QuerySet[Organization]) -> dict[str, int]:
    """Active organizations by kind (``organizations_of_kind`` for each), one grouped query."""
    rows = (
        qs.filter(active=True).values_list("kind").annotate(n=Count("id")).values_list("kind", "n").order_by()
    )
    return dict(rows)


def usable_organizations(user: AnyUser) -> QuerySet[Organization]:
    """Organizations a user may pick for work: those in the user's scope, and those registered
    on the regions above it (a street's organizations serve its communities) —
    ``core.scoping.visible_or_above``."""
    return visible_or_above(Organization.objects.filter(active=True), user)
