from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import OrganizationFactory, UserFactory
from wushe.accounts.roles import Role
from wushe.accounts.services import role_grant
from wushe.partners.models import Organization, OrganizationKind, UnitKind
from wushe.partners.selectors import (
    OrganizationFilters,
    get_organization_for_user,
    organization_list,
    responsibility_unit_list,
)
from wushe.partners.services import organization_create, organization_update, responsibility_unit_create

pytestmark = pytest.mark.django_db

VALID_CODE = "51371602MJD123456X"  # shape of a 民政 social-organization code; checked below


def test_create_with_a_valid_credit_code(tree: Any, users: Any) -> None:
    from stdnum.cn import uscc

    code = VALID_CODE[:17] + uscc.calc_check_digit(VALID_CODE[:17])
    org = organization_create(
        acting_user=users.street_admin,
        region=tree.street,
        kind=OrganizationKind.PROFESSIONAL,
        name="滨州市众益社会工作服务中心",
        credit_code=code.lower(),
    )
    assert org.credit_code == code
    assert org.credit_code_warning == ""
    assert org.history.count() == 1


def test_a_code_failing_the_check_is_kept_with_a_warning(tree: Any) -> None:
    from stdnum.cn import uscc

    good = VALID_CODE[:17] + uscc.calc_check_digit(VALID_CODE[:17])
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    org = organization_create(
        acting_user=None,
        region=tree.street,
        kind=OrganizationKind.COMMUNITY,
        name="试点组织",
        credit_code=bad,
    )
    assert org.credit_code == bad
    assert "校验未通过" in org.credit_code_warning


def test_a_code_of_the_wrong_length_is_refused_and_nothing_written(tree: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        organization_create(
            acting_user=None,
            region=tree.street,
            kind=OrganizationKind.COMMUNITY,
            name="短代码",
            credit_code="5137",
        )
    assert "credit_code" in exc.value.message_dict
    assert not Organization.objects.exists()


def test_unknown_kind_and_empty_name_name_their_field(tree: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        organization_create(acting_user=None, region=tree.street, kind="nope", name="X")
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        organization_create(acting_user=None, region=tree.street, kind=OrganizationKind.ENTERPRISE, name="  ")
    assert "name" in exc.value.message_dict


def test_duplicate_name_in_region_and_kind_is_refused(tree: Any) -> None:
    OrganizationFactory(region=tree.street, kind=OrganizationKind.ENTERPRISE, name="鲁北企业")
    with pytest.raises(ValidationError) as exc:
        organization_create(
            acting_user=None, region=tree.street, kind=OrganizationKind.ENTERPRISE, name="鲁北企业"
        )
    assert "name" in exc.value.message_dict


def test_create_outside_the_users_scope_is_refused(tree: Any, users: Any) -> None:
    with pytest.raises(ValidationError):
        organization_create(
            acting_user=users.worker_a, region=tree.community_b, kind=OrganizationKind.COMMUNITY, name="越界"
        )


def test_update_and_its_guards(tree: Any, users: Any) -> None:
    org = OrganizationFactory(region=tree.street)
    with pytest.raises(PermissionDenied):  # a leader reads the lists, never edits them
        organization_update(acting_user=users.leader, organization=org, contact_name="越权")
    organization_update(acting_user=None, organization=org, contact_name="张三", address="黄河五路")
    org.refresh_from_db()
    assert (org.contact_name, org.address) == ("张三", "黄河五路")
    with pytest.raises(ValidationError):
        organization_update(acting_user=None, organization=org, region=tree.other_street)
    with pytest.raises(ValidationError):
        organization_update(acting_user=None, organization=org, parent=org)


def test_scoping_region_users_and_organization_users(tree: Any, users: Any) -> None:
    own = OrganizationFactory(
        region=tree.community_a, name="甲社区志愿服务队", kind=OrganizationKind.VOLUNTEER_TEAM
    )
    other = OrganizationFactory(region=tree.community_b, name="乙社区协会")
    far = OrganizationFactory(region=tree.community_c, name="丙社区协会")
    assert set(organization_list(user=users.worker_a)) == {own}
    assert set(organization_list(user=users.street_admin)) == {own, other}
    staff = UserFactory(username="team_lead")
    role_grant(user=staff, role=Role.TEAM_LEADER, organization=own)
    assert set(organization_list(user=staff)) == {own}
    assert get_organization_for_user(user=staff, pk=own.pk) == own
    from django.http import Http404

    with pytest.raises(Http404):
        get_organization_for_user(user=staff, pk=other.pk)
    assert set(organization_list(user=users.admin)) == {own, other, far}
    assert list(organization_list(user=users.street_admin, filters=OrganizationFilters(q="乙社区"))) == [
        other
    ]


def test_an_organization_grant_takes_the_organizations_region(tree: Any) -> None:
    org = OrganizationFactory(region=tree.community_b)
    user = UserFactory(username="orgstaff")
    grant = role_grant(user=user, role=Role.ORG_STAFF, organization=org)
    assert grant.region == tree.community_b
    assert role_grant(user=user, role=Role.ORG_STAFF, organization=org).pk == grant.pk  # idempotent
    with pytest.raises(ValidationError) as exc:
        role_grant(user=user, role=Role.SOCIAL_WORKER, organization=org)
    assert "organization" in exc.value.message_dict


def test_responsibility_units_and_their_rules(tree: Any, users: Any) -> None:
    org = OrganizationFactory(region=tree.community_a, kind=OrganizationKind.PROFESSIONAL, name="众益社工")
    station = responsibility_unit_create(
        acting_user=None, region=tree.street, kind=UnitKind.STATION, name="市西街道社工站"
    )
    unit = responsibility_unit_create(
        acting_user=None, region=tree.community_a, kind=UnitKind.ORGANIZATION, organization=org
    )
    assert unit.name == "众益社工"
    with pytest.raises(ValidationError) as exc:
        responsibility_unit_create(
            acting_user=None, region=tree.street, kind=UnitKind.ORGANIZATION, name="无组织"
        )
    assert "organization" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        responsibility_unit_create(
            acting_user=None, region=tree.street, kind=UnitKind.STATION, name="市西街道社工站"
        )
    assert "name" in exc.value.message_dict
    assert set(responsibility_unit_list(user=users.street_admin)) == {station, unit}
    assert set(responsibility_unit_list(user=users.worker_a)) == {unit}
    staff = UserFactory(username="zhongyi", role=Role.ORG_STAFF, organization=org)
    assert set(responsibility_unit_list(user=staff)) == {unit}
