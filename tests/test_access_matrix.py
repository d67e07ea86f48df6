"""The access matrix: every page and every API operation, for anonymous users and each role,
on an object in the user's own region and on one in a sibling region.

The pages are found by walking the URL conf and the API operations by reading the OpenAPI
document, so a new endpoint cannot be forgotten: one without an entry in ``PAGES`` or ``API``
fails ``test_every_page_has_an_entry`` / ``test_every_api_operation_has_an_entry``.

Expected everywhere:
- anonymous: redirected to the login page (pages) or 401 (API);
- out of scope: 404 (or 403 where the role lacks the capability altogether), with nothing of
  the object — name, masked or full ID number, phone — in the body;
- in scope: no 404 and no 5xx; 403 exactly when the role lacks the capability;
- the full ID number and phone never appear, except in the answer of a reveal to a role allowed it.
"""

from __future__ import annotations

import datetime
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from python_calamine import CalamineWorkbook

from wushe.accounts.roles import (
    APPROVE_DISBURSEMENT,
    EXPORT_LEDGER,
    HANDLE_APPEALS,
    LOG_VOLUNTEER_HOURS,
    MANAGE_LISTS,
    MANAGE_PERSONS,
    MANAGE_USERS,
    PAY_DISBURSEMENT,
    PAY_SUBSIDY,
    READ_ACTIVITIES,
    READ_APPEALS,
    READ_CASES,
    READ_FIGURES,
    READ_FUNDS,
    READ_LISTS,
    READ_NEEDS,
    READ_PROJECTS,
    READ_REGISTRY,
    READ_STUDIOS,
    READ_VISITS,
    READ_VOLUNTEERS,
    RECORD_OUTREACH,
    RECORD_SERVICES,
    REVEAL_IDENTIFIERS,
    REVIEW_SUBSIDY_COUNTY,
    SUPERVISE_APPEALS,
    VIEW_AUDIT,
    WORK_NEEDS,
    Role,
)
from wushe.accounts.services import api_token_issue, role_grant
from wushe.core.config import CONFIGURE
from wushe.core.exports import XLSX
from wushe.imports.services import job_create
from wushe.needs.services import problem_create
from wushe.partners.models import UnitKind
from wushe.partners.services import responsibility_unit_create
from wushe.registry.models import Tag
from wushe.registry.services import household_add_member, household_create

from .factories import PersonFactory, UserFactory
from .service_world import VERIFY_HOURS, service_objects

pytestmark = pytest.mark.django_db

PUBLIC = object()  # pages anyone may open
# Answering a referral is the referred organization's (an object-level check,
# ``needs.services.acts_for``): no region role holds it, so the matrix expects 403 from every role
# in scope; the organization's own answer is tested in wushe/needs/tests/test_referrals.py.
ANSWER_REFERRAL = "needs.answer_referral"


@dataclass(frozen=True)
class Entry:
    """How to call one endpoint. ``obj`` names the fixture object its URL or body refers to."""

    method: str = "GET"
    obj: str | None = None  # "person", "household", "region", "import"
    perm: str | None = None  # capability the role needs (403 without it)
    data: Callable[[World, str], dict[str, Any]] | None = None  # body, given world and "own"/"sibling"
    query: Callable[[World, str], str] | None = None
    public: bool = False
    reveals: bool = False  # its answer may carry the full numbers
    list_of: str | None = None  # a list endpoint: the sibling's data must not be in it
    kwargs: dict[str, Any] | Callable[[World], dict[str, Any]] | None = (
        None  # URL arguments other than the pk
    )
    pk_in_url: bool = True  # False: ``obj`` travels in the query or the body, not as the URL's pk


def _grant_data(world: World, side: str) -> dict[str, Any]:
    return {"role": "social_worker", "region": world.grid[side].pk}


def _region_query(world: World, side: str) -> str:
    return f"region={world.region[side].code}"


def _move_data(world: World, side: str) -> dict[str, Any]:
    return {"region": world.grid["own"].pk}


def _search_data(world: World, side: str) -> dict[str, Any]:
    return {"q": world.person[side].id_number}


def _person_body(world: World, side: str) -> dict[str, Any]:
    from .factories import certificate_for, next_id_number

    number = next_id_number()
    return {
        "name": "矩阵测试",
        "id_number": number,
        "region": world.grid[side].code,
        "disability_certificate": certificate_for(number, 6, 2),
    }


def _newcomer(world: World, side: str) -> Any:
    """A registered person of the side's grid without a household (to open one, or join)."""
    return PersonFactory(name="矩阵新成员", region=world.grid[side])


def _newcomer_form(world: World, side: str) -> dict[str, Any]:
    return {"member": _newcomer(world, side).pk, "relation": "child"}


def _another_household(world: World, side: str) -> Any:
    """Another household of the side's grid (to move a member into)."""
    return household_create(acting_user=None, head=PersonFactory(name="矩阵另一户", region=world.grid[side]))


def _month_query(world: World, side: str) -> str:
    from django.utils import timezone

    return f"region={world.region[side].code}&month={timezone.localdate():%Y-%m}"


def _month_body(world: World, side: str) -> dict[str, Any]:
    from django.utils import timezone

    return {"region": world.region[side].code, "month": f"{timezone.localdate():%Y-%m}"}


def _subsidy_body(world: World, side: str) -> dict[str, Any]:
    """A nursing application for the side's person (精神 level 2)."""
    return {
        "person": world.person[side].pk,
        "kind": "nursing",
        "bank_name": "矩阵银行",
        "bank_account": "6228480000000000001",
    }


def _household_query(world: World, side: str) -> str:
    return f"household={world.household[side].pk}"


def _accept_form(world: World, side: str) -> dict[str, Any]:
    return {"kind": "resource", "target": world.resource[side].pk}


def _visit_body(world: World, side: str) -> dict[str, Any]:
    return {
        "household": world.household[side].pk,
        "visited_on": "2026-06-01",
        "leaflets": 3,
        "needs": [{"category": "rehab", "description": "矩阵需求"}],
    }


def _offline_visit_body(world: World, side: str) -> dict[str, Any]:
    return {**_visit_body(world, side), "key": str(uuid.uuid4())}


def _offline_status_body(world: World, side: str) -> dict[str, Any]:
    need = world.need[side]
    need.refresh_from_db()
    return {
        "key": str(uuid.uuid4()),
        "to_status": "unmet",
        "unmet_reason": "矩阵",
        "base_version": need.version,
        "base_status": need.status,
    }


def _need_body(world: World, side: str) -> dict[str, Any]:
    return {"household": world.household[side].pk, "category": "psych", "description": "矩阵需求"}


def _resource_body(world: World, side: str) -> dict[str, Any]:
    return {
        "provider": world.organization[side].pk,
        "region": world.region[side].code,
        "name": "矩阵资源",
        "categories": ["rehab"],
        "capacity": 3,
    }


def _project_body(world: World, side: str) -> dict[str, Any]:
    return {
        "region": world.region[side].code,
        "name": "矩阵项目",
        "kind": "disability",
        "organization": world.organization[side].pk,
        "start_on": "2026-01-01",
        "end_on": "2026-12-31",
        "budget": "100.00",
    }


def _care_record(world: World, side: str) -> dict[str, Any]:
    from wushe.care.models import ServiceType

    kind = ServiceType.objects.get(code="cleaning").pk
    return {
        "service_type": kind,
        "served_on": _today(),
        "minutes": 30,
        "worker": "矩阵",
        "satisfaction": "satisfied",
    }


def _care_training(world: World, side: str) -> dict[str, Any]:
    return {
        "trained_on": _today(),
        "carer": "矩阵家属",
        "topic": "矩阵培训",
        "hours": "1.0",
        "trainer": "矩阵",
    }


def _consent_body(world: World, side: str) -> dict[str, Any]:
    return {
        "person": world.person[side].pk, "kinds": ["disability"], "purpose_kind": "disability",
        "purpose": "矩阵", "method": "phone",
    }  # fmt: skip


def _care_plan_body(world: World, side: str) -> dict[str, Any]:
    return {
        "person": world.person[side].pk, "kind": "mental", "self_care": "partial", "needs": "矩阵",
        "provider": world.organization[side].pk, "workers": "矩阵", "started_on": _today(),
        "review_on": _later(), "services": [{"service_type": "rehab", "times_per_month": 2}],
    }  # fmt: skip


def _later() -> str:
    import datetime

    from django.utils import timezone

    return (timezone.localdate() + datetime.timedelta(days=200)).isoformat()


def _emp_member(world: World, side: str) -> dict[str, Any]:
    return {"person": world.extra["member"][side].pk}


def _emp_person_body(world: World, side: str) -> dict[str, Any]:
    return {"person": world.extra["member"][side].pk}


def _emp_course_body(world: World, side: str) -> dict[str, Any]:
    day = _today()
    return {"region": world.region[side].code, "title": "矩阵课程", "kind": "computer", "start_on": day,
            "end_on": day, "sessions": 2}  # fmt: skip


def _emp_factory_body(world: World, side: str) -> dict[str, Any]:
    return {"region": world.grid[side].code, "name": "矩阵新微工厂", "operator": world.organization[side].pk,
            "opened_on": _today(), "products": "手工"}  # fmt: skip


def _emp_fair_body(world: World, side: str) -> dict[str, Any]:
    return {"region": world.region[side].code, "title": "矩阵招聘会", "held_on": _today(), "place": "广场",
            "organizer": "社区"}  # fmt: skip


def _emp_post_body(world: World, side: str) -> dict[str, Any]:
    return {"region": world.region[side].code, "provider": "mca", "title": "矩阵公益岗位", "places": 2,
            "monthly_pay": "1000.00", "start_on": _today(), "end_on": _today()}  # fmt: skip


PAGES: dict[str, Entry] = {
    "home": Entry(query=_region_query, obj="region"),
    # settings (core.config) and users and grants (accounts.views)
    "config:index": Entry(),
    "config:list": Entry(kwargs={"key": "tags"}),
    "config:add": Entry(perm=CONFIGURE, kwargs={"key": "tags"}),
    "config:change": Entry(perm=CONFIGURE, kwargs=lambda w: {"key": "tags", "pk": w.extra["tag"]["own"].pk}),
    "config:delete": Entry(perm=CONFIGURE, kwargs=lambda w: {"key": "tags", "pk": w.extra["tag"]["own"].pk}),
    "accounts:user_list": Entry(perm=MANAGE_USERS),
    "accounts:user_create": Entry(perm=MANAGE_USERS),
    "accounts:user_detail": Entry(obj="user", perm=MANAGE_USERS),
    "accounts:user_grant": Entry(method="POST", obj="user", perm=MANAGE_USERS, data=_grant_data),
    "accounts:user_active": Entry(
        method="POST", obj="user", perm=MANAGE_USERS, data=lambda w, s: {"active": "0"}
    ),
    "accounts:grant_revoke": Entry(method="POST", obj="grant", perm=MANAGE_USERS),
    "accounts:audit": Entry(perm=VIEW_AUDIT),
    "login": Entry(public=True),
    "healthz": Entry(public=True),  # the database's state and the task queue's age: nothing personal
    "logout": Entry(method="POST", public=True),
    # two-factor sign-in: the user's own settings (no object); a POST without a valid code is 400
    "twofactor:manage": Entry(),
    "twofactor:setup": Entry(),
    "twofactor:verify": Entry(),
    "set_language": Entry(method="POST", public=True, data=lambda w, s: {"language": "en", "next": "/"}),
    "reports:dashboard": Entry(obj="region", query=_region_query, perm=READ_FIGURES),
    "reports:screen": Entry(obj="region", query=_region_query, perm=READ_FIGURES),
    "reports:drill": Entry(
        obj="region", query=_region_query, kwargs={"key": "persons"}, list_of="person", perm=READ_FIGURES
    ),
    "reports:drill_export": Entry(
        obj="region", query=_region_query, kwargs={"key": "ledger.red"}, perm=EXPORT_LEDGER
    ),
    "reports:work_report": Entry(obj="region", query=_region_query, perm=READ_FIGURES),
    "reports:work_report_docx": Entry(obj="region", query=_region_query, perm=READ_FIGURES),
    "registry:person_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "registry:person_list": Entry(list_of="person", perm=READ_REGISTRY),
    "registry:person_search": Entry(method="POST", data=_search_data, list_of="person", perm=READ_REGISTRY),
    "registry:person_create": Entry(perm=MANAGE_PERSONS),
    "registry:person_detail": Entry(obj="person"),
    "registry:person_edit": Entry(obj="person", perm=MANAGE_PERSONS),
    "registry:person_reveal": Entry(method="POST", obj="person", perm=REVEAL_IDENTIFIERS, reveals=True),
    "registry:person_deregister": Entry(
        method="POST",
        obj="person",
        perm=MANAGE_PERSONS,
        data=lambda w, s: {"status": "moved", "note": "矩阵"},
    ),
    "registry:person_move": Entry(method="POST", obj="person", perm=MANAGE_PERSONS, data=_move_data),
    "registry:household_list": Entry(list_of="person", perm=READ_REGISTRY),
    "registry:household_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "registry:household_detail": Entry(obj="household"),
    "registry:household_create": Entry(perm=MANAGE_PERSONS),
    "registry:household_members": Entry(obj="household", perm=MANAGE_PERSONS),
    "registry:household_tags": Entry(obj="household", perm=MANAGE_PERSONS),
    "registry:household_member_add": Entry(
        method="POST", obj="household", perm=MANAGE_PERSONS, data=_newcomer_form
    ),
    "registry:household_head": Entry(
        method="POST",
        obj="household",
        perm=MANAGE_PERSONS,
        data=lambda w, s: {"person": w.extra["member"][s].pk, "former_head_relation": "spouse"},
    ),
    "registry:household_relation": Entry(
        method="POST",
        obj="household",
        perm=MANAGE_PERSONS,
        data=lambda w, s: {"person": w.extra["member"][s].pk, "relation": "child"},
    ),
    "registry:household_leave": Entry(
        method="POST",
        obj="household",
        perm=MANAGE_PERSONS,
        data=lambda w, s: {"person": w.extra["member"][s].pk, "note": "矩阵"},
    ),
    "registry:household_move": Entry(
        method="POST",
        obj="household",
        perm=MANAGE_PERSONS,
        data=lambda w, s: {
            "person": w.extra["member"][s].pk,
            "household": _another_household(w, s).pk,
            "relation": "other",
        },
    ),
    "registry:person_household": Entry(obj="person", perm=MANAGE_PERSONS),
    "registry:ledger": Entry(obj="region", query=_region_query, perm=READ_REGISTRY),
    "registry:ledger_export": Entry(obj="region", query=_region_query, perm=EXPORT_LEDGER),
    "imports:job_list": Entry(perm=MANAGE_PERSONS, list_of="import"),
    "imports:job_detail": Entry(obj="import", perm=MANAGE_PERSONS),
    "imports:job_mapping": Entry(method="POST", obj="import", perm=MANAGE_PERSONS, data=lambda w, s: {}),
    "imports:job_commit": Entry(method="POST", obj="import", perm=MANAGE_PERSONS),
    "imports:job_abandon": Entry(method="POST", obj="import", perm=MANAGE_PERSONS),
    "imports:job_progress": Entry(obj="import", perm=MANAGE_PERSONS),
    "imports:job_errors": Entry(obj="import", perm=MANAGE_PERSONS),
    # outreach: visits, needs, problems, organizations, resources, responsibilities, projects
    "visits:visit_list": Entry(list_of="person", perm=READ_VISITS),
    "visits:visit_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "visits:coverage": Entry(list_of="person", perm=READ_VISITS),
    "visits:coverage_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "visits:visit_detail": Entry(obj="visit"),
    "visits:visit_create": Entry(
        obj="household", pk_in_url=False, query=_household_query, perm=RECORD_OUTREACH
    ),
    "visits:offline": Entry(perm=RECORD_OUTREACH),
    # the service worker's script and the manifest: URLs and names only, nothing personal
    "visits:service_worker": Entry(public=True),
    "visits:manifest": Entry(public=True),
    "needs:need_list": Entry(list_of="person", perm=READ_NEEDS),
    "needs:need_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "needs:need_create": Entry(
        obj="household", pk_in_url=False, query=_household_query, perm=RECORD_OUTREACH
    ),
    "needs:need_detail": Entry(obj="need"),
    "needs:need_step": Entry(
        method="POST", obj="need", perm=WORK_NEEDS, data=lambda w, s: {"to_status": "to_match"}
    ),
    "needs:need_accept": Entry(method="POST", obj="need", perm=RECORD_OUTREACH, data=_accept_form),
    "needs:need_rate": Entry(
        method="POST", obj="need", perm=WORK_NEEDS, data=lambda w, s: {"satisfaction": "satisfied"}
    ),
    "needs:need_refer": Entry(obj="need", perm=RECORD_OUTREACH),
    "needs:need_contact": Entry(method="POST", obj="need", perm=REVEAL_IDENTIFIERS, reveals=True),
    "needs:referral_list": Entry(list_of="person"),
    "needs:referral_accept": Entry(method="POST", obj="referral", perm=ANSWER_REFERRAL),
    "needs:referral_return": Entry(
        method="POST", obj="referral", perm=ANSWER_REFERRAL, data=lambda w, s: {"note": "矩阵退回"}
    ),
    "needs:problem_list": Entry(list_of="person", perm=READ_VISITS),
    "needs:problem_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "needs:problem_resolve": Entry(
        method="POST", obj="problem", perm=RECORD_OUTREACH, data=lambda w, s: {"resolution": "矩阵"}
    ),
    "partners:organization_list": Entry(list_of="person", perm=READ_LISTS),
    "partners:organization_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "partners:organization_detail": Entry(obj="organization"),
    "partners:resource_list": Entry(list_of="person", perm=READ_LISTS),
    "partners:resource_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "partners:resource_create": Entry(perm=MANAGE_LISTS),
    "partners:resource_detail": Entry(obj="resource"),
    "partners:responsibility_list": Entry(list_of="person", perm=READ_LISTS),
    "partners:responsibility_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "partners:responsibility_detail": Entry(obj="unit"),
    "projects:project_list": Entry(list_of="person", perm=READ_PROJECTS),
    "projects:project_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "projects:project_create": Entry(perm=MANAGE_LISTS),
    "projects:project_detail": Entry(obj="project"),
    # service work (issue 6)
    "casework:case_list": Entry(list_of="person", perm=READ_CASES),
    "casework:case_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "casework:case_create": Entry(perm=RECORD_SERVICES),
    "casework:case_detail": Entry(obj="case"),
    "casework:case_advance": Entry(
        method="POST",
        obj="case",
        perm=RECORD_SERVICES,
        data=lambda w, s: {"stage": "assessment", "on": _today(), "note": "评估"},
    ),
    "casework:case_reopen": Entry(
        method="POST", obj="case", perm=RECORD_SERVICES, data=lambda w, s: {"on": _today(), "note": "复开"}
    ),
    "casework:case_service_add": Entry(
        method="POST",
        obj="case",
        perm=RECORD_SERVICES,
        data=lambda w, s: {"on": _today(), "minutes": 30, "content": "探访"},
    ),
    "casework:group_list": Entry(list_of="person", perm=READ_CASES),
    "casework:group_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "casework:group_create": Entry(perm=RECORD_SERVICES),
    "casework:group_detail": Entry(obj="group"),
    "casework:group_member_add": Entry(
        method="POST", obj="group", perm=RECORD_SERVICES, data=lambda w, s: {"member": w.person[s].pk}
    ),
    "casework:group_session_add": Entry(
        method="POST",
        obj="group",
        perm=RECORD_SERVICES,
        data=lambda w, s: {"on": _today(), "topic": "第一节"},
    ),
    "casework:activity_list": Entry(list_of="person", perm=READ_ACTIVITIES),
    "casework:activity_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "casework:activity_create": Entry(perm=RECORD_SERVICES),
    "casework:activity_detail": Entry(obj="activity"),
    "casework:activity_photo_add": Entry(
        method="POST", obj="activity", perm=RECORD_SERVICES, data=lambda w, s: {}
    ),
    "casework:activity_photo": Entry(obj="photo"),
    "appeals:appeal_list": Entry(list_of="person", perm=READ_APPEALS),
    "appeals:appeal_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "appeals:appeal_create": Entry(perm=HANDLE_APPEALS),
    "appeals:appeal_detail": Entry(obj="appeal"),
    "appeals:appeal_step": Entry(
        method="POST",
        obj="appeal",
        perm=HANDLE_APPEALS,
        data=lambda w, s: {"step": "receive", "note": "接待"},
    ),
    "appeals:appeal_satisfaction": Entry(
        method="POST", obj="appeal", perm=HANDLE_APPEALS, data=lambda w, s: {"satisfaction": "satisfied"}
    ),
    "appeals:appeal_supervise": Entry(
        method="POST", obj="appeal", perm=SUPERVISE_APPEALS, data=lambda w, s: {"note": "矩阵督办"}
    ),
    "appeals:appeal_return_call": Entry(
        method="POST", obj="appeal", perm=HANDLE_APPEALS, data=lambda w, s: {"outcome": "confirmed"}
    ),
    "appeals:appeal_receipt": Entry(obj="appeal"),
    "appeals:studio_list": Entry(list_of="person", perm=READ_STUDIOS),
    "appeals:studio_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "appeals:studio_detail": Entry(obj="studio"),
    "volunteers:team_list": Entry(list_of="person", perm=READ_VOLUNTEERS),
    "volunteers:team_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "volunteers:team_detail": Entry(obj="team"),
    "volunteers:team_verify_all": Entry(method="POST", obj="team", perm=VERIFY_HOURS),
    "volunteers:volunteer_list": Entry(list_of="person", perm=READ_VOLUNTEERS),
    "volunteers:volunteer_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "volunteers:volunteer_create": Entry(perm=LOG_VOLUNTEER_HOURS),
    "volunteers:volunteer_detail": Entry(obj="volunteer"),
    "volunteers:record_log": Entry(
        method="POST",
        obj="volunteer",
        perm=LOG_VOLUNTEER_HOURS,
        data=lambda w, s: {"on": _today(), "hours": "2", "kind": "meal", "content": "送餐"},
    ),
    "volunteers:record_verify": Entry(
        method="POST", obj="record", perm=VERIFY_HOURS, data=lambda w, s: {"approve": "1"}
    ),
    "volunteers:proof_issue": Entry(
        method="POST", obj="volunteer", perm=LOG_VOLUNTEER_HOURS, data=lambda w, s: {}
    ),
    "volunteers:proof_detail": Entry(obj="proof"),
    "visits:visit_edit": Entry(obj="visit", perm=RECORD_OUTREACH),
    "needs:need_edit": Entry(obj="need", perm=RECORD_OUTREACH),
    "appeals:appeal_edit": Entry(obj="appeal", perm=HANDLE_APPEALS),
    "volunteers:record_correct": Entry(obj="record", perm=LOG_VOLUNTEER_HOURS),
    "volunteers:entry_edit": Entry(obj="entry", perm=LOG_VOLUNTEER_HOURS),
    "volunteers:entry_add": Entry(
        method="POST",
        obj="volunteer",
        perm=LOG_VOLUNTEER_HOURS,
        data=lambda w, s: {"kind": "training", "on": _today(), "title": "矩阵培训"},
    ),
    # work and income (employment): residents' records, read by whoever reads the registry
    "employment:course_list": Entry(perm=READ_REGISTRY, list_of="person"),
    "employment:course_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "employment:course_create": Entry(perm=MANAGE_LISTS),
    "employment:course_detail": Entry(obj="course", perm=READ_REGISTRY),
    "employment:course_enrol": Entry(method="POST", obj="course", perm=RECORD_OUTREACH, data=_emp_member),
    "employment:course_attendance": Entry(method="POST", obj="course", perm=RECORD_OUTREACH),
    "employment:course_follow_up": Entry(method="POST", obj="course", perm=RECORD_OUTREACH),
    "employment:enrolment_complete": Entry(method="POST", obj="enrolment", perm=RECORD_OUTREACH),
    "employment:factory_list": Entry(perm=READ_REGISTRY, list_of="person"),
    "employment:factory_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "employment:factory_create": Entry(perm=MANAGE_LISTS),
    "employment:factory_detail": Entry(obj="factory", perm=READ_REGISTRY),
    "employment:factory_investment": Entry(method="POST", obj="factory", perm=MANAGE_LISTS),
    "employment:factory_worker": Entry(method="POST", obj="factory", perm=RECORD_OUTREACH, data=_emp_member),
    "employment:factory_pay": Entry(method="POST", obj="factory", perm=RECORD_OUTREACH),
    "employment:factory_month": Entry(method="POST", obj="factory", perm=RECORD_OUTREACH),
    "employment:worker_end": Entry(method="POST", obj="worker", perm=RECORD_OUTREACH),
    "employment:fair_list": Entry(perm=READ_REGISTRY, list_of="person"),
    "employment:fair_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "employment:fair_create": Entry(perm=MANAGE_LISTS),
    "employment:fair_detail": Entry(obj="fair", perm=READ_REGISTRY),
    "employment:fair_enterprise": Entry(method="POST", obj="fair", perm=MANAGE_LISTS),
    "employment:fair_position": Entry(method="POST", obj="fair", perm=MANAGE_LISTS),
    "employment:fair_apply": Entry(method="POST", obj="fair", perm=RECORD_OUTREACH, data=_emp_member),
    "employment:fair_decide": Entry(method="POST", obj="fair", perm=RECORD_OUTREACH),
    "employment:fair_hire_follow_up": Entry(method="POST", obj="fair", perm=RECORD_OUTREACH),
    "employment:post_list": Entry(perm=READ_REGISTRY, list_of="person"),
    "employment:post_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "employment:post_create": Entry(perm=MANAGE_LISTS),
    "employment:post_detail": Entry(obj="welfare_post", perm=READ_REGISTRY),
    "employment:post_recommend": Entry(
        method="POST", obj="welfare_post", perm=RECORD_OUTREACH, data=_emp_member
    ),
    "employment:recommendation_decide": Entry(method="POST", obj="recommendation", perm=MANAGE_LISTS),
    "employment:recommendation_place": Entry(method="POST", obj="approved_rec", perm=RECORD_OUTREACH),
    "employment:recommendation_leave": Entry(method="POST", obj="placed_rec", perm=RECORD_OUTREACH),
    "employment:recommendation_confirm": Entry(method="POST", obj="placed_rec", perm=RECORD_OUTREACH),
    "employment:idle_list": Entry(perm=READ_REGISTRY, list_of="person"),
    "employment:idle_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    # charity funds: region roles read their region's funds, a committee member its own funds
    "funds:fund_list": Entry(perm=READ_FUNDS, list_of="person"),
    "funds:fund_detail": Entry(obj="fund", perm=READ_FUNDS),
    "funds:fund_statement_export": Entry(obj="fund", perm=READ_FUNDS),
    "funds:donation_create": Entry(obj="fund", perm=MANAGE_LISTS),
    "funds:disbursement_create": Entry(obj="fund", perm=RECORD_OUTREACH),
    "funds:notice": Entry(obj="fund", perm=READ_FUNDS, kwargs=lambda w: {"period": _quarter()}),
    "funds:donation_detail": Entry(obj="donation", perm=READ_FUNDS),
    "funds:receipt_pdf": Entry(obj="donation", perm=READ_FUNDS),
    "funds:disbursement_detail": Entry(obj="disbursement", perm=READ_FUNDS),
    # approval: a committee member of that fund (or the street above its threshold), checked on
    # the object: no region role votes on a request of this size
    "funds:disbursement_approve": Entry(method="POST", obj="disbursement", perm=APPROVE_DISBURSEMENT),
    "funds:disbursement_reject": Entry(
        method="POST", obj="disbursement", perm=APPROVE_DISBURSEMENT, data=lambda w, s: {"reason": "矩阵"}
    ),
    "funds:disbursement_pay": Entry(
        method="POST",
        obj="disbursement",
        perm=PAY_DISBURSEMENT,
        data=lambda w, s: {"method": "现金", "voucher_number": "矩阵", "paid_on": _today()},
    ),
    "funds:entry_reverse": Entry(method="POST", obj="fund_entry", perm=MANAGE_LISTS),
    # the 公示: no login, an unguessable token, the notice only
    # 政策找人: the catalogue is reference data; the people on a policy's lists are scoped
    "policies:policy_list": Entry(perm=READ_REGISTRY, list_of="person"),
    "policies:policy_detail": Entry(
        perm=READ_REGISTRY, list_of="person", kwargs=lambda w: {"pk": w.extra["policy"]["own"].pk}
    ),
    "policies:run_start": Entry(method="POST", perm=RECORD_OUTREACH),
    "policies:application_create": Entry(
        perm=RECORD_OUTREACH,
        kwargs=lambda w: {"pk": w.extra["policy"]["own"].pk},
        query=lambda w, s: f"person={w.person[s].pk}",
    ),
    "policies:application_list": Entry(perm=READ_REGISTRY, list_of="person"),
    "policies:application_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "policies:application_detail": Entry(obj="policy_application", perm=READ_REGISTRY),
    # consent and the statutory basis of processing a person's sensitive data (PIPL)
    "consent:report": Entry(perm=READ_REGISTRY, list_of="person"),
    "consent:report_export": Entry(perm=EXPORT_LEDGER, list_of="person"),
    "consent:consent_create": Entry(obj="person", perm=MANAGE_PERSONS),
    "consent:basis_create": Entry(obj="person", perm=MANAGE_PERSONS),
    "consent:consent_withdraw": Entry(obj="consent", perm=MANAGE_PERSONS),
    "consent:consent_scan": Entry(obj="consent", perm=READ_REGISTRY),
    # care plans (困难重度残疾人照护) and assistive-device rental
    "care:plan_list": Entry(perm=READ_CASES, list_of="person"),
    "care:gaps": Entry(perm=READ_CASES, list_of="person"),
    "care:plan_create": Entry(obj="person", perm=RECORD_OUTREACH),
    "care:plan_detail": Entry(obj="care_plan", perm=READ_CASES),
    "care:record_create": Entry(method="POST", obj="care_plan", perm=RECORD_SERVICES, data=_care_record),
    "care:training_create": Entry(method="POST", obj="care_plan", perm=RECORD_SERVICES, data=_care_training),
    "rentals:item_list": Entry(perm=READ_LISTS),
    "rentals:utilization": Entry(perm=READ_LISTS),
    "rentals:item_detail": Entry(obj="rental_item", perm=READ_LISTS),
    "rentals:item_advance": Entry(
        method="POST",
        obj="rental_item",
        perm=RECORD_SERVICES,
        data=lambda w, s: {"to_status": "scrapped", "note": "矩阵"},
    ),
    "rentals:rental_list": Entry(perm=READ_LISTS, list_of="person"),
    "rentals:rental_detail": Entry(obj="rental", perm=READ_LISTS),
    "rentals:rental_renew": Entry(
        method="POST", obj="rental", perm=RECORD_SERVICES, data=lambda w, s: {"due_on": _later()}
    ),
    "rentals:rental_return": Entry(
        method="POST",
        obj="rental",
        perm=RECORD_SERVICES,
        data=lambda w, s: {"returned_on": _today(), "condition": "good"},
    ),
    "rentals:rental_create": Entry(obj="person", perm=RECORD_SERVICES),
    # the two disability subsidies: the street's own steps (初审, the roster's approval) are its
    # administrators' (subsidies.access.is_street_admin); SUPERVISE_APPEALS is held by exactly them
    "subsidies:index": Entry(perm=READ_REGISTRY, list_of="person"),
    "subsidies:application_create": Entry(obj="person", perm=MANAGE_PERSONS),
    "subsidies:application_detail": Entry(obj="subsidy_application", perm=READ_REGISTRY),
    "subsidies:application_step": Entry(
        method="POST",
        obj="subsidy_application",
        perm=REVIEW_SUBSIDY_COUNTY,
        data=lambda w, s: {"step": "cdpf", "passed": "1"},
    ),
    "subsidies:roster": Entry(obj="region", query=_month_query, perm=READ_REGISTRY, list_of="person"),
    "subsidies:roster_approve": Entry(method="POST", obj="region", data=_month_body, perm=SUPERVISE_APPEALS),
    "subsidies:roster_pay": Entry(method="POST", obj="region", data=_month_body, perm=PAY_SUBSIDY),
    "subsidies:roster_export": Entry(obj="region", query=_month_query, perm=PAY_SUBSIDY, list_of="person"),
    "subsidies:worklist": Entry(obj="region", query=_month_query, perm=READ_REGISTRY, list_of="person"),
    # poverty work: household checks, 防返贫监测, warnings, 一户一册/一户一卡 and their batches
    "poverty:check_list": Entry(list_of="person", perm=READ_REGISTRY),
    "poverty:check_create": Entry(
        obj="household", pk_in_url=False, query=_household_query, perm=RECORD_OUTREACH
    ),
    "poverty:check_detail": Entry(obj="poverty_check", perm=READ_REGISTRY),
    "poverty:lead_list": Entry(list_of="person", perm=READ_REGISTRY),
    "poverty:lead_create": Entry(
        obj="household", pk_in_url=False, query=_household_query, perm=RECORD_OUTREACH
    ),
    "poverty:lead_detail": Entry(obj="poverty_lead", perm=READ_REGISTRY),
    "poverty:lead_step": Entry(
        method="POST",
        obj="poverty_lead",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"step": "verify", "approved": "1", "done_on": _today()},
    ),
    "poverty:object_list": Entry(list_of="person", perm=READ_REGISTRY),
    "poverty:object_detail": Entry(obj="poverty_object", perm=READ_REGISTRY),
    "poverty:measure_add": Entry(
        method="POST",
        obj="poverty_object",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {
            "kind": "health",
            "description": "矩阵措施",
            "cadre": "矩阵干部",
            "started_on": _today(),
        },
    ),
    "poverty:income_add": Entry(
        method="POST",
        obj="poverty_object",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"month": _today(), "income_per_person": "500"},
    ),
    "poverty:object_eliminate": Entry(method="POST", obj="poverty_object", perm=RECORD_OUTREACH),
    "poverty:warning_list": Entry(list_of="person", perm=READ_REGISTRY),
    "poverty:warning_run": Entry(method="POST", perm=RECORD_OUTREACH),
    "poverty:warning_confirm": Entry(
        method="POST",
        obj="poverty_warning",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"kind": "edge", "risk_type": "illness"},
    ),
    "poverty:warning_dismiss": Entry(
        method="POST", obj="poverty_warning", perm=RECORD_OUTREACH, data=lambda w, s: {"note": "矩阵排除"}
    ),
    "poverty:booklet": Entry(obj="household", perm=READ_REGISTRY),
    "poverty:card": Entry(obj="household", perm=READ_REGISTRY),
    "poverty:batch_list": Entry(perm=READ_REGISTRY),
    "poverty:batch_detail": Entry(obj="poverty_batch", perm=READ_REGISTRY),
    "poverty:batch_pdf": Entry(obj="poverty_batch", perm=READ_REGISTRY),
    # the user's own exports made in the background: only the requester's, in their region
    "exports:list": Entry(perm=EXPORT_LEDGER, list_of="export_job"),
    "exports:detail": Entry(obj="export_job", perm=EXPORT_LEDGER),
    "exports:file": Entry(obj="export_job", perm=EXPORT_LEDGER),
    "funds_public:notice": Entry(
        public=True, kwargs=lambda w: {"token": w.extra["fund"]["own"].public_token, "period": _quarter()}
    ),
    "funds_public:notice_pdf": Entry(
        public=True, kwargs=lambda w: {"token": w.extra["fund"]["own"].public_token, "period": _quarter()}
    ),
    # the residents' own door (wushe.portal): public pages, and the workers' waiting list
    "portal_public:request_new": Entry(public=True),
    "portal_public:request_check": Entry(public=True),
    "portal_public:rating": Entry(public=True, kwargs=lambda w: {"token": w.extra["rating_token"]["own"]}),
    "portal:submission_list": Entry(list_of="person", perm=READ_APPEALS),
    "portal:submission_detail": Entry(obj="submission", perm=READ_APPEALS),
    "portal:submission_accept": Entry(method="POST", obj="submission", perm=HANDLE_APPEALS),
    "portal:submission_reject": Entry(
        method="POST", obj="submission", perm=HANDLE_APPEALS, data=lambda w, s: {"reason": "spam"}
    ),
    "portal:visit_ratings": Entry(obj="visit", perm=READ_VISITS),
    "portal:service_ratings": Entry(obj="case_service", perm=READ_CASES),
}

API: dict[str, Entry] = {
    "GET /api/v1/regions": Entry(list_of="region"),
    "GET /api/v1/persons": Entry(list_of="person"),
    "POST /api/v1/persons/search": Entry(method="POST", data=_search_data, list_of="person"),
    "POST /api/v1/persons": Entry(method="POST", data=_person_body, perm=MANAGE_PERSONS, obj="region"),
    "GET /api/v1/persons/{person_id}": Entry(obj="person", query=lambda w, s: "reveal=true", reveals=True),
    "PATCH /api/v1/persons/{person_id}": Entry(
        method="PATCH", obj="person", perm=MANAGE_PERSONS, data=lambda w, s: {"address": "矩阵路1号"}
    ),
    "GET /api/v1/households": Entry(list_of="person"),
    "POST /api/v1/households": Entry(
        method="POST", obj="person", perm=MANAGE_PERSONS, data=lambda w, s: {"head": _newcomer(w, s).pk}
    ),
    "GET /api/v1/households/{household_id}": Entry(obj="household"),
    "POST /api/v1/households/{household_id}/members": Entry(
        method="POST",
        obj="household",
        perm=MANAGE_PERSONS,
        data=lambda w, s: {"person": _newcomer(w, s).pk, "relation": "child"},
    ),
    "POST /api/v1/households/{household_id}/members/{member_id}/move": Entry(
        method="POST",
        obj="household",
        perm=MANAGE_PERSONS,
        data=lambda w, s: {"household": _another_household(w, s).pk, "relation": "other"},
    ),
    "POST /api/v1/households/{household_id}/members/{member_id}/leave": Entry(
        method="POST", obj="household", perm=MANAGE_PERSONS, data=lambda w, s: {"note": "矩阵"}
    ),
    "PATCH /api/v1/households/{household_id}/members/{member_id}": Entry(
        method="PATCH", obj="household", perm=MANAGE_PERSONS, data=lambda w, s: {"relation": "child"}
    ),
    "POST /api/v1/households/{household_id}/head": Entry(
        method="POST",
        obj="household",
        perm=MANAGE_PERSONS,
        data=lambda w, s: {"person": w.extra["member"][s].pk, "former_head_relation": "spouse"},
    ),
    "GET /api/v1/stats": Entry(obj="region", query=_region_query),
    "GET /api/v1/visits": Entry(list_of="person"),
    "POST /api/v1/visits": Entry(method="POST", obj="household", data=_visit_body, perm=RECORD_OUTREACH),
    "GET /api/v1/visits/{visit_id}": Entry(obj="visit"),
    "GET /api/v1/offline/data": Entry(list_of="person", perm=RECORD_OUTREACH),
    "POST /api/v1/offline/visits": Entry(
        method="POST", obj="household", data=_offline_visit_body, perm=RECORD_OUTREACH
    ),
    "POST /api/v1/offline/needs/{need_id}/status": Entry(
        method="POST", obj="need", perm=WORK_NEEDS, data=_offline_status_body
    ),
    "GET /api/v1/needs": Entry(list_of="person"),
    "POST /api/v1/needs": Entry(method="POST", obj="household", data=_need_body, perm=RECORD_OUTREACH),
    "GET /api/v1/needs/{need_id}": Entry(obj="need"),
    "POST /api/v1/needs/{need_id}/steps": Entry(
        method="POST", obj="need", perm=WORK_NEEDS, data=lambda w, s: {"to_status": "to_match"}
    ),
    "GET /api/v1/needs/{need_id}/suggestions": Entry(obj="need"),
    "POST /api/v1/needs/{need_id}/accept": Entry(
        method="POST", obj="need", perm=RECORD_OUTREACH, data=lambda w, s: {"resource": w.resource[s].pk}
    ),
    "GET /api/v1/problems": Entry(list_of="person"),
    "POST /api/v1/problems/{problem_id}/resolve": Entry(
        method="POST", obj="problem", perm=RECORD_OUTREACH, data=lambda w, s: {"resolution": "矩阵"}
    ),
    "GET /api/v1/organizations": Entry(list_of="person"),
    "GET /api/v1/resources": Entry(list_of="person"),
    "POST /api/v1/resources": Entry(method="POST", obj="region", data=_resource_body, perm=MANAGE_LISTS),
    "GET /api/v1/resources/{resource_id}": Entry(obj="resource"),
    "GET /api/v1/responsibilities": Entry(list_of="person"),
    "GET /api/v1/responsibilities/{unit_id}": Entry(obj="unit"),
    "GET /api/v1/projects": Entry(list_of="person"),
    "POST /api/v1/projects": Entry(method="POST", obj="region", data=_project_body, perm=MANAGE_LISTS),
    "GET /api/v1/projects/{project_id}": Entry(obj="project"),
    # service work (issue 6)
    "GET /api/v1/cases": Entry(list_of="person"),
    "POST /api/v1/cases": Entry(
        method="POST",
        obj="person",
        perm=RECORD_SERVICES,
        data=lambda w, s: {"person": w.person[s].pk, "reason": "矩阵接案", "opened_on": _today()},
    ),
    "GET /api/v1/cases/{case_id}": Entry(obj="case"),
    "POST /api/v1/cases/{case_id}/steps": Entry(
        method="POST",
        obj="case",
        perm=RECORD_SERVICES,
        data=lambda w, s: {"stage": "assessment", "on": _today(), "note": "评估"},
    ),
    "POST /api/v1/cases/{case_id}/services": Entry(
        method="POST",
        obj="case",
        perm=RECORD_SERVICES,
        data=lambda w, s: {"on": _today(), "minutes": 30, "content": "探访"},
    ),
    "GET /api/v1/groups": Entry(list_of="person"),
    "POST /api/v1/groups": Entry(
        method="POST",
        obj="region",
        perm=RECORD_SERVICES,
        data=lambda w, s: {
            "name": "矩阵小组",
            "goal": "互助",
            "region": w.grid[s].code,
            "starts_on": _today(),
        },
    ),
    "GET /api/v1/groups/{group_id}": Entry(obj="group"),
    "POST /api/v1/groups/{group_id}/sessions": Entry(
        method="POST",
        obj="group",
        perm=RECORD_SERVICES,
        data=lambda w, s: {"on": _today(), "topic": "第一节"},
    ),
    "GET /api/v1/activities": Entry(list_of="person"),
    "POST /api/v1/activities": Entry(
        method="POST",
        obj="region",
        perm=RECORD_SERVICES,
        data=lambda w, s: {
            "kind": "community",
            "title": "矩阵活动",
            "on": _today(),
            "place": "活动室",
            "region": w.grid[s].code,
        },
    ),
    "GET /api/v1/activities/{activity_id}": Entry(obj="activity"),
    "GET /api/v1/appeals": Entry(list_of="person"),
    "POST /api/v1/appeals": Entry(
        method="POST",
        obj="person",
        perm=HANDLE_APPEALS,
        data=lambda w, s: {
            "channel": "walk_in",
            "category": "help",
            "content": "矩阵诉求",
            "person": w.person[s].pk,
        },
    ),
    "GET /api/v1/appeals/{appeal_id}": Entry(obj="appeal"),
    "POST /api/v1/appeals/{appeal_id}/steps": Entry(
        method="POST",
        obj="appeal",
        perm=HANDLE_APPEALS,
        data=lambda w, s: {"step": "receive", "note": "接待"},
    ),
    "GET /api/v1/volunteers": Entry(list_of="person"),
    "POST /api/v1/volunteers": Entry(
        method="POST",
        obj="team",
        perm=LOG_VOLUNTEER_HOURS,
        data=lambda w, s: {"team": w.extra["team"][s].pk, "name": "矩阵志愿者", "joined_on": _today()},
    ),
    "GET /api/v1/volunteers/{volunteer_id}": Entry(obj="volunteer"),
    "POST /api/v1/volunteers/{volunteer_id}/records": Entry(
        method="POST",
        obj="volunteer",
        perm=LOG_VOLUNTEER_HOURS,
        data=lambda w, s: {"on": _today(), "hours": "2", "kind": "meal", "content": "送餐"},
    ),
    "POST /api/v1/volunteers/records/{record_id}/verify": Entry(
        method="POST", obj="record", perm=VERIFY_HOURS, data=lambda w, s: {"approve": True}
    ),
    "PATCH /api/v1/visits/{visit_id}": Entry(
        method="PATCH", obj="visit", perm=RECORD_OUTREACH, data=lambda w, s: {"reason": "矩阵", "leaflets": 2}
    ),
    "PATCH /api/v1/needs/{need_id}": Entry(
        method="PATCH",
        obj="need",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"reason": "矩阵", "description": "改"},
    ),
    "PATCH /api/v1/appeals/{appeal_id}": Entry(
        method="PATCH",
        obj="appeal",
        perm=HANDLE_APPEALS,
        data=lambda w, s: {"reason": "矩阵", "content": "改"},
    ),
    "PATCH /api/v1/volunteers/records/{record_id}": Entry(
        method="PATCH", obj="record", perm=LOG_VOLUNTEER_HOURS, data=lambda w, s: {"hours": "1.5"}
    ),
    "POST /api/v1/volunteers/records/{record_id}/correct": Entry(
        method="POST", obj="record", perm=VERIFY_HOURS, data=lambda w, s: {"reason": "矩阵更正"}
    ),
    "POST /api/v1/volunteers/{volunteer_id}/entries": Entry(
        method="POST",
        obj="volunteer",
        perm=LOG_VOLUNTEER_HOURS,
        data=lambda w, s: {"kind": "award", "on": _today(), "title": "矩阵表彰"},
    ),
    # referrals (the organization's answer is an object-level check: ANSWER_REFERRAL), 督办, 回访
    "GET /api/v1/referrals": Entry(list_of="person"),
    "GET /api/v1/needs/{need_id}/referrals": Entry(obj="need"),
    "POST /api/v1/needs/{need_id}/refer": Entry(
        method="POST",
        obj="need",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"organization": w.organization[s].pk, "reason": "矩阵转介"},
    ),
    "POST /api/v1/referrals/{referral_id}/accept": Entry(method="POST", obj="referral", perm=ANSWER_REFERRAL),
    "POST /api/v1/referrals/{referral_id}/return": Entry(
        method="POST", obj="referral", perm=ANSWER_REFERRAL, data=lambda w, s: {"reason": "矩阵退回"}
    ),
    "POST /api/v1/appeals/{appeal_id}/supervise": Entry(
        method="POST", obj="late_appeal", perm=SUPERVISE_APPEALS, data=lambda w, s: {"note": "矩阵督办"}
    ),
    "POST /api/v1/appeals/{appeal_id}/return-call": Entry(
        method="POST", obj="closed_appeal", perm=HANDLE_APPEALS, data=lambda w, s: {"outcome": "confirmed"}
    ),
    "PATCH /api/v1/resources/{resource_id}": Entry(
        method="PATCH", obj="resource", perm=MANAGE_LISTS, data=lambda w, s: {"age_max": 60}
    ),
    "PATCH /api/v1/volunteers/entries/{entry_id}": Entry(
        method="PATCH",
        obj="entry",
        perm=LOG_VOLUNTEER_HOURS,
        data=lambda w, s: {"reason": "矩阵更正", "title": "矩阵培训（改）"},
    ),
    "GET /api/v1/imports": Entry(perm=MANAGE_PERSONS, list_of="import"),
    "GET /api/v1/imports/{job_id}": Entry(obj="import", perm=MANAGE_PERSONS),
    "GET /api/v1/subsidies/persons/{person_id}/eligibility": Entry(obj="person"),
    "GET /api/v1/subsidies/applications": Entry(list_of="person"),
    "POST /api/v1/subsidies/applications": Entry(
        obj="person", pk_in_url=False, data=_subsidy_body, perm=MANAGE_PERSONS
    ),
    "GET /api/v1/subsidies/applications/{application_id}": Entry(obj="subsidy_application"),
    "POST /api/v1/subsidies/applications/{application_id}/steps": Entry(
        obj="subsidy_application", data=lambda w, s: {"step": "cdpf"}, perm=REVIEW_SUBSIDY_COUNTY
    ),
    "GET /api/v1/subsidies/rosters": Entry(obj="region", query=_month_query, list_of="person"),
    "POST /api/v1/subsidies/rosters": Entry(
        obj="region", pk_in_url=False, data=_month_body, perm=SUPERVISE_APPEALS
    ),
    # work and income (employment)
    "GET /api/v1/trainings": Entry(perm=READ_REGISTRY, list_of="person"),
    "POST /api/v1/trainings": Entry(perm=MANAGE_LISTS, data=_emp_course_body),
    "GET /api/v1/trainings/{course_id}": Entry(obj="course", perm=READ_REGISTRY),
    "POST /api/v1/trainings/{course_id}/enrolments": Entry(
        obj="course", perm=RECORD_OUTREACH, data=_emp_person_body
    ),
    "POST /api/v1/trainings/{course_id}/attendance": Entry(
        obj="course", perm=RECORD_OUTREACH, data=lambda w, s: {"session": 1, "present": []}
    ),
    "POST /api/v1/trainings/enrolments/{enrolment_id}/follow-ups": Entry(
        obj="enrolment", perm=RECORD_OUTREACH, data=lambda w, s: {"month": 1, "outcome": "not_working"}
    ),
    "POST /api/v1/trainings/enrolments/{enrolment_id}/complete": Entry(
        obj="enrolment", perm=RECORD_OUTREACH, data=lambda w, s: {}
    ),
    "GET /api/v1/microfactories": Entry(perm=READ_REGISTRY, list_of="person"),
    "POST /api/v1/microfactories": Entry(perm=MANAGE_LISTS, data=_emp_factory_body),
    "GET /api/v1/microfactories/{factory_id}": Entry(obj="factory", perm=READ_REGISTRY),
    "POST /api/v1/microfactories/{factory_id}/investments": Entry(
        obj="factory",
        perm=MANAGE_LISTS,
        data=lambda w, s: {"amount": "100.00", "source": "government", "department": "残联"},
    ),
    "POST /api/v1/microfactories/{factory_id}/workers": Entry(
        obj="factory", perm=RECORD_OUTREACH, data=_emp_person_body
    ),
    "POST /api/v1/microfactories/workers/{worker_id}/months": Entry(
        obj="worker", perm=RECORD_OUTREACH, data=lambda w, s: {"month": _today(), "pay": "800.00"}
    ),
    "GET /api/v1/jobfairs": Entry(perm=READ_REGISTRY, list_of="person"),
    "POST /api/v1/jobfairs": Entry(perm=MANAGE_LISTS, data=_emp_fair_body),
    "GET /api/v1/jobfairs/{fair_id}": Entry(obj="fair", perm=READ_REGISTRY),
    "POST /api/v1/jobfairs/{fair_id}/enterprises": Entry(
        obj="fair",
        perm=MANAGE_LISTS,
        data=lambda w, s: {"name": f"矩阵企业{s}", "credit_code": "91371602MA3C00002P"},
    ),
    "POST /api/v1/jobfairs/{fair_id}/positions": Entry(
        obj="fair",
        perm=MANAGE_LISTS,
        data=lambda w, s: {
            "enterprise": w.extra["fair_enterprise"][s].pk,
            "title": "矩阵岗位",
            "openings": 2,
        },
    ),
    "POST /api/v1/jobfairs/{fair_id}/applications": Entry(
        obj="fair",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"position": w.extra["position"][s].pk, "person": w.extra["member"][s].pk},
    ),
    "POST /api/v1/jobfairs/applications/{application_id}/decide": Entry(
        obj="application", perm=RECORD_OUTREACH, data=lambda w, s: {"hired": True}
    ),
    "POST /api/v1/jobfairs/applications/{application_id}/follow-ups": Entry(
        obj="hired_application", perm=RECORD_OUTREACH, data=lambda w, s: {"still_working": True}
    ),
    "GET /api/v1/welfare-posts": Entry(perm=READ_REGISTRY, list_of="person"),
    "POST /api/v1/welfare-posts": Entry(perm=MANAGE_LISTS, data=_emp_post_body),
    "GET /api/v1/welfare-posts/{post_id}": Entry(obj="welfare_post", perm=READ_REGISTRY),
    "POST /api/v1/welfare-posts/{post_id}/recommendations": Entry(
        obj="welfare_post",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"person": w.extra["member"][s].pk, "reason": "困难", "situation": "低保"},
    ),
    "POST /api/v1/welfare-posts/recommendations/{rec_id}/decide": Entry(
        obj="recommendation", perm=MANAGE_LISTS, data=lambda w, s: {"approve": True}
    ),
    "POST /api/v1/welfare-posts/recommendations/{rec_id}/place": Entry(
        obj="approved_rec", perm=RECORD_OUTREACH, data=lambda w, s: {}
    ),
    "POST /api/v1/welfare-posts/recommendations/{rec_id}/leave": Entry(
        obj="placed_rec", perm=RECORD_OUTREACH, data=lambda w, s: {"reason": "外出务工"}
    ),
    "POST /api/v1/welfare-posts/recommendations/{rec_id}/confirmations": Entry(
        obj="placed_rec", perm=RECORD_OUTREACH, data=lambda w, s: {"month": _today(), "working": True}
    ),
    "GET /api/v1/funds": Entry(list_of="person"),
    "GET /api/v1/funds/{fund_id}": Entry(obj="fund"),
    "GET /api/v1/funds/{fund_id}/donations": Entry(obj="fund"),
    "POST /api/v1/funds/{fund_id}/donations": Entry(
        obj="fund",
        perm=MANAGE_LISTS,
        data=lambda w, s: {"amount": "10.00", "channel": "cash", "donor_kind": "anonymous"},
    ),
    "GET /api/v1/funds/{fund_id}/disbursements": Entry(obj="fund"),
    "POST /api/v1/funds/{fund_id}/disbursements": Entry(
        obj="fund",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"amount": "1.00", "purpose": "矩阵", "household": w.household[s].pk},
    ),
    "GET /api/v1/funds/{fund_id}/statement": Entry(obj="fund"),
    "GET /api/v1/care-plans": Entry(list_of="person"),
    "POST /api/v1/care-plans": Entry(obj="person", perm=RECORD_OUTREACH, data=_care_plan_body),
    "GET /api/v1/care-plans/{plan_id}": Entry(obj="care_plan"),
    "GET /api/v1/care-plans/{plan_id}/month": Entry(obj="care_plan"),
    "GET /api/v1/care-plans/{plan_id}/records": Entry(obj="care_plan"),
    "POST /api/v1/care-plans/{plan_id}/records": Entry(
        obj="care_plan",
        perm=RECORD_SERVICES,
        data=lambda w, s: {**_care_record(w, s), "service_type": "cleaning"},
    ),
    "POST /api/v1/care-plans/{plan_id}/trainings": Entry(
        obj="care_plan", perm=RECORD_SERVICES, data=_care_training
    ),
    "GET /api/v1/consents": Entry(
        obj="person", pk_in_url=False, query=lambda w, s: f"person={w.person[s].pk}", perm=READ_REGISTRY
    ),
    "POST /api/v1/consents": Entry(obj="person", perm=MANAGE_PERSONS, data=_consent_body),
    "POST /api/v1/consents/{consent_id}/withdraw": Entry(
        obj="consent", perm=MANAGE_PERSONS, data=lambda w, s: {"method": "phone", "stops": "矩阵"}
    ),
    "GET /api/v1/rentals": Entry(list_of="person"),
    "POST /api/v1/rentals": Entry(
        obj="person",
        perm=RECORD_SERVICES,
        data=lambda w, s: {
            "person": w.person[s].pk,
            "item": w.extra["rental_item"][s].pk,
            "assessed_by": w.organization[s].pk,
            "assessment": "矩阵评估",
        },
    ),  # fmt: skip
    "GET /api/v1/rentals/{rental_id}": Entry(obj="rental"),
    "POST /api/v1/rentals/{rental_id}/renew": Entry(
        obj="rental", perm=RECORD_SERVICES, data=lambda w, s: {"due_on": _later()}
    ),
    "POST /api/v1/rentals/{rental_id}/return": Entry(
        obj="rental", perm=RECORD_SERVICES, data=lambda w, s: {"condition": "good"}
    ),
    "GET /api/v1/rentals/items": Entry(),
    "POST /api/v1/rentals/items": Entry(
        perm=MANAGE_LISTS,
        data=lambda w, s: {
            "site": w.extra["rental_site"][s].pk,
            "device_type": "12 03",
            "serial_number": "矩阵-新",
        },
    ),
    "GET /api/v1/rentals/items/{item_id}": Entry(obj="rental_item"),
    "POST /api/v1/rentals/items/{item_id}/advance": Entry(
        obj="rental_item", perm=RECORD_SERVICES, data=lambda w, s: {"to_status": "scrapped", "note": "矩阵"}
    ),
    "GET /api/v1/rentals/utilization": Entry(),
    "POST /api/v1/disbursements/{disbursement_id}/approve": Entry(
        obj="disbursement", perm=APPROVE_DISBURSEMENT
    ),
    "POST /api/v1/disbursements/{disbursement_id}/reject": Entry(
        obj="disbursement", perm=APPROVE_DISBURSEMENT, data=lambda w, s: {"reason": "矩阵"}
    ),
    "POST /api/v1/disbursements/{disbursement_id}/pay": Entry(
        obj="disbursement", perm=PAY_DISBURSEMENT, data=lambda w, s: {"voucher_number": "矩阵"}
    ),
    "GET /api/v1/policies": Entry(),
    "POST /api/v1/policies": Entry(perm=CONFIGURE, data=lambda w, s: {"name": "矩阵新政策", "rule": "true"}),
    "GET /api/v1/policies/{policy_id}": Entry(),
    "PATCH /api/v1/policies/{policy_id}": Entry(perm=CONFIGURE, data=lambda w, s: {"benefit": "矩阵"}),
    "GET /api/v1/policies/{policy_id}/unreached": Entry(perm=READ_REGISTRY, list_of="person"),
    "GET /api/v1/policies/{policy_id}/receiving": Entry(perm=READ_REGISTRY, list_of="person"),
    "GET /api/v1/policies/{policy_id}/applications": Entry(perm=READ_REGISTRY, list_of="person"),
    "POST /api/v1/policies/{policy_id}/applications": Entry(
        obj="person", perm=RECORD_OUTREACH, data=lambda w, s: {"person": w.person[s].pk}
    ),
    "POST /api/v1/policies/runs": Entry(perm=RECORD_OUTREACH, data=lambda w, s: {}),
    "GET /api/v1/policies/runs/{run_id}": Entry(),
    "GET /api/v1/policy-applications": Entry(perm=READ_REGISTRY, list_of="person"),
    "POST /api/v1/policy-applications": Entry(
        obj="person",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"policy": w.extra["policy_other"]["own"].pk, "person": w.person[s].pk},
    ),
    "POST /api/v1/policy-applications/{application_id}/revoke": Entry(
        obj="policy_application", perm=RECORD_OUTREACH, data=lambda w, s: {"reason": "矩阵"}
    ),
    "GET /api/v1/household-checks": Entry(list_of="person", perm=READ_REGISTRY),
    "GET /api/v1/household-checks/{check_id}": Entry(obj="poverty_check", perm=READ_REGISTRY),
    "POST /api/v1/household-checks": Entry(
        obj="household",
        pk_in_url=False,
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"household": w.household[s].pk, "income": "1000.00", "members": 2},
    ),
    "GET /api/v1/monitoring/leads": Entry(list_of="person", perm=READ_REGISTRY),
    "POST /api/v1/monitoring/leads": Entry(
        obj="household",
        pk_in_url=False,
        perm=RECORD_OUTREACH,
        data=lambda w, s: {
            "household": _another_household(w, s).pk,
            "source": "declared",
            "kind": "edge",
            "risk_type": "illness",
            "reason": "矩阵线索",
        },
    ),
    "GET /api/v1/monitoring/leads/{lead_id}": Entry(obj="poverty_lead", perm=READ_REGISTRY),
    "POST /api/v1/monitoring/leads/{lead_id}/steps": Entry(
        obj="poverty_lead", perm=RECORD_OUTREACH, data=lambda w, s: {"step": "verify"}
    ),
    "GET /api/v1/monitoring/objects": Entry(list_of="person", perm=READ_REGISTRY),
    "GET /api/v1/monitoring/objects/{object_id}": Entry(obj="poverty_object", perm=READ_REGISTRY),
    "POST /api/v1/monitoring/objects/{object_id}/measures": Entry(
        obj="poverty_object",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"kind": "health", "description": "矩阵措施", "cadre": "矩阵干部"},
    ),
    "POST /api/v1/monitoring/objects/{object_id}/incomes": Entry(
        obj="poverty_object",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"month": _today(), "income_per_person": "500.00"},
    ),
    "POST /api/v1/monitoring/objects/{object_id}/eliminate": Entry(
        obj="poverty_object", perm=RECORD_OUTREACH
    ),
    "GET /api/v1/monitoring/warnings": Entry(list_of="person", perm=READ_REGISTRY),
    "POST /api/v1/monitoring/warnings/run": Entry(perm=RECORD_OUTREACH),
    "POST /api/v1/monitoring/warnings/{warning_id}/confirm": Entry(
        obj="poverty_warning",
        perm=RECORD_OUTREACH,
        data=lambda w, s: {"kind": "edge", "risk_type": "illness"},
    ),
    "POST /api/v1/monitoring/warnings/{warning_id}/dismiss": Entry(
        obj="poverty_warning", perm=RECORD_OUTREACH, data=lambda w, s: {"note": "矩阵排除"}
    ),
    "GET /api/v1/households/{household_id}/booklet.pdf": Entry(obj="household", perm=READ_REGISTRY),
    "GET /api/v1/households/{household_id}/card.pdf": Entry(obj="household", perm=READ_REGISTRY),
}

# the path parameter of each API operation and the world object it names
PATH_OBJECTS = {
    "{person_id}": "person",
    "{household_id}": "household",
    "{member_id}": "member",
    "{visit_id}": "visit",
    "{need_id}": "need",
    "{problem_id}": "problem",
    "{resource_id}": "resource",
    "{unit_id}": "unit",
    "{project_id}": "project",
    "{job_id}": "import",
    "{policy_id}": "policy",
    "{run_id}": "policy_run",
}


def _api_url(path: str, entry: Entry, world: World, side: str) -> str:
    """The operation's path with its ``{…_id}`` parameters filled: the kinds named in
    ``PATH_OBJECTS``, else the entry's object."""
    import re

    for placeholder, kind in PATH_OBJECTS.items():
        if placeholder in path:
            path = path.replace(placeholder, str(world.object_id(kind, side)))
    return re.sub(r"\{\w+_id\}", lambda m: str(world.object_id(entry.obj or "", side)), path)


# URL-conf namespaces that are not wushe's own pages: the admin (superusers only) is walked by
# tests/test_access_matrix_admin.py; the API is walked through its OpenAPI document.
SKIP_NAMESPACES = ("admin", "api")


@dataclass
class World:
    """Objects on both sides of a scope boundary, for one role's grant."""

    person: dict[str, Any] = field(default_factory=dict)
    household: dict[str, Any] = field(default_factory=dict)
    region: dict[str, Any] = field(default_factory=dict)
    grid: dict[str, Any] = field(default_factory=dict)
    imports: dict[str, Any] = field(default_factory=dict)
    visit: dict[str, Any] = field(default_factory=dict)
    need: dict[str, Any] = field(default_factory=dict)
    problem: dict[str, Any] = field(default_factory=dict)
    organization: dict[str, Any] = field(default_factory=dict)
    resource: dict[str, Any] = field(default_factory=dict)
    unit: dict[str, Any] = field(default_factory=dict)
    project: dict[str, Any] = field(default_factory=dict)

    extra: dict[str, dict[str, Any]] = field(default_factory=dict)  # service work: kind -> side -> object

    def object_id(self, kind: str, side: str) -> Any:
        if kind in self.extra:
            return self.extra[kind][side].pk
        if kind == "import":
            return self.imports[side].pk
        return getattr(self, kind)[side].pk


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns in SKIP_NAMESPACES:
                continue
            found += _walk(p.url_patterns, prefix + str(p.pattern), f"{ns}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern) and p.name:
            found.append((f"{namespace}{p.name}", p))
        elif isinstance(p, URLPattern):
            found.append((prefix + str(p.pattern), p))
    return found


def _page_names() -> set[str]:
    return {name for name, _p in _walk(get_resolver().url_patterns) if not name.startswith("static")}


def _api_operations(client: Client) -> set[str]:
    spec = client.get("/api/v1/openapi.json").json()
    return {f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method in ops}


def test_every_page_has_an_entry() -> None:
    missing = _page_names() - set(PAGES)
    assert not missing, f"pages without an access-matrix entry: {sorted(missing)}"


def test_every_api_operation_has_an_entry(client: Client) -> None:
    missing = _api_operations(client) - set(API)
    assert not missing, f"API operations without an access-matrix entry: {sorted(missing)}"


# ---- the world: a role granted on a region, with objects inside and in a sibling ----------

ROLES_ON_STREET = (Role.STREET_ADMIN, Role.LEADER)
ROLES = tuple(Role)


def _csv_job(region: Any) -> Any:
    from .factories import next_id_number

    body = f"姓名,身份证号,联系电话\n矩阵导入,{next_id_number()},13800000000\n".encode()
    return job_create(acting_user=None, region=region, fileobj=io.BytesIO(body), name="台账.csv")


def _world(tree: Any, role: str) -> tuple[World, Any]:
    """The role's user, granted on the street (street roles) or on 甲社区 (the others); the
    sibling is the other street or 乙社区."""
    on_street = role in ROLES_ON_STREET
    own_region = tree.street if on_street else tree.community_a
    sibling_region = tree.other_street if on_street else tree.community_b
    own_grid = tree.grid_a
    sibling_grid = tree.community_c if on_street else tree.grid_b
    world = World(
        region={"own": own_region, "sibling": sibling_region}, grid={"own": own_grid, "sibling": sibling_grid}
    )
    for side, grid in (("own", own_grid), ("sibling", sibling_grid)):
        person = PersonFactory(  # fixed, distinct names: a sibling's trace must not be the own's
            name="矩阵本方" if side == "own" else "矩阵邻方",
            region=grid,
            phone=f"1390000{1 if side == 'own' else 2:04d}",
            category=6,
            level=2,
        )
        world.person[side] = person
        world.household[side] = household_create(acting_user=None, head=person)
        member = PersonFactory(name=f"矩阵成员{side}", region=grid)
        household_add_member(
            acting_user=None, household=world.household[side], person=member, relation="spouse"
        )
        world.extra.setdefault("member", {})[side] = member
        world.imports[side] = _csv_job(grid)
        _outreach(world, side, world.region[side], grid)
    for side, region in (("own", own_region), ("sibling", sibling_region)):
        for kind, obj in service_objects(
            region=region, grid=world.grid[side], person=world.person[side], tag=f"{role}{side}"
        ).items():
            world.extra.setdefault(kind, {})[side] = obj
        late, closed = _loop_appeals(world, side)
        world.extra.setdefault("late_appeal", {})[side] = late
        world.extra.setdefault("closed_appeal", {})[side] = closed
    for side, region in (("own", own_region), ("sibling", sibling_region)):
        for kind, obj in _fund_objects(world, side, region).items():
            world.extra.setdefault(kind, {})[side] = obj
    for kind, obj in _policy_objects(world).items():
        world.extra.setdefault(kind, {}).update(obj)
    for side, region in (("own", own_region), ("sibling", sibling_region)):
        for kind, obj in _care_rental_objects(world, side, region).items():
            world.extra.setdefault(kind, {})[side] = obj
    for side, grid in (("own", own_grid), ("sibling", sibling_grid)):
        world.extra.setdefault("subsidy_application", {})[side] = _subsidy_application(grid, side)
    for side in ("own", "sibling"):
        for kind, obj in _poverty_objects(world, side).items():
            world.extra.setdefault(kind, {})[side] = obj
    for side, region in (("own", own_region), ("sibling", sibling_region)):
        for kind, obj in _employment_objects(world, side, region).items():
            world.extra.setdefault(kind, {})[side] = obj
    for side in ("own", "sibling"):
        world.extra.setdefault("consent", {})[side] = _consent(world, side)
        for kind, obj in _portal_objects(world, side).items():
            world.extra.setdefault(kind, {})[side] = obj
    user = UserFactory(username=f"matrix_{role}", role=role, region=own_region)
    # accounts on both sides (the users-and-grants page) and a tag (the settings pages)
    for side in ("own", "sibling"):
        colleague = UserFactory(username=f"matrix_{role}_colleague_{side}")
        grant = role_grant(user=colleague, role=Role.SOCIAL_WORKER, region=world.grid[side])
        world.extra.setdefault("user", {})[side] = colleague
        world.extra.setdefault("grant", {})[side] = grant
    tag = Tag.objects.create(code=f"matrix-{role}".replace("_", "-"), name=f"矩阵类别{role}")
    world.extra["tag"] = {"own": tag, "sibling": tag}
    world.extra["export_job"] = {
        "own": _export_job(world, "own", user),
        "sibling": _export_job(world, "sibling", world.extra["user"]["sibling"]),
    }
    return world, user


def _export_job(world: World, side: str, requester: Any) -> Any:
    """A finished export made in the background for ``requester`` in the side's region, its title
    and its one row naming the side's person (the sibling's must show nowhere)."""
    from django.conf import settings

    from wushe.core.exports import Column, write_xlsx
    from wushe.core.models import ExportJob, ExportStatus
    from wushe.core.sealed import write_sealed
    from wushe.core.services import EXPORT_FILE_PURPOSE

    person = world.person[side]
    written = write_xlsx([person], columns=[Column("姓名", lambda p: p.name)], title="矩阵导出", sheet="x")
    name = f"matrix-{side}-{uuid.uuid4().hex}.xlsx.sealed"
    root = Path(settings.WUSHE_EXPORT_ROOT)
    with written.file:
        write_sealed(root / name, written.file, purpose=EXPORT_FILE_PURPOSE, root=root)
    return ExportJob.objects.create(
        requested_by=requester,
        region=world.region[side],
        title=f"矩阵导出 {person.name}",
        export="persons",
        path="/registry/persons/export.xlsx",
        status=ExportStatus.DONE,
        total=1,
        done=1,
        file=name,
        filename="matrix.xlsx",
        finished_at=datetime.datetime.now(tz=datetime.UTC),
    )


def _today_date() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def _portal_objects(world: World, side: str) -> dict[str, Any]:
    """A submission waiting in the side's community (the sibling person's name and phone as its
    contact: its page must not leak across), a case service record and a rating link of the
    side's visit (its token, for the public rating page)."""
    from wushe.casework.services import case_service_record
    from wushe.portal.services import rating_link_create, submission_create

    person = world.person[side]
    community = world.grid[side].parent if world.grid[side].level == "grid" else world.grid[side]
    issued = submission_create(
        content="矩阵网上诉求", category="help", address="矩阵地址", community=community,
        requester_name=person.name, requester_phone=person.phone, wants_visit=False, consent=True,
    )  # fmt: skip
    service = case_service_record(
        acting_user=None, case=world.extra["case"][side], on=_today_date(), minutes=30, content="矩阵服务"
    )
    worker = UserFactory(
        username=f"matrix_rater_{side}_{world.grid[side].pk}", role="social_worker", region=community
    )
    _link, token = rating_link_create(acting_user=worker, visit=world.visit[side])
    return {"submission": issued.submission, "case_service": service, "rating_token": token}


def _loop_appeals(world: World, side: str) -> tuple[Any, Any]:
    """A request overdue at its step (to 督办) and one archived (to 回访) on the side."""
    import datetime

    from django.utils import timezone

    from wushe.appeals import services as appeals

    studio, person = world.extra["studio"][side], world.person[side]
    then = timezone.now() - datetime.timedelta(days=40)

    def register() -> Any:
        return appeals.appeal_register(
            acting_user=None, studio=studio, channel="walk_in", category="help", content="矩阵诉求",
            person=person, at=then,
        )  # fmt: skip

    late = register()
    closed = appeals.appeal_receive(acting_user=None, appeal=register(), note="接待", at=then)
    closed = appeals.appeal_refer(acting_user=None, appeal=closed, unit=world.unit[side], at=then)
    closed = appeals.appeal_handle(acting_user=None, appeal=closed, resolution="已办", resolved=True, at=then)
    closed = appeals.appeal_feedback(
        acting_user=None, appeal=closed, feedback="告知", satisfaction="satisfied", at=then
    )
    return late, appeals.appeal_archive(acting_user=None, appeal=closed, at=then)


def _quarter() -> str:
    from wushe.core.checks import today
    from wushe.funds.periods import current_quarter

    return current_quarter(today())


def _fund_objects(world: World, side: str, region: Any) -> dict[str, Any]:
    """A fund of the side's region with its committee, a donation (its entry) and a request the
    committee has approved, waiting for payment."""
    from wushe.core.checks import today
    from wushe.funds.services import (
        committee_set,
        disbursement_approve,
        disbursement_request,
        donation_record,
        fund_create,
    )

    from .factories import OrganizationFactory

    charity = OrganizationFactory(region=region, name=f"矩阵慈善会{side}", credit_code="53371602MJ0000010F")
    fund = fund_create(
        acting_user=None,
        region=region,
        name=f"矩阵基金{side}",
        organization=charity,
        purpose="矩阵",
        opened_on=today(),
    )
    people = [UserFactory(username=f"matrix_fund_{side}_{i}") for i in range(5)]
    committee_set(acting_user=None, fund=fund, chair=people[0], supervisor=people[1], members=people[2:])
    donation = donation_record(
        acting_user=None,
        fund=fund,
        amount="100.00",
        donated_on=today(),
        channel="cash",
        donor_kind="anonymous",
    )
    d = disbursement_request(
        acting_user=None, fund=fund, amount="1.00", purpose="矩阵", household=world.household[side]
    )
    for member in people[2:5]:
        d = disbursement_approve(acting_user=member, disbursement=d)
    return {"fund": fund, "donation": donation, "disbursement": d, "fund_entry": donation.entry}


def _policy_objects(world: World) -> dict[str, dict[str, Any]]:
    """Two policies (one each side's certificate holders qualify for), a run of 政策找人, and the
    first policy put into effect yesterday for each side's person."""
    import datetime

    from wushe.core.checks import today
    from wushe.policies.models import PolicyRun
    from wushe.policies.services import application_record, policy_save, run_execute

    policy = policy_save(
        acting_user=None, data={"name": "矩阵护理补贴", "rule": "person.disability_level in [1, 2]"}
    )
    other = policy_save(acting_user=None, data={"name": "矩阵临时救助", "rule": "person.has_certificate"})
    run = run_execute(run_id=PolicyRun.objects.create(as_of=today()).pk)
    applications = {
        side: application_record(
            acting_user=None,
            policy=policy,
            person=world.person[side],
            applied_on=today() - datetime.timedelta(days=1),
        )
        for side in ("own", "sibling")
    }
    return {
        "policy": {"own": policy, "sibling": policy},
        "policy_other": {"own": other, "sibling": other},
        "policy_run": {"own": run, "sibling": run},
        "policy_application": applications,
    }


def _care_rental_objects(world: World, side: str, region: Any) -> dict[str, Any]:
    """A care plan of the side's person (its provider the side's organization), and a 租赁区 of
    the side's region with a wheelchair lent to the person and one in stock."""
    from wushe.care.models import ServiceType
    from wushe.care.services import ServiceLine, care_plan_create
    from wushe.core.checks import today
    from wushe.rentals.models import DeviceType
    from wushe.rentals.services import item_add, rental_create, site_create

    org = world.organization[side]
    plan = care_plan_create(
        acting_user=None, person=world.person[side], self_care="partial", needs="矩阵", assessed_on=today(),
        provider=org, workers="矩阵", started_on=today(), review_on=today(),
        services=[ServiceLine(ServiceType.objects.get(code="cleaning"), 4)],
    )  # fmt: skip
    site = site_create(acting_user=None, region=region, name=f"矩阵租赁区{side}", organization=org)
    chair = DeviceType.objects.get(code="12 22")
    lent = item_add(
        acting_user=None, site=site, device_type=chair, serial_number=f"矩阵-{side}-1", acquired_on=today()
    )
    stock = item_add(
        acting_user=None, site=site, device_type=chair, serial_number=f"矩阵-{side}-2", acquired_on=today()
    )
    rental = rental_create(
        acting_user=None, person=world.person[side], item=lent, assessed_by=org, assessed_on=today(),
        assessment="矩阵", started_on=today(),
    )  # fmt: skip
    return {"care_plan": plan, "rental_site": site, "rental_item": stock, "rental": rental}


def _consent(world: World, side: str) -> Any:
    """A consent of the side's person on signed paper, its scan stored."""
    from wushe.consent.services import consent_record

    return consent_record(
        acting_user=None, person=world.person[side], kinds=["disability"], purpose_kind="disability",
        purpose="矩阵", method="paper", scan=io.BytesIO(b"%PDF-1.4 matrix"),
    )  # fmt: skip


def _subsidy_application(grid: Any, side: str) -> Any:
    """A nursing application of a level-1 certificate holder of the side, past the street's 初审."""
    from wushe.subsidies.services import application_decide, application_submit

    holder = PersonFactory(
        name=f"矩阵补贴{side}", region=grid, category=4, level=1, valid_from=datetime.date(2024, 1, 1)
    )
    a = application_submit(
        acting_user=None,
        person=holder,
        kind="nursing",
        bank_name="矩阵银行",
        bank_account="6228480000000000002",
    )
    return application_decide(acting_user=None, application=a, step="town", passed=True)


def _poverty_objects(world: World, side: str) -> dict[str, Any]:
    """A check of the side's household (a failed item: a need), a lead past its deadline, a
    monitoring object, a warning to confirm and a finished booklet batch of the side's grid."""
    import datetime

    from wushe.core.checks import today
    from wushe.poverty import services as poverty
    from wushe.poverty.models import BatchStatus, BookletBatch, MonitoringObject, RiskWarning

    household = world.household[side]
    check = poverty.household_check_record(
        acting_user=None, household=household, items={"housing": False}, income="1000", members=2
    )
    lead = poverty.lead_create(
        acting_user=None,
        household=household,
        source="declared",
        kind="edge",
        risk_type="illness",
        reason="矩阵线索",
        raised_on=today() - datetime.timedelta(days=20),
    )
    started = (today() - datetime.timedelta(days=250)).replace(day=1)
    obj = MonitoringObject.objects.create(
        household=household, region=household.region, kind="edge", risk_type="illness", started_on=started
    )
    month = started
    while month < today().replace(day=1):  # every whole month above the stable line: eliminable
        poverty.income_record(acting_user=None, monitored=obj, month=month, income_per_person="1000")
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    poverty.household_check_record(acting_user=None, household=household, items={}, income="30000", members=2)
    warned = _another_household(world, side)  # no open lead: confirming makes one
    warning = RiskWarning.objects.create(
        household=warned,
        region=warned.region,
        rule="certificate",
        key=f"matrix-{side}-{warned.pk}",
        reason="矩阵预警",
        raised_on=today(),
    )
    batch = BookletBatch.objects.create(
        region=world.grid[side], status=BatchStatus.DONE, total=1, done=1, pdf=b"%PDF-1.4 matrix"
    )
    return {
        "poverty_check": check,
        "poverty_lead": lead,
        "poverty_object": obj,
        "poverty_warning": warning,
        "poverty_batch": batch,
    }


def _employment_objects(world: World, side: str, region: Any) -> dict[str, Any]:
    """A course with the side's person enrolled, a micro-factory with the person at work, a job
    fair with an enterprise, a position and two applications (one hired), and a post with three
    recommendations (waiting, approved, placed)."""
    import datetime

    from wushe.core.checks import today
    from wushe.employment import services as emp

    day, person = today(), world.person[side]
    other = PersonFactory(name=f"矩阵求职{side}", region=world.grid[side])
    third = PersonFactory(name=f"矩阵岗位{side}", region=world.grid[side])
    course = emp.course_create(
        acting_user=None, region=region, title=f"矩阵培训{side}", kind="livestream", start_on=day, end_on=day,
        sessions=2,
    )  # fmt: skip
    enrolment = emp.enrolment_create(acting_user=None, course=course, person=person)
    factory = emp.factory_create(
        acting_user=None, region=world.grid[side], name=f"矩阵微工厂{side}", operator=world.organization[side],
        opened_on=day, products="手工",
    )  # fmt: skip
    worker = emp.worker_add(acting_user=None, factory=factory, person=person)
    fair = emp.job_fair_create(
        acting_user=None,
        region=region,
        title=f"矩阵招聘会{side}",
        held_on=day,
        place="广场",
        organizer="社区",
    )
    enterprise = emp.fair_enterprise_add(
        acting_user=None, fair=fair, name=f"矩阵公司{side}", credit_code="91371602MA3C00001L"
    )
    position = emp.position_add(acting_user=None, enterprise=enterprise, title="客服", openings=5)
    application = emp.application_create(acting_user=None, position=position, person=person)
    hired = emp.application_decide(
        acting_user=None,
        application=emp.application_create(acting_user=None, position=position, person=other),
        hired=True,
    )
    post = emp.welfare_post_create(
        acting_user=None, region=region, provider="mca", title=f"矩阵公益岗{side}", places=5, monthly_pay="1000",
        start_on=day - datetime.timedelta(days=30), end_on=day + datetime.timedelta(days=300),
    )  # fmt: skip

    def recommend(p: Any) -> Any:
        return emp.recommendation_create(
            acting_user=None, post=post, person=p, reason="困难", situation="低保"
        )

    waiting = recommend(person)
    approved = emp.recommendation_decide(acting_user=None, recommendation=recommend(other), approve=True)
    placed = emp.placement_start(
        acting_user=None,
        recommendation=emp.recommendation_decide(
            acting_user=None, recommendation=recommend(third), approve=True
        ),
    )
    return {
        "course": course,
        "enrolment": enrolment,
        "factory": factory,
        "worker": worker,
        "fair": fair,
        "fair_enterprise": enterprise,
        "position": position,
        "application": application,
        "hired_application": hired,
        "welfare_post": post,
        "recommendation": waiting,
        "approved_rec": approved,
        "placed_rec": placed,
    }


def _outreach(world: World, side: str, region: Any, grid: Any) -> None:
    """A visit, a need, a problem, an organization with a resource and a project, and the unit
    answering for the need, on one side of the boundary."""
    from .outreach_factories import make_need, make_org, make_project, make_resource, make_visit

    unit_kind = UnitKind.STATION if region.level == "street" else UnitKind.SUBSTATION
    world.unit[side] = responsibility_unit_create(
        acting_user=None, region=region, kind=unit_kind, name=f"矩阵责任单位{side}"
    )
    person = world.person[side]
    world.visit[side] = make_visit(world.household[side], person=person)
    world.need[side] = make_need(world.household[side], person=person)
    world.problem[side] = problem_create(acting_user=None, person=person, description="矩阵问题")
    world.organization[side] = make_org(region, name=f"矩阵机构{side}")
    world.resource[side] = make_resource(world.organization[side], region)
    world.project[side] = make_project(world.organization[side], region)
    # a need referred to another organization of the side: the referral the organization answers
    from wushe.needs.services import need_accept

    referral_org = make_org(region, name=f"矩阵转介机构{side}")
    referred = make_need(world.household[side], person=person, description="矩阵转介需求")
    need_accept(acting_user=None, need=referred, resource=make_resource(referral_org, region))
    world.extra.setdefault("referral", {})[side] = referred.referrals.get()


def _secrets(world: World, typed: str = "") -> list[str]:
    """Full numbers; ``typed`` is what the user typed into a search box (echoing it back is no leak)."""
    found = [p.id_number for p in world.person.values()] + [p.phone for p in world.person.values()]
    return [s for s in found if s != typed]


def _traces(world: World, side: str, typed: str = "") -> list[str]:
    """What of an object must not leak across the boundary."""
    p = world.person[side]
    return [t for t in (p.name, p.id_masked, p.phone_masked, p.id_number, p.phone) if t != typed]


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _typed(data: dict[str, Any] | None) -> str:
    return str((data or {}).get("q", ""))


def _page_url(name: str, entry: Entry, world: World, side: str) -> str:
    from django.urls import reverse

    with_pk = entry.obj and entry.obj != "region" and entry.pk_in_url
    kwargs = {"pk": world.object_id(entry.obj, side)} if with_pk and entry.obj else {}
    kwargs.update((entry.kwargs(world) if callable(entry.kwargs) else entry.kwargs) or {})
    url = reverse(name, kwargs=kwargs)
    if entry.query:
        url += "?" + entry.query(world, side)
    return url


def _call(client: Client, method: str, url: str, data: dict[str, Any] | None, *, json: bool = False) -> Any:
    if method == "GET":
        return client.get(url)
    if json:
        return client.generic(
            method, url, __import__("json").dumps(data or {}), content_type="application/json"
        )
    return client.post(url, data or {})


def _shown(response: Any) -> str:
    """What a page shows: its text, or, for a streamed .xlsx export, the text of every cell (so the
    checks below read what an export carries); other streamed files are not text."""
    if not response.streaming:
        return response.content.decode(errors="replace")
    if response.get("Content-Type") != XLSX:
        return ""
    data = b"".join(response.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    return "\n".join(str(cell) for row in sheet for cell in row)


def _allowed(user: Any, entry: Entry) -> bool:
    return entry.perm is None or user.has_perm(entry.perm)


# ---- each role, own and sibling --------------------------------------------------------------


# ---- the organization axis: an organization's user sees exactly what is referred to it -------


def test_org_staff_sees_the_need_referred_to_its_organization_and_no_other(tree: Any) -> None:
    from wushe.needs.services import need_accept

    world, _user = _world(tree, Role.SOCIAL_WORKER)
    need_accept(acting_user=None, need=world.need["own"], resource=world.resource["own"])
    need_accept(acting_user=None, need=world.need["sibling"], resource=world.resource["sibling"])
    staff = UserFactory(
        username="matrix_org_staff", role=Role.ORG_STAFF, organization=world.organization["own"]
    )
    client = Client()
    client.force_login(staff)
    own, sibling = world.need["own"], world.need["sibling"]
    assert client.get(f"/needs/{own.pk}/").status_code == 200
    assert client.get(f"/needs/{sibling.pk}/").status_code == 404
    listing = client.get("/needs/").content.decode()
    assert f"/needs/{own.pk}/" in listing and f"/needs/{sibling.pk}/" not in listing
    for trace in _traces(world, "sibling") + _secrets(world):
        assert trace not in listing
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=staff)}")
    assert [n["id"] for n in api.get("/api/v1/needs").json()["items"]] == [own.pk]
    assert api.get(f"/api/v1/needs/{sibling.pk}").status_code == 404
    assert api.get(f"/api/v1/needs/{own.pk}").json()["referred_to"] == world.organization["own"].pk
    # the organization's other records stay closed: visits, problems and the registry
    assert api.get("/api/v1/visits").json()["count"] == 0
    assert api.get("/api/v1/problems").json()["count"] == 0
    assert api.get("/api/v1/persons").json()["count"] == 0
    assert client.get(f"/visits/{world.visit['own'].pk}/").status_code == 404
    # it works the need referred to it, and only that one
    moved = api.post(
        f"/api/v1/needs/{own.pk}/steps", {"to_status": "in_service"}, content_type="application/json"
    )
    assert moved.status_code == 200
    assert (
        api.post(
            f"/api/v1/needs/{sibling.pk}/steps", {"to_status": "in_service"}, content_type="application/json"
        ).status_code
        == 404
    )


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.WUSHE_UPLOAD_ROOT = tmp_path / "uploads"


# ---- the organization roles, granted on their organization ----------------------------------


def _two_sides(tree: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    own = service_objects(
        region=tree.community_a, grid=tree.grid_a, person=PersonFactory(region=tree.grid_a), tag="甲"
    )
    other = service_objects(
        region=tree.community_b, grid=tree.grid_b, person=PersonFactory(region=tree.grid_b), tag="乙"
    )
    return own, other


def test_a_studio_user_sees_its_studios_requests_and_not_anothers(tree: Any) -> None:
    own, other = _two_sides(tree)
    user = UserFactory(
        username="matrix_studio_org", role=Role.STUDIO, organization=own["studio"].organization
    )
    client = Client()
    client.force_login(user)
    assert client.get(f"/appeals/{own['appeal'].pk}/").status_code == 200
    assert client.get(f"/appeals/{other['appeal'].pk}/").status_code == 404
    listed = client.get("/appeals/").content.decode()
    assert own["appeal"].number in listed and other["appeal"].number not in listed
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=user)}")
    numbers = [a["number"] for a in api.get("/api/v1/appeals").json()["items"]]
    assert numbers == [own["appeal"].number]
    assert api.get(f"/api/v1/appeals/{other['appeal'].pk}").status_code == 404
    # the studio registers the next step of its own request, not of another's
    step = {"step": "receive", "note": "接待"}
    assert (
        api.post(
            f"/api/v1/appeals/{own['appeal'].pk}/steps", step, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        api.post(
            f"/api/v1/appeals/{other['appeal'].pk}/steps", step, content_type="application/json"
        ).status_code
        == 404
    )
    # nothing else of the region opens to it
    assert client.get(f"/services/cases/{own['case'].pk}/").status_code == 404
    assert client.get(f"/volunteers/{own['volunteer'].pk}/").status_code == 404


def test_a_team_leader_sees_its_team_only(tree: Any) -> None:
    own, other = _two_sides(tree)
    leader = UserFactory(
        username="matrix_leader_org", role=Role.TEAM_LEADER, organization=own["team"].organization
    )
    client = Client()
    client.force_login(leader)
    assert client.get(f"/volunteers/teams/{own['team'].pk}/").status_code == 200
    assert client.get(f"/volunteers/teams/{other['team'].pk}/").status_code == 404
    assert client.get(f"/volunteers/{other['volunteer'].pk}/").status_code == 404
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=leader)}")
    assert [v["id"] for v in api.get("/api/v1/volunteers").json()["items"]] == [own["volunteer"].pk]
    ok = api.post(
        f"/api/v1/volunteers/records/{own['record'].pk}/verify",
        {"approve": True},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "verified"
    no = api.post(
        f"/api/v1/volunteers/records/{other['record'].pk}/verify",
        {"approve": True},
        content_type="application/json",
    )
    assert no.status_code == 404
    assert client.get(f"/appeals/{own['appeal'].pk}/").status_code == 404


def test_organization_staff_see_their_organizations_cases_only(tree: Any) -> None:
    own, other = _two_sides(tree)
    staff = UserFactory(
        username="matrix_org_staff", role=Role.ORG_STAFF, organization=own["case"].organization
    )
    client = Client()
    client.force_login(staff)
    assert client.get(f"/services/cases/{own['case'].pk}/").status_code == 200
    assert client.get(f"/services/cases/{other['case'].pk}/").status_code == 404
    assert client.get(f"/services/groups/{own['group'].pk}/").status_code == 200
    listed = client.get("/services/cases/").content.decode()
    assert own["case"].number in listed and other["case"].number not in listed
