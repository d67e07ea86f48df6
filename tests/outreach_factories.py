"""Builders for the outreach apps (visits, needs, resources, projects), through the services."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wushe.needs import services as need_services
from wushe.needs.models import Need
from wushe.partners import services as partner_services
from wushe.partners.models import Organization, OrganizationKind, Resource, ResponsibilityUnit, UnitKind
from wushe.projects import services as project_services
from wushe.projects.models import Project, ProjectKind
from wushe.registry.services import household_create
from wushe.visits import services as visit_services
from wushe.visits.models import Visit

from .factories import OrganizationFactory, PersonFactory

_n = itertools.count(1)
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def units_for(
    street: Any, communities: Sequence[Any] = (), grids: Sequence[Any] = ()
) -> dict[str, ResponsibilityUnit]:
    out = {
        "station": partner_services.responsibility_unit_get_or_create(
            acting_user=None, region=street, kind=UnitKind.STATION, name=f"{street.name}社工站"
        )
    }
    for c in communities:
        out[c.code] = partner_services.responsibility_unit_get_or_create(
            acting_user=None, region=c, kind=UnitKind.SUBSTATION, name=f"{c.name}社工分站"
        )
    for g in grids:
        out[g.code] = partner_services.responsibility_unit_get_or_create(
            acting_user=None, region=g, kind=UnitKind.GRID_WORKER, name=f"{g.name}网格社工"
        )
    return out


def household_in(region: Any, **kw: Any) -> Any:
    person = PersonFactory(region=region, **kw)
    return household_create(acting_user=None, head=person)


def make_org(region: Any, kind: str = OrganizationKind.PROFESSIONAL, name: str = "") -> Organization:
    return OrganizationFactory(region=region, kind=kind, name=name or f"测试机构{next(_n)}")


def make_resource(
    provider: Organization,
    region: Any,
    *,
    categories: Sequence[str] = ("rehab",),
    capacity: int = 5,
    name: str = "",
    period: tuple[datetime.date, datetime.date] | None = YEAR,
) -> Resource:
    return partner_services.resource_create(
        acting_user=None,
        provider=provider,
        region=region,
        name=name or f"测试资源{next(_n)}",
        categories=list(categories),
        capacity=capacity,
        available_from=period[0] if period else None,
        available_to=period[1] if period else None,
    )


def make_project(
    org: Organization, region: Any, *, categories: Sequence[str] = ("rehab",), name: str = ""
) -> Project:
    return project_services.project_create(
        acting_user=None,
        region=region,
        name=name or f"测试项目{next(_n)}",
        kind=ProjectKind.DISABILITY,
        organization=org,
        start_on=YEAR[0],
        end_on=YEAR[1],
        budget=Decimal("1000.00"),
        categories=list(categories),
    )


def make_need(
    household: Any, *, category: str = "rehab", description: str = "需要康复训练", **kw: Any
) -> Need:
    return need_services.need_create(
        acting_user=kw.pop("acting_user", None),
        household=household,
        category=category,
        description=description,
        **kw,
    )


def make_visit(household: Any, *, day: datetime.date | None = None, **kw: Any) -> Visit:
    acting_user = kw.pop("acting_user", None)
    data = visit_services.VisitInput(visited_on=day or datetime.date(2026, 6, 1), household=household, **kw)
    return visit_services.visit_record(acting_user=acting_user, data=data)


@dataclass
class Outreach:
    """Units, a household with a need, an organization with a resource, in one community."""

    units: dict[str, ResponsibilityUnit]
    household: Any
    need: Need
    org: Organization
    resource: Resource


def outreach_in(tree: Any, grid: Any = None, community: Any = None) -> Outreach:
    grid = grid or tree.grid_a
    community = community or tree.community_a
    units = units_for(tree.street, [tree.community_a, tree.community_b], [tree.grid_a, tree.grid_b])
    household = household_in(grid)
    need = make_need(household)
    org = make_org(tree.street)
    resource = make_resource(org, community)
    return Outreach(units, household, need, org, resource)


def count_queries(client: Any, url: str) -> int:
    """Queries of one GET (which must succeed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)
