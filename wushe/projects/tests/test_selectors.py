"""The 项目清单's scoped reads: the list by its one filter definition, the detail, the period."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404

from tests.outreach_factories import household_in, make_need, make_org, make_project, units_for
from wushe.needs.services import need_accept
from wushe.projects import selectors
from wushe.projects.models import Project, ProjectKind

pytestmark = pytest.mark.django_db


def test_the_project_list_is_scoped_filtered_and_counts_its_needs(tree: Any, users: Any) -> None:
    org_a, org_b = make_org(tree.community_a), make_org(tree.community_b)
    early = make_project(org_a, tree.community_a, name="甲康复项目")
    late = make_project(org_b, tree.community_b, name="乙助老项目")
    Project.objects.filter(pk=early.pk).update(start_on=datetime.date(2025, 3, 1))
    Project.objects.filter(pk=late.pk).update(kind=ProjectKind.CARE)
    units_for(tree.street, [tree.community_a])
    need = make_need(household_in(tree.grid_a))
    need_accept(acting_user=None, need=need, project=early)

    def names(user: Any, **filters: Any) -> list[str]:
        qs = selectors.project_list(user=user, filters=selectors.ProjectFilters(**filters))
        return [p.name for p in qs]

    assert names(users.street_admin) == ["乙助老项目", "甲康复项目"]  # the latest start first
    assert names(users.worker_a) == ["甲康复项目"]
    assert names(users.street_admin, kind=ProjectKind.CARE) == ["乙助老项目"]
    assert names(users.street_admin, region=tree.community_a) == ["甲康复项目"]
    assert names(users.street_admin, organization=org_b.pk) == ["乙助老项目"]
    assert names(users.street_admin, q="康复") == ["甲康复项目"]
    assert names(users.nobody) == []
    counted = {p.name: vars(p)["need_count"] for p in selectors.project_list(user=users.street_admin)}
    assert counted == {"甲康复项目": 1, "乙助老项目": 0}
    assert selectors.get_project_for_user(user=users.worker_a, pk=early.pk) == early
    with pytest.raises(Http404):
        selectors.get_project_for_user(user=users.worker_a, pk=late.pk)


def test_projects_in_a_period_are_those_running_some_time_within_it(tree: Any) -> None:
    org = make_org(tree.community_a)
    p = make_project(org, tree.community_a)  # 2026-01-01 … 2026-12-31
    qs = Project.objects.all()

    def running(start: datetime.date | None, end: datetime.date | None) -> bool:
        return selectors.projects_in_period(qs, start, end).filter(pk=p.pk).exists()

    assert running(None, None)
    assert running(datetime.date(2026, 12, 31), None) and running(None, datetime.date(2026, 1, 1))
    assert running(datetime.date(2025, 6, 1), datetime.date(2027, 6, 1))
    assert not running(datetime.date(2027, 1, 1), None)
    assert not running(None, datetime.date(2025, 12, 31))
