"""The one scoping mechanism: visible_to, get_visible_or_404, and the region tree it rests on."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tests.factories import PersonFactory, UserFactory
from wushe.accounts import services as account_services
from wushe.accounts.roles import Role
from wushe.core import scoping
from wushe.core.models import Region, RegionLevel
from wushe.core.scoping import get_visible_or_404, granted_paths, visible_regions
from wushe.core.selectors import get_region_for_user, region_list, region_resolve, region_roots_for_user
from wushe.core.services import region_create, region_get_or_create
from wushe.registry.models import DisabilityCertificate, Household, Person, PersonTag
from wushe.registry.services import household_create, person_tags_set


def codes(qs: Any) -> set[str]:
    return {r.code for r in qs}


A_SUBTREE = {"371602003001", "371602003001001"}
B_SUBTREE = {"371602003002", "371602003002001"}
STREET = {"371602003000"} | A_SUBTREE | B_SUBTREE
ALL = STREET | {"371602000000", "371602001000", "371602001001"}


def test_region_visibility_by_role(tree: Any, users: Any) -> None:
    assert codes(Region.objects.visible_to(users.worker_a)) == A_SUBTREE
    assert codes(Region.objects.visible_to(users.worker_b)) == B_SUBTREE
    assert codes(Region.objects.visible_to(users.street_admin)) == STREET
    assert codes(Region.objects.visible_to(users.leader)) == STREET
    assert codes(Region.objects.visible_to(users.nobody)) == set()
    assert codes(Region.objects.visible_to(users.admin)) == ALL
    assert codes(visible_regions(users.worker_a)) == A_SUBTREE
    assert codes(visible_regions(users.admin)) == ALL


def test_anonymous_and_inactive_see_nothing(tree: Any, users: Any, person_a: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert granted_paths(AnonymousUser()) == []
    assert not Region.objects.visible_to(AnonymousUser()).exists()
    assert not Person.objects.visible_to(AnonymousUser()).exists()
    users.worker_a.is_active = False
    assert granted_paths(users.worker_a) == []
    assert not Region.objects.visible_to(users.worker_a).exists()
    assert not Person.objects.visible_to(users.worker_a).exists()
    users.admin.is_active = False
    assert not Person.objects.visible_to(users.admin).exists()


def test_sibling_prefix_is_not_a_subtree(tree: Any, users: Any) -> None:
    """Paths end in '/', so /1/2/ never matches /1/23/."""
    for user in (users.worker_a, users.worker_b):
        paths = granted_paths(user)
        assert paths and all(p.endswith("/") for p in paths)
    # create enough regions that ids with a shared decimal prefix exist
    extra = [
        region_create(
            acting_user=None,
            code=f"3716020030{n:02d}",
            name=f"社区{n}",
            level=RegionLevel.COMMUNITY,
            parent=tree.street,
        )
        for n in range(3, 20)
    ]
    PersonFactory(region=extra[-1])
    assert codes(Region.objects.visible_to(users.worker_a)) == A_SUBTREE
    assert not Person.objects.visible_to(users.worker_a).filter(region__in=extra).exists()


def test_person_visibility_by_role(tree: Any, users: Any, person_a: Any, person_b: Any) -> None:
    c = PersonFactory(region=tree.community_c, category=1)
    assert set(Person.objects.visible_to(users.worker_a)) == {person_a}
    assert set(Person.objects.visible_to(users.worker_b)) == {person_b}
    assert set(Person.objects.visible_to(users.street_admin)) == {person_a, person_b}
    assert set(Person.objects.visible_to(users.leader)) == {person_a, person_b}
    assert set(Person.objects.visible_to(users.nobody)) == set()
    assert set(Person.objects.visible_to(users.admin)) == {person_a, person_b, c}
    # models reached through the person follow the same rule
    assert {x.person for x in DisabilityCertificate.objects.visible_to(users.worker_a)} == {person_a}
    assert {x.person for x in DisabilityCertificate.objects.visible_to(users.admin)} == {
        person_a,
        person_b,
        c,
    }
    person_tags_set(acting_user=None, person=person_b, tags=["低保"])
    assert not PersonTag.objects.visible_to(users.worker_a).exists()
    assert PersonTag.objects.visible_to(users.worker_b).count() == 1
    household = household_create(acting_user=None, head=person_a)
    assert list(Household.objects.visible_to(users.worker_a)) == [household]
    assert list(Household.objects.visible_to(users.worker_b)) == []


def test_several_grants_add_up(tree: Any, users: Any, person_a: Any, person_b: Any) -> None:
    user = UserFactory(username="two", role=Role.SOCIAL_WORKER, region=tree.grid_a)
    assert set(Person.objects.visible_to(user)) == {person_a}
    account_services.role_grant(user=user, role=Role.SOCIAL_WORKER, region=tree.community_b)
    assert set(Person.objects.visible_to(user)) == {person_a, person_b}
    assert codes(Region.objects.visible_to(user)) == {"371602003001001"} | B_SUBTREE
    assert codes(region_roots_for_user(user=user)) == {"371602003001001", "371602003002"}
    # a grant inside another one adds nothing and is not a root
    account_services.role_grant(user=user, role=Role.COMMUNITY_STAFF, region=tree.grid_b)
    assert codes(region_roots_for_user(user=user)) == {"371602003001001", "371602003002"}


def test_cached_grants_are_forgotten_after_a_grant(tree: Any, users: Any) -> None:
    assert granted_paths(users.nobody) == []
    account_services.role_grant(user=users.nobody, role=Role.LEADER, region=tree.community_c)
    assert codes(Region.objects.visible_to(users.nobody)) == {"371602001001"}
    # and forget() drops the cache set up by another path
    other = UserFactory(username="other")
    assert granted_paths(other) == []
    from wushe.accounts.models import RoleGrant

    RoleGrant.objects.create(user=other, role=Role.LEADER, region=tree.street)
    assert granted_paths(other) == []  # cached …
    scoping.forget(other)
    assert codes(Region.objects.visible_to(other)) == STREET


def test_get_visible_or_404(tree: Any, users: Any, person_a: Any, person_b: Any) -> None:
    qs = Person.objects.all()
    assert get_visible_or_404(qs, users.worker_a, pk=person_a.pk) == person_a
    assert get_visible_or_404(qs, users.street_admin, pk=person_b.pk) == person_b
    missing = max(person_a.pk, person_b.pk) + 1000
    for user, pk in [
        (users.worker_a, person_b.pk),  # out of scope
        (users.worker_a, missing),  # missing
        (users.nobody, person_a.pk),
        (users.admin, missing),
        (users.worker_a, "not-a-number"),
    ]:
        with pytest.raises(Http404) as exc:
            get_visible_or_404(qs, user, pk=pk)
        assert str(exc.value) == ""  # nothing tells forbidden from missing


def test_region_selectors(tree: Any, users: Any) -> None:
    assert [r.code for r in region_list(user=users.worker_a)] == ["371602003001", "371602003001001"]
    assert codes(region_list(user=users.street_admin, level=RegionLevel.GRID)) == {
        "371602003001001",
        "371602003002001",
    }
    assert codes(region_roots_for_user(user=users.street_admin)) == {"371602003000"}
    assert codes(region_roots_for_user(user=users.admin)) == {"371602000000"}
    assert region_roots_for_user(user=users.nobody) == []
    assert get_region_for_user(user=users.worker_a, code="371602003001") == tree.community_a
    with pytest.raises(Http404):
        get_region_for_user(user=users.worker_a, code="371602003002")
    assert region_resolve(code_or_name="乙社区", user=users.street_admin) == tree.community_b
    assert region_resolve(code_or_name=" 371602003002 ") == tree.community_b
    with pytest.raises(Http404):
        region_resolve(code_or_name="乙社区", user=users.worker_a)
    with pytest.raises(Http404):
        region_resolve(code_or_name="无此区域")


# ---- region_create: the 统计用区划代码 rules ---------------------------------------------------


def test_region_create_sets_path_and_depth(tree: Any) -> None:
    assert tree.county.path == f"/{tree.county.pk}/"
    assert tree.county.depth == 0
    assert tree.grid_a.path == f"/{tree.county.pk}/{tree.street.pk}/{tree.community_a.pk}/{tree.grid_a.pk}/"
    assert tree.grid_a.depth == 3
    assert [r.name for r in tree.grid_a.ancestors()] == ["滨城区", "市西街道", "甲社区", "甲社区第一网格"]
    assert tree.grid_a.full_name == "滨城区 / 市西街道 / 甲社区 / 甲社区第一网格"


def test_grid_code_is_community_code_plus_three_digits(tree: Any) -> None:
    grid = region_create(
        acting_user=None,
        code="371602003001002",
        name="甲社区第二网格",
        level=RegionLevel.GRID,
        parent=tree.community_a,
    )
    assert grid.parent == tree.community_a
    for code in ("37160200300102", "3716020030010021", "371602003002002", "371602003001"):
        with pytest.raises(ValidationError) as exc:
            region_create(
                acting_user=None, code=code, name="错", level=RegionLevel.GRID, parent=tree.community_a
            )
        assert set(exc.value.message_dict) == {"code"}
    for parent in (None, tree.street, tree.grid_a):
        with pytest.raises(ValidationError) as exc:
            region_create(
                acting_user=None, code="371602003001003", name="错", level=RegionLevel.GRID, parent=parent
            )
        assert set(exc.value.message_dict) == {"parent"}


@pytest.mark.parametrize("code", ["37160200300", "3716020030033", "37160200300A", "371602 03003"])
def test_official_code_has_12_digits(tree: Any, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        region_create(acting_user=None, code=code, name="错", level=RegionLevel.COMMUNITY, parent=tree.street)
    assert set(exc.value.message_dict) == {"code"}


@pytest.mark.parametrize(
    ("level", "parent_attr", "code"),
    [
        (RegionLevel.COMMUNITY, "street", "371602004001"),  # other street's digits
        (RegionLevel.COMMUNITY, "street", "371603003001"),  # other county's digits
        (RegionLevel.STREET, "county", "371603005000"),
        (RegionLevel.STREET, "county", "370102005000"),
    ],
)
def test_code_prefix_must_agree_with_parent(tree: Any, level: str, parent_attr: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        region_create(acting_user=None, code=code, name="错", level=level, parent=getattr(tree, parent_attr))
    assert set(exc.value.message_dict) == {"code"}
    assert not Region.objects.filter(code=code).exists()


def test_prefix_agreement_allows_the_right_children(tree: Any) -> None:
    street = region_create(
        acting_user=None, code="371602005000", name="新街道", level=RegionLevel.STREET, parent=tree.county
    )
    community = region_create(
        acting_user=None, code="371602005007", name="新社区", level=RegionLevel.COMMUNITY, parent=street
    )
    assert community.depth == 2
    assert community.path.startswith(street.path)


def test_parent_must_be_above(tree: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        region_create(
            acting_user=None,
            code="371602003009",
            name="错",
            level=RegionLevel.COMMUNITY,
            parent=tree.community_a,
        )
    assert set(exc.value.message_dict) == {"parent"}
    with pytest.raises(ValidationError) as exc:
        region_create(
            acting_user=None, code="371602003900", name="错", level=RegionLevel.STREET, parent=tree.street
        )
    assert set(exc.value.message_dict) == {"parent"}


def test_duplicate_code_is_rejected(tree: Any) -> None:
    before = Region.objects.count()
    with pytest.raises(ValidationError) as exc:
        region_create(
            acting_user=None,
            code="371602003001",
            name="重复",
            level=RegionLevel.COMMUNITY,
            parent=tree.street,
        )
    assert set(exc.value.message_dict) == {"code"}
    assert Region.objects.count() == before
    assert (
        region_get_or_create(
            acting_user=None,
            code="371602003001",
            name="重复",
            level=RegionLevel.COMMUNITY,
            parent=tree.street,
        )
        == tree.community_a
    )
    assert Region.objects.count() == before


def test_visible_in_is_visible_to_then_in_region(tree: Any, users: Any, person_a: Any, person_b: Any) -> None:
    from wushe.core.scoping import covers
    from wushe.registry.models import Person

    for user in (None, users.admin, users.street_admin, users.worker_a, users.nobody):
        for region in (tree.county, tree.street, tree.community_a, tree.community_b):
            people = Person.objects.all()
            if user is not None:
                people = people.visible_to(user)
            expected = set(people.in_region(region))
            assert set(Person.objects.visible_in(user, region)) == expected, (user, region)
    assert covers(users.street_admin, tree.community_a) and not covers(users.worker_a, tree.street)
    assert not covers(users.nobody, tree.street) and covers(users.admin, tree.county)


def test_in_region_matches_the_subtree_as_a_list_or_as_a_subquery(
    tree: Any, person_a: Any, person_b: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A subtree is matched against the list of its region ids; one larger than
    ``SUBTREE_LIST_MAX`` with a subquery — the same rows either way."""
    from wushe.registry.models import Person

    street_ids = scoping.subtree_ids(tree.street)
    assert street_ids is not None
    assert codes(Region.objects.filter(id__in=street_ids)) == STREET
    as_list = {r: set(Person.objects.in_region(r)) for r in (tree.county, tree.street, tree.community_a)}
    assert as_list[tree.community_a] == {person_a} and as_list[tree.street] == {person_a, person_b}
    sql = str(Person.objects.in_region(tree.street).query)
    assert "core_region" not in sql, sql  # a list of ids, no join to the region table
    monkeypatch.setattr(scoping, "SUBTREE_LIST_MAX", 2)
    assert scoping.subtree_ids(tree.street) is None
    assert "core_region" in str(Person.objects.in_region(tree.street).query)
    assert {r: set(Person.objects.in_region(r)) for r in as_list} == as_list
    # ids read by the caller are used as given
    assert set(Person.objects.in_region(tree.street, [tree.community_b.pk])) == {person_b}
