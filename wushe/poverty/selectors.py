"""Every read of the poverty work, scoped with ``visible_to(user)``: checks, leads (and the
overdue ones), monitoring objects, warnings, booklet batches; and what a household's booklet and
card show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from wushe.accounts.models import RoleGrant
from wushe.accounts.roles import Role
from wushe.core.checks import today
from wushe.core.regions import ancestor_ids
from wushe.core.scoping import ScopedQuerySet
from wushe.needs.services import default_unit_for
from wushe.registry.models import Household, Person, PersonStatus
from wushe.registry.selectors import heads_prefetch
from wushe.registry.selectors.households import MEMBER_ORDER

from .models import (
    STEPS,
    BookletBatch,
    CheckItem,
    HouseholdCheck,
    Lead,
    LeadStep,
    Measure,
    MonitoringObject,
    ObjectStatus,
    RiskWarning,
    WarningRun,
    WarningStatus,
)

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def _items() -> Prefetch[Any]:
    return Prefetch("items", queryset=CheckItem.objects.select_related("need").order_by("id"))


def check_list(*, user: AnyUser, household: Household | None = None) -> ScopedQuerySet[HouseholdCheck]:
    qs = HouseholdCheck.objects.visible_to(user)
    if household is not None:
        qs = qs.filter(household=household)
    return (
        qs.select_related("region", "by")
        .prefetch_related(heads_prefetch("household"), _items())
        .order_by("-checked_on", "-id")
    )


def get_check_for_user(user: AnyUser, pk: int) -> HouseholdCheck:
    check = check_list(user=user).select_related("household", "main_earner").filter(pk=pk).first()
    if check is None:
        raise Http404
    return check


def lead_list(*, user: AnyUser, open_only: bool = False) -> ScopedQuerySet[Lead]:
    qs = Lead.objects.visible_to(user)
    if open_only:
        qs = qs.filter(stage__in=STEPS)
    return (
        qs.select_related("region")
        .prefetch_related(heads_prefetch("household"))
        .order_by("-raised_on", "-id")
    )


def overdue_leads(*, user: AnyUser, on: datetime.date | None = None) -> ScopedQuerySet[Lead]:
    """Open leads past their deadline (the step they wait at is ``stage``), the oldest first."""
    day = on or today()
    return lead_list(user=user, open_only=True).filter(deadline__lt=day).order_by("deadline", "id")


def get_lead_for_user(user: AnyUser, pk: int) -> Lead:
    lead = (
        lead_list(user=user)
        .select_related("household", "by")
        .prefetch_related(Prefetch("steps", queryset=LeadStep.objects.select_related("by").order_by("id")))
        .filter(pk=pk)
        .first()
    )
    if lead is None:
        raise Http404
    return lead


def object_list(*, user: AnyUser, status: str = "") -> ScopedQuerySet[MonitoringObject]:
    qs = MonitoringObject.objects.visible_to(user)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("region")
        .prefetch_related(heads_prefetch("household"))
        .order_by("-started_on", "-id")
    )


def get_object_for_user(user: AnyUser, pk: int) -> MonitoringObject:
    obj = (
        object_list(user=user)
        .select_related("household", "lead")
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.order_by("started_on", "id")), "incomes"
        )
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise Http404
    return obj


def warning_list(*, user: AnyUser, status: str = "") -> ScopedQuerySet[RiskWarning]:
    qs = RiskWarning.objects.visible_to(user)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("region", "lead", "decided_by")
        .prefetch_related(heads_prefetch("household"))
        .order_by("-raised_on", "-id")
    )


def get_warning_for_user(user: AnyUser, pk: int) -> RiskWarning:
    warning = warning_list(user=user).select_related("household").filter(pk=pk).first()
    if warning is None:
        raise Http404
    return warning


def last_warning_run() -> WarningRun | None:
    return WarningRun.objects.order_by("-started_at", "-id").first()


def open_warnings(user: AnyUser) -> QuerySet[RiskWarning]:
    return warning_list(user=user, status=WarningStatus.OPEN)


def batch_list(*, user: AnyUser) -> ScopedQuerySet[BookletBatch]:
    return (
        BookletBatch.objects.visible_to(user)
        .defer("pdf")
        .select_related("region")
        .order_by("-created_at", "-id")
    )


def get_batch_for_user(user: AnyUser, pk: int, *, with_pdf: bool = False) -> BookletBatch:
    qs = BookletBatch.objects.visible_to(user).select_related("region")
    batch = (qs if with_pdf else qs.defer("pdf")).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


# ---- the 一户一册 and 一户一卡 --------------------------------------------------------------------


@dataclass
class Helper:
    name: str
    role: str
    phone: str = ""


@dataclass
class Booklet:
    household: Household
    members: list[Person]
    head: Person | None
    checks: list[HouseholdCheck]
    monitored: MonitoringObject | None
    objects: list[MonitoringObject]
    helpers: list[Helper]
    service_phone: str
    leads: list[Lead] = field(default_factory=list)


def helpers_of(household: Household, monitored: list[MonitoringObject]) -> tuple[list[Helper], str]:
    """Who helps the household (the social workers granted on its grid or community, the cadres of
    its measures, the unit that answers for its needs) and the service phone (that unit's)."""
    from django.utils.translation import gettext as _

    helpers: list[Helper] = []
    region_ids = ancestor_ids(household.region)
    for grant in (
        RoleGrant.objects.filter(role=Role.SOCIAL_WORKER, region_id__in=region_ids, user__is_active=True)
        .select_related("user", "region")
        .order_by("-region__path", "user__username")[:3]
    ):
        helpers.append(
            Helper(
                grant.user.display_name or grant.user.username,
                _("网格社工（%(r)s）") % {"r": grant.region.name},
            )
        )
    seen = set()
    for obj in monitored:
        for m in obj.measures.all():
            if m.cadre not in seen:
                seen.add(m.cadre)
                helpers.append(Helper(m.cadre, _("帮扶干部：%(k)s") % {"k": m.get_kind_display()}))
    unit = default_unit_for(household.region)
    phone = str(getattr(settings, "WUSHE_SERVICE_PHONE", "") or "")
    if unit is not None:
        helpers.append(Helper(unit.contact_name or unit.name, unit.name, unit.contact_phone))
        phone = unit.contact_phone or phone
    return helpers, phone


def booklet_for(user: AnyUser, household: Household) -> Booklet:
    """What the booklet and card show of a household the user may see (the caller has checked)."""
    members = list(
        Person.objects.filter(household=household)
        .exclude(status=PersonStatus.MOVED)
        .prefetch_related("certificates")
        .order_by(*MEMBER_ORDER)
    )
    checks = list(check_list(user=user, household=household)[:5])
    objects = list(
        MonitoringObject.objects.visible_to(user)
        .filter(household=household)
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("started_on", "id")))
        .order_by("-started_on", "-id")
    )
    current = next((o for o in objects if o.status == ObjectStatus.MONITORED), None)
    helpers, phone = helpers_of(household, objects)
    head = next((m for m in members if m.relation_to_head == "head"), None)
    leads = list(Lead.objects.visible_to(user).filter(household=household).order_by("-raised_on", "-id")[:5])
    return Booklet(household, members, head, checks, current, objects, helpers, phone, leads)


def households_of(region: Any) -> QuerySet[Household]:
    return Household.objects.in_region(region).filter(active_members__gt=0).order_by("id")


# ---- the list pages' selectors (``core.listing.ListPage``: ``records(user=, filters=)``) ------


def checks_page(*, user: AnyUser, filters: int | None = None) -> QuerySet[HouseholdCheck]:
    qs = check_list(user=user)
    return qs.filter(household_id=filters) if filters else qs


def leads_page(*, user: AnyUser, filters: bool = False) -> QuerySet[Lead]:
    return overdue_leads(user=user) if filters else lead_list(user=user)


def objects_page(*, user: AnyUser, filters: str = "") -> QuerySet[MonitoringObject]:
    return object_list(user=user, status=filters)


def warnings_page(*, user: AnyUser, filters: str = "") -> QuerySet[RiskWarning]:
    return warning_list(user=user, status=filters)
