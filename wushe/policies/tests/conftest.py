"""Fixtures of 政策找人: a nursing-subsidy policy and people in 甲社区 and 乙社区 who do and do not
qualify for it; runs execute at once (the immediate task backend, on commit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import PersonFactory, UserFactory
from wushe.accounts.roles import Role
from wushe.policies.models import Department, Policy
from wushe.policies.services import policy_save

NURSING_RULE = 'person.disability_level in [1, 2] && !("tekun" in person.tags)'


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class PolicyWorld:
    nursing: Policy
    severe_a: Any  # level 1 in 甲社区: qualifies
    moderate_a: Any  # level 3: does not
    tekun_a: Any  # level 2 but 特困: does not
    plain_a: Any  # no certificate
    severe_b: Any  # level 2 in 乙社区: qualifies
    worker_a: Any
    worker_b: Any
    street_admin: Any


@pytest.fixture
def pw(tree: Any) -> PolicyWorld:
    nursing = policy_save(
        acting_user=None,
        data={
            "name": "重度残疾人护理补贴",
            "department": Department.DISABILITY,
            "benefit": "每月护理补贴",
            "rule": NURSING_RULE,
        },
    )
    return PolicyWorld(
        nursing=nursing,
        severe_a=PersonFactory(region=tree.grid_a, name="甲重度", category=4, level=1),
        moderate_a=PersonFactory(region=tree.grid_a, name="甲中度", category=4, level=3),
        tekun_a=PersonFactory(region=tree.grid_a, name="甲特困", category=5, level=2, tags=["tekun"]),
        plain_a=PersonFactory(region=tree.grid_a, name="甲无证"),
        severe_b=PersonFactory(region=tree.grid_b, name="乙重度", category=6, level=2),
        worker_a=UserFactory(username="pol_worker_a", role=Role.SOCIAL_WORKER, region=tree.community_a),
        worker_b=UserFactory(username="pol_worker_b", role=Role.SOCIAL_WORKER, region=tree.community_b),
        street_admin=UserFactory(username="pol_street", role=Role.STREET_ADMIN, region=tree.street),
    )


@pytest.fixture
def run_now(django_capture_on_commit_callbacks: Any) -> Any:
    """Request a run and execute it (the task runs on commit)."""
    from wushe.policies.services import run_request

    def run(user: Any = None, policy: Any = None) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            made = run_request(acting_user=user, policy=policy)
        made.refresh_from_db()
        return made

    return run
