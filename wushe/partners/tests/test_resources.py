from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.conftest import login
from tests.factories import UserFactory
from tests.outreach_factories import count_queries, make_org, make_resource, outreach_in
from wushe.accounts.roles import Role
from wushe.accounts.services import api_token_issue
from wushe.partners.models import Resource
from wushe.partners.services import resource_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"capacity": 0}, "capacity"),
        ({"categories": []}, "categories"),
        ({"categories": ["nope"]}, "categories"),
        ({"kind": "magic"}, "kind"),
        (
            {"available_from": datetime.date(2026, 5, 1), "available_to": datetime.date(2026, 4, 1)},
            "available_to",
        ),
        ({"age_min": 60, "age_max": 14}, "age_max"),
        ({"age_min": -1}, "age_min"),
        ({"disability_categories": [8]}, "disability_categories"),
        ({"disability_levels": ["x"]}, "disability_levels"),
        ({"target_tags": ["no-such-tag"]}, "target_tags"),
    ],
)
def test_bad_resource_names_the_field(tree: Any, changes: dict[str, Any], field: str) -> None:
    org = make_org(tree.street)
    data = {
        "provider": org,
        "region": tree.street,
        "name": "助医",
        "categories": ["medical"],
        "capacity": 3,
        **changes,
    }
    with pytest.raises(ValidationError) as exc:
        resource_create(acting_user=None, **data)
    assert field in exc.value.message_dict
    assert Resource.objects.count() == 0


def test_only_managers_add_resources_in_their_scope(tree: Any, users: Any) -> None:
    org = make_org(tree.street)
    with pytest.raises(PermissionDenied):
        resource_create(
            acting_user=users.worker_a,
            provider=org,
            region=tree.community_a,
            name="x",
            categories=["rehab"],
            capacity=1,
        )
    staff = UserFactory(role=Role.COMMUNITY_STAFF, region=tree.community_a)
    with pytest.raises(ValidationError) as exc:
        resource_create(
            acting_user=staff,
            provider=org,
            region=tree.community_b,
            name="x",
            categories=["rehab"],
            capacity=1,
        )
    assert "region" in exc.value.message_dict
    made = resource_create(
        acting_user=staff, provider=org, region=tree.community_a, name="x", categories=["rehab"], capacity=1
    )
    assert made.remaining == 1 and made.history.count() == 1


def test_resource_pages_and_api(tree: Any, users: Any, django_assert_max_num_queries: Any) -> None:
    o = outreach_in(tree)
    client = login(users.street_admin)
    urls = (
        "/partners/resources/",
        "/partners/organizations/",
        "/partners/responsibilities/",
        f"/partners/resources/{o.resource.pk}/",
    )
    client.get(urls[0])
    small = {u: count_queries(client, u) for u in urls}
    for i in range(5):
        make_resource(make_org(tree.street), tree.community_b, categories=["rehab", "psych"], name=f"资源{i}")
    assert {u: count_queries(client, u) for u in urls} == small
    with django_assert_max_num_queries(14):
        client.get("/partners/resources/")
    bad = client.post(
        "/partners/resources/new/",
        {"provider": o.org.pk, "name": "", "kind": "service", "region": tree.street.code, "capacity": "0"},
    )
    assert (
        bad.status_code == 400
        and "资源名称" in bad.content.decode()
        and "容量（人次）" in bad.content.decode()
    )
    ok = client.post(
        "/partners/resources/new/",
        {
            "provider": o.org.pk,
            "name": "新资源",
            "kind": "service",
            "region": tree.street.code,
            "capacity": "4",
            "categories": ["rehab"],
        },
    )
    assert ok.status_code == 302 and Resource.objects.filter(name="新资源").exists()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=users.street_admin)}")
    with django_assert_max_num_queries(8):  # token, its last use, grants ×2, count, rows, categories, tags
        listing = api.get("/api/v1/resources")
    assert listing.json()["count"] == 7
    body = {
        "provider": o.org.pk,
        "region": tree.street.code,
        "name": "API资源",
        "categories": ["psych"],
        "capacity": 2,
    }
    assert api.post("/api/v1/resources", body, content_type="application/json").status_code == 201
    wrong = api.post(
        "/api/v1/resources",
        {**body, "name": "API资源2", "categories": ["zzz"]},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "categories"
    units = api.get("/api/v1/responsibilities").json()
    grid_unit = next(u for u in units if u["id"] == o.need.responsible_unit_id)
    assert grid_unit["open"] == 1 and grid_unit["overdue"] == 0


def test_unit_page_shows_open_overdue_done(tree: Any, users: Any) -> None:
    from tests.outreach_factories import make_need
    from wushe.needs.services import need_advance

    o = outreach_in(tree)
    make_need(o.household, description="逾期的需求", reported_on=datetime.date(2026, 1, 2))
    done = make_need(o.household, description="办结的需求")
    need_advance(acting_user=None, need=done, to_status="met")
    client = login(users.worker_a)
    unit = o.need.responsible_unit_id
    open_page = client.get(f"/partners/responsibilities/{unit}/").content.decode()
    assert "办理中 2" in open_page and "逾期 1" in open_page and "已办结 1" in open_page
    assert "逾期的需求" in client.get(f"/partners/responsibilities/{unit}/?show=overdue").content.decode()
    assert "办结的需求" in client.get(f"/partners/responsibilities/{unit}/?show=done").content.decode()
    assert login(users.worker_b).get(f"/partners/responsibilities/{unit}/").status_code == 404


def test_a_resource_keeps_its_target_group(tree: Any, users: Any) -> None:
    org = make_org(tree.street)
    resource = resource_create(
        acting_user=None,
        provider=org,
        region=tree.street,
        name="重度精神残疾人照护",
        categories=["rehab"],
        capacity=5,
        age_min=18,
        disability_categories=[6, 5, 6],
        disability_levels=[2, 1],
        target_tags=["dibao", "tekun"],
    )
    assert resource.disability_categories == "56" and resource.disability_levels == "12"
    assert resource.category_set == {5, 6} and {t.code for t in resource.target_tags.all()} == {
        "dibao",
        "tekun",
    }
    page = login(users.street_admin).get(f"/partners/resources/{resource.pk}/").content.decode()
    assert "18 岁及以上" in page and "智力、精神残疾" in page and "低保" in page


def test_a_community_worker_sees_the_resources_serving_its_area(tree: Any) -> None:
    """Resources registered on the street (or above) serve every community below it: a community's
    users see them beside their own, through the scoping (``scope_serves_below``); a sibling
    community's own resources stay closed, and the figures still count the community's subtree."""
    from wushe.core.metrics import Scope, compute

    street_org = make_org(tree.street, name="街道机构")
    street_wide = make_resource(street_org, tree.street, name="街道助医")
    own = make_resource(make_org(tree.community_a, name="甲社区组织"), tree.community_a, name="甲社区助餐")
    sibling = make_resource(
        make_org(tree.community_b, name="乙社区组织"), tree.community_b, name="乙社区助洁"
    )
    elsewhere = make_resource(
        make_org(tree.other_street, name="彭李机构"), tree.other_street, name="彭李助急"
    )
    staff = UserFactory(role=Role.COMMUNITY_STAFF, region=tree.community_a)
    visible = set(Resource.objects.visible_to(staff))
    assert visible == {street_wide, own}
    client = login(staff)
    listing = client.get("/partners/resources/").content.decode()
    assert street_wide.name in listing and own.name in listing
    assert sibling.name not in listing and elsewhere.name not in listing
    assert client.get(f"/partners/resources/{street_wide.pk}/").status_code == 200
    assert client.get(f"/partners/resources/{sibling.pk}/").status_code == 404
    figures = compute(Scope(region=tree.community_a, user=staff), keys=["resources"])
    assert figures["resources"].value == 1  # the community's own, not the street's
