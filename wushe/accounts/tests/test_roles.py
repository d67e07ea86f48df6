"""The roles of the new areas: what each may do and which records its grant opens."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django import forms

from tests.factories import UserFactory
from wushe.accounts.forms import GrantForm
from wushe.accounts.roles import (
    ANCHORED_ROLES,
    APPROVE_DISBURSEMENT,
    APPROVE_SUBSIDY_COUNTY,
    ORGANIZATION_ROLES,
    PAY_DISBURSEMENT,
    PAY_SUBSIDY,
    READ_FUNDS,
    READ_REGION_AREAS,
    REGION_ROLES,
    REVEAL_BANK_ACCOUNT,
    REVEAL_IDENTIFIERS,
    REVIEW_SUBSIDY_COUNTY,
    ROLE_PERMISSIONS,
    Role,
)
from wushe.registry.models import Person

NEW = {  # a region role also opens the pages of its region's areas (READ_REGION_AREAS)
    Role.FUND_COMMITTEE: {APPROVE_DISBURSEMENT, READ_FUNDS},  # the funds it sits on (issue 17)
    Role.COUNTY_CDPF_REVIEWER: {REVIEW_SUBSIDY_COUNTY} | READ_REGION_AREAS,
    Role.COUNTY_MCA_APPROVER: {APPROVE_SUBSIDY_COUNTY} | READ_REGION_AREAS,
    Role.PAYER: {PAY_SUBSIDY, PAY_DISBURSEMENT, REVEAL_BANK_ACCOUNT} | READ_REGION_AREAS,
}


def test_every_role_has_its_permissions_and_one_kind_of_grant() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    for role in Role:
        kinds = [role in REGION_ROLES, role in ORGANIZATION_ROLES, role in ANCHORED_ROLES]
        assert kinds.count(True) == 1, role
    # approving and paying are different roles: no role holds both
    for name, perms in ROLE_PERMISSIONS.items():
        assert not ({APPROVE_DISBURSEMENT, PAY_DISBURSEMENT} <= perms), name
        assert not ({APPROVE_SUBSIDY_COUNTY, PAY_SUBSIDY} <= perms), name
    assert [r for r, perms in ROLE_PERMISSIONS.items() if REVEAL_BANK_ACCOUNT in perms] == [Role.PAYER]


@pytest.mark.parametrize("role", list(NEW))
def test_the_new_roles_may_do_what_they_are_for_and_nothing_else(role: Role, tree: Any) -> None:
    region = tree.county if role in REGION_ROLES else tree.community_a
    user = UserFactory(username=f"u_{role}", role=role, region=region)
    for perm in NEW[role]:
        assert user.has_perm(perm), (role, perm)
    assert not user.has_perm(REVEAL_IDENTIFIERS) and not user.has_perm("registry.manage_person")
    assert user.get_all_permissions() == NEW[role]


def test_a_county_reviewer_reads_the_county_and_a_committee_member_reads_no_registry(
    tree: Any, person_a: Any
) -> None:
    reviewer = UserFactory(username="cdpf", role=Role.COUNTY_CDPF_REVIEWER, region=tree.county)
    member = UserFactory(username="committee", role=Role.FUND_COMMITTEE, region=tree.community_a)
    assert list(Person.objects.visible_to(reviewer)) == [person_a]
    assert not Person.objects.visible_to(member).exists()


def test_the_grant_form_offers_the_new_roles_on_a_region(users: Any, tree: Any) -> None:
    field = GrantForm(user=users.admin).fields["role"]
    assert isinstance(field, forms.ChoiceField)
    choices = dict(cast(list[tuple[str, str]], field.choices))  # a list, once the field has them
    assert {"慈善基金管委会成员", "县残联审核", "县民政审定", "发放/出纳"} <= {
        str(v) for v in choices.values()
    }
    form = GrantForm({"role": Role.FUND_COMMITTEE, "region": tree.community_a.pk}, user=users.admin)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"] == tree.community_a and form.cleaned_data["organization"] is None
