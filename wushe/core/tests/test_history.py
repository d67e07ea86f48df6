"""Every service that writes a history-tracked row names the acting user in its history
(``core.history.record_actor``), and the operators' writes check who acts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import PersonFactory, next_id_number
from wushe.accounts.services import user_create
from wushe.casework import services as casework
from wushe.consent import services as consent
from wushe.core.history import actor, record_actor
from wushe.core.models import RegionLevel
from wushe.core.services import region_create
from wushe.needs import services as needs
from wushe.partners import services as partners
from wushe.partners.models import OrganizationKind, UnitKind
from wushe.projects import services as projects
from wushe.projects.models import ProjectKind
from wushe.registry import services as registry
from wushe.volunteers import services as volunteers

DAY = datetime.date(2026, 3, 2)


def _org(tree: Any, user: Any, kind: str = OrganizationKind.PROFESSIONAL) -> Any:
    return partners.organization_create(acting_user=user, region=tree.street, kind=kind, name=f"机构{kind}")


def _person(tree: Any, user: Any) -> Any:
    return registry.person_create(
        acting_user=user,
        region=tree.community_a,
        name="王五",
        id_number=next_id_number(),
        disability_certificate="",
        tags=(),
    ).person


def _certificate(tree: Any, user: Any) -> Any:
    person = PersonFactory(region=tree.community_a)
    number = f"{person.id_number}42"
    return registry.certificate_set(acting_user=user, person=person, number=number, on=DAY)


def _member(tree: Any) -> Any:
    """A member (a spouse) of a household of 甲社区, made by the system."""
    household = registry.household_create(acting_user=None, head=PersonFactory(region=tree.community_a))
    spouse = PersonFactory(region=tree.community_a)
    return registry.household_add_member(
        acting_user=None, household=household, person=spouse, relation="spouse"
    )


def _moved(tree: Any, user: Any) -> Any:
    other = registry.household_create(acting_user=None, head=PersonFactory(region=tree.community_a))
    return registry.household_move_member(
        acting_user=user, person=_member(tree), household=other, relation="other"
    )


def _new_head(tree: Any, user: Any) -> Any:
    member = _member(tree)
    registry.household_change_head(acting_user=user, household=member.household, head=member)
    return member


# (name, write(tree, acting user) -> the history-tracked object it wrote)
WRITES: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("registry.person_create", _person),
    (
        "registry.person_update",
        lambda t, u: (
            registry.person_update(
                acting_user=u, person=PersonFactory(region=t.community_a), address="新地址"
            ).person
        ),
    ),
    (
        "registry.person_move",
        lambda t, u: registry.person_move(
            acting_user=u, person=PersonFactory(region=t.community_a), region=t.community_b
        ),
    ),
    (
        "registry.household_create",
        lambda t, u: registry.household_create(acting_user=u, head=PersonFactory(region=t.community_a)),
    ),
    (
        "registry.household_add_member",
        lambda t, u: registry.household_add_member(
            acting_user=u,
            household=registry.household_create(acting_user=None, head=PersonFactory(region=t.community_a)),
            person=PersonFactory(region=t.community_a),
            relation="child",
        ),
    ),
    ("registry.household_move_member", _moved),
    ("registry.household_change_head", _new_head),
    (
        "registry.household_set_relation",
        lambda t, u: registry.household_set_relation(acting_user=u, person=_member(t), relation="sibling"),
    ),
    (
        "registry.household_remove_member",
        lambda t, u: registry.household_remove_member(acting_user=u, person=_member(t), note="分户"),
    ),
    ("registry.certificate_set", _certificate),
    ("partners.organization_create", _org),
    (
        "partners.responsibility_unit_create",
        lambda t, u: partners.responsibility_unit_create(
            acting_user=u, region=t.community_a, kind=UnitKind.SUBSTATION, name="甲社区社工分站"
        ),
    ),
    (
        "needs.problem_create",
        lambda t, u: needs.problem_create(
            acting_user=u, description="楼道灯坏了", region=t.community_a, source="request"
        ),
    ),
    (
        "projects.project_create",
        lambda t, u: projects.project_create(
            acting_user=u,
            region=t.street,
            name="助残项目",
            kind=ProjectKind.REHAB,
            organization=_org(t, u),
            start_on=DAY,
            end_on=DAY + datetime.timedelta(days=90),
        ),
    ),
    (
        "casework.case_open",
        lambda t, u: casework.case_open(
            acting_user=u, person=PersonFactory(region=t.community_a), reason="需要康复服务", opened_on=DAY
        ),
    ),
    (
        "casework.group_create",
        lambda t, u: casework.group_create(
            acting_user=u, region=t.community_a, name="手工小组", goal="结识邻里", starts_on=DAY
        ),
    ),
    (
        "consent.consent_record",
        lambda t, u: consent.consent_record(
            acting_user=u,
            person=PersonFactory(region=t.community_a),
            kinds=["health"],
            purpose_kind="care",
            purpose="照护",
            method="phone",
        ),
    ),
    (
        "consent.basis_record",
        lambda t, u: consent.basis_record(
            acting_user=u,
            person=PersonFactory(region=t.community_a),
            kinds=["assistance"],
            basis="civil_affairs",
            basis_text="《社会救助暂行办法》",
            purpose_kind="assistance",
            purpose="低保",
        ),
    ),
    (
        "consent.consent_withdraw",
        lambda t, u: consent.consent_withdraw(
            acting_user=u,
            consent=consent.consent_record(
                acting_user=None,
                person=PersonFactory(region=t.community_a),
                kinds=["photos"],
                purpose_kind="services",
                purpose="宣传",
                method="oral",
            ),
            method="oral",
            stops="停止使用照片",
        ),
    ),
    (
        "volunteers.team_create",
        lambda t, u: volunteers.team_create(
            acting_user=u, organization=_org(t, u, OrganizationKind.VOLUNTEER_TEAM)
        ),
    ),
]


@pytest.mark.parametrize(("name", "write"), WRITES, ids=[w[0] for w in WRITES])
def test_every_service_records_who_acted(tree: Any, users: Any, name: str, write: Any) -> None:
    obj = write(tree, users.street_admin)
    latest = obj.history.order_by("-history_id").first()
    assert latest is not None, name
    assert latest.history_user_id == users.street_admin.pk, name


def test_the_system_is_recorded_as_nobody(tree: Any) -> None:
    person = _person(tree, None)
    assert person.history.get().history_user_id is None


def test_record_actor_names_an_authenticated_user_only(users: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    from wushe.core.models import Region

    a, b = Region(), Region()  # never saved: only the attribute the history reads
    record_actor(a, b, user=users.worker_a)
    assert vars(a)["_history_user"] is users.worker_a and vars(b)["_history_user"] is users.worker_a
    record_actor(a, user=AnonymousUser())
    assert vars(a)["_history_user"] is None
    assert actor(None) is None


def test_regions_and_accounts_are_set_up_by_operators_only(tree: Any, users: Any) -> None:
    with pytest.raises(PermissionDenied):
        region_create(
            acting_user=users.street_admin,
            code="371602003003",
            name="丁社区",
            level=RegionLevel.COMMUNITY,
            parent=tree.street,
        )
    with pytest.raises(PermissionDenied):
        user_create(acting_user=users.street_admin, username="someone", password="wushe-test-pass")
    made = region_create(
        acting_user=users.admin,
        code="371602003003",
        name="丁社区",
        level=RegionLevel.COMMUNITY,
        parent=tree.street,
    )
    assert made.parent == tree.street
    assert user_create(acting_user=None, username="someone", password="wushe-test-pass").pk
