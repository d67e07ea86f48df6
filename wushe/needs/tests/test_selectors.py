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


# ---- ranking by target group, capacity, period and the resident's history ----------------------


def _targeted(o: Any, name: str, **target: Any) -> Any:
    from wushe.partners.services import resource_create

    return resource_create(
        acting_user=None,
        provider=target.pop("provider", o.org),
        region=target.pop("region", o.resource.region),
        name=name,
        categories=["rehab"],
        capacity=target.pop("capacity", 10),
        **target,
    )


def test_suggestions_rank_by_the_target_group_and_say_why(tree: Any) -> None:
    import datetime

    from tests.factories import PersonFactory, next_id_number
    from tests.outreach_factories import make_need
    from wushe.registry.services import person_tags_set

    o = outreach_in(tree)
    elder = PersonFactory(
        region=tree.grid_a, id_number=next_id_number(birth=datetime.date(1950, 3, 1)), category=6, level=2
    )
    person_tags_set(acting_user=None, person=elder, tags=["dibao"])
    need = make_need(o.household, person=elder)
    fits = _targeted(o, "老年精神康复", age_min=60, disability_categories=[6], target_tags=["dibao"])
    children = _targeted(o, "儿童康复", age_max=14, disability_categories=[5])
    anyone = _targeted(o, "不限对象")
    found = {s.target.name: s for s in need_suggestions(need=need)}  # the tag and certificate: today
    names = [s.target.name for s in need_suggestions(need=need)]
    assert names.index(fits.name) < names.index(anyone.name) < names.index(children.name)
    texts = [r.text for r in found[fits.name].reasons]
    assert any("年龄符合" in t for t in texts) and any("残疾类别/等级符合" in t for t in texts)
    assert any("人员类别符合（低保）" in t for t in texts)
    against = [r for r in found[children.name].reasons if r.points < 0]
    assert {r.text.split("（")[0] for r in against} == {"年龄不符", "残疾类别/等级不符"}
    assert "服务对象不限" in found[anyone.name].reason


def test_suggestions_rank_by_capacity_period_and_history_with_the_provider(tree: Any, users: Any) -> None:
    import datetime

    from tests.factories import UserFactory
    from tests.outreach_factories import make_need, make_org
    from wushe.accounts.roles import Role
    from wushe.needs import referral_services
    from wushe.needs.services import need_accept

    o = outreach_in(tree)
    returner = make_org(tree.street, name="曾退回的机构")
    returned = _targeted(o, "曾退回机构的资源", provider=returner)
    plenty = _targeted(o, "名额充足", capacity=10)
    short = _targeted(o, "所剩无几", capacity=10)
    for _ in range(8):
        need_accept(acting_user=None, need=make_need(o.household), resource=short)
    ending = _targeted(
        o, "即将结束", available_from=datetime.date(2026, 1, 1), available_to=datetime.date(2026, 6, 2)
    )
    earlier = make_need(o.household, description="早先的需求")
    need_accept(acting_user=None, need=earlier, resource=returned)
    staff = UserFactory(role=Role.ORG_STAFF, organization=returner)
    referral = earlier.referrals.get()
    referral_services.referral_return(acting_user=staff, referral=referral, reason="不在服务范围")
    day = datetime.date(2026, 6, 1)
    found = {s.target.name: s for s in need_suggestions(need=o.need, on=day)}
    assert found[plenty.name].score > found[short.name].score  # capacity
    assert found[plenty.name].score > found[ending.name].score  # ends before the need's deadline
    assert "早于办结期限" in found[ending.name].reason
    assert "该机构曾退回此居民的转介：不在服务范围" in found[returned.name].reason
    names = [s.target.name for s in need_suggestions(need=o.need, on=day)]
    assert names.index(returned.name) > names.index(plenty.name)
