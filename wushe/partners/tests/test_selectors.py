"""The partners' scoped reads: organizations, resources and responsibility units, each list by its
one filter definition."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from tests.outreach_factories import make_org, make_resource, units_for
from wushe.partners import selectors
from wushe.partners.models import Organization, OrganizationKind, Resource, UnitKind

pytestmark = pytest.mark.django_db


def test_the_organization_list_is_scoped_and_filtered(tree: Any, users: Any) -> None:
    a = make_org(tree.community_a, OrganizationKind.COMMUNITY, name="甲社区艺术团")
    pro = make_org(tree.community_b, OrganizationKind.PROFESSIONAL, name="乙社工机构")
    gone = make_org(tree.community_a, OrganizationKind.COMMUNITY, name="甲已停用团")
    Organization.objects.filter(pk=gone.pk).update(active=False)
    make_org(tree.community_c, OrganizationKind.COMMUNITY, name="丙社区艺术团")

    def names(user: Any, **filters: Any) -> list[str]:
        qs = selectors.organization_list(user=user, filters=selectors.OrganizationFilters(**filters))
        return list(qs.values_list("name", flat=True))

    assert names(users.street_admin) == ["甲社区艺术团", "乙社工机构"]  # by region code, kind, name
    assert names(users.worker_a) == ["甲社区艺术团"]
    assert names(users.street_admin, kind=OrganizationKind.PROFESSIONAL) == ["乙社工机构"]
    assert names(users.street_admin, q=" 艺术 ") == ["甲社区艺术团"]
    assert names(users.street_admin, region=tree.community_b) == ["乙社工机构"]
    assert names(users.street_admin, active=None) == ["甲已停用团", "甲社区艺术团", "乙社工机构"]
    assert names(users.nobody) == []
    assert selectors.get_organization_for_user(user=users.worker_b, pk=pro.pk) == pro
    with pytest.raises(Http404):
        selectors.get_organization_for_user(user=users.worker_b, pk=a.pk)


def test_organizations_are_counted_by_kind_in_one_query(
    tree: Any, users: Any, django_assert_num_queries: Any
) -> None:
    make_org(tree.community_a, OrganizationKind.COMMUNITY)
    make_org(tree.community_a, OrganizationKind.COMMUNITY)
    make_org(tree.community_b, OrganizationKind.PROFESSIONAL)
    gone = make_org(tree.community_b, OrganizationKind.PROFESSIONAL)
    Organization.objects.filter(pk=gone.pk).update(active=False)
    qs = Organization.objects.visible_to(users.street_admin)
    with django_assert_num_queries(1):
        counts = selectors.organization_kind_counts(qs)
    assert counts == {OrganizationKind.COMMUNITY: 2, OrganizationKind.PROFESSIONAL: 1}
    assert selectors.organizations_of_kind(qs, OrganizationKind.PROFESSIONAL).count() == 1


def test_the_resource_list_is_scoped_and_filtered(tree: Any, users: Any) -> None:
    org = make_org(tree.community_a)
    rehab = make_resource(org, tree.community_a, categories=["rehab"], name="康复名额")
    psych = make_resource(org, tree.community_a, categories=["psych", "rehab"], name="心理疏导")
    full = make_resource(org, tree.community_a, categories=["psych"], name="满额资源", capacity=1)
    Resource.objects.filter(pk=full.pk).update(remaining=0)
    theirs = make_resource(make_org(tree.community_b), tree.community_b, name="乙社区资源")

    def names(user: Any, **filters: Any) -> list[str]:
        qs = selectors.resource_list(user=user, filters=selectors.ResourceFilters(**filters))
        return [r.name for r in qs]

    assert names(users.worker_a) == sorted(["康复名额", "心理疏导", "满额资源"])
    assert names(users.worker_a, category="rehab") == sorted(["康复名额", "心理疏导"])
    assert names(users.worker_a, available=True) == sorted(["康复名额", "心理疏导"])
    assert names(users.worker_a, q="心理") == ["心理疏导"]
    assert names(users.street_admin, provider=theirs.provider_id) == ["乙社区资源"]
    assert names(users.street_admin, region=tree.community_b) == ["乙社区资源"]
    got = selectors.get_resource_for_user(user=users.worker_a, pk=psych.pk)
    assert {c.code for c in got.categories.all()} == {"psych", "rehab"} and rehab.pk != got.pk
    with pytest.raises(Http404):
        selectors.get_resource_for_user(user=users.worker_a, pk=theirs.pk)


def test_the_responsibility_units_are_scoped_and_filtered(tree: Any, users: Any) -> None:
    units = units_for(tree.street, [tree.community_a, tree.community_b], [tree.grid_a])
    elsewhere = units_for(tree.other_street, [tree.community_c])
    mine = selectors.responsibility_unit_list(user=users.worker_a)
    assert set(mine) == {units[tree.community_a.code], units[tree.grid_a.code]}
    street = selectors.responsibility_unit_list(user=users.street_admin, kind=UnitKind.SUBSTATION)
    assert list(street) == [units[tree.community_a.code], units[tree.community_b.code]]
    in_b = selectors.responsibility_unit_list(user=users.street_admin, region=tree.community_b)
    assert list(in_b) == [units[tree.community_b.code]]
    found = selectors.get_responsibility_unit_for_user(user=users.worker_a, pk=units[tree.grid_a.code].pk)
    assert found == units[tree.grid_a.code]
    with pytest.raises(Http404):
        selectors.get_responsibility_unit_for_user(user=users.street_admin, pk=elsewhere["station"].pk)
