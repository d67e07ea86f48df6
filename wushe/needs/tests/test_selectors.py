from __future__ import annotations

from typing import Any

import pytest

from tests.outreach_factories import make_project, make_resource, outreach_in
from wushe.needs.matching import need_suggestions

pytestmark = pytest.mark.django_db


def test_suggestions_nearest_area_first_with_reasons(tree: Any) -> None:
    o = outreach_in(tree)  # a resource in 甲社区, the need in its grid
    street_wide = make_resource(o.org, tree.street, capacity=50, name="街道资源")
    grid_one = make_resource(o.org, tree.grid_a, capacity=1, name="网格资源")
    make_resource(o.org, tree.community_b, name="乙社区资源")  # not the need's area
    make_resource(o.org, tree.grid_a, categories=["legal"], name="别的类别")
    make_resource(
        o.org,
        tree.grid_a,
        name="过期",
        period=(__import__("datetime").date(2020, 1, 1), __import__("datetime").date(2020, 12, 31)),
    )
    project = make_project(o.org, tree.street, name="街道项目")
    found = need_suggestions(need=o.need, on=__import__("datetime").date(2026, 6, 1))
    assert [s.target.name for s in found] == ["网格资源", o.resource.name, "街道资源", "街道项目"]
    assert "所在网格" in found[0].reason and "剩余容量 1/1" in found[0].reason
    assert "所在街道" in found[2].reason and found[2].target == street_wide
    assert found[3].kind == "project" and found[3].target == project and "项目周期" in found[3].reason
    assert found[0].target == grid_one


def test_suggestions_skip_resources_without_capacity(tree: Any) -> None:
    from wushe.needs.services import need_accept

    o = outreach_in(tree)
    one = make_resource(o.org, tree.grid_a, capacity=1, name="唯一名额")
    from tests.outreach_factories import make_need

    need_accept(acting_user=None, need=make_need(o.household), resource=one)
    assert "唯一名额" not in [s.target.name for s in need_suggestions(need=o.need)]
