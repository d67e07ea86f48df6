"""The community ledger's changes on the home page of those who keep it (社区工作人员, 街道管理员):
residents registered or who left in the last 30 days, never another street's; the person list
behind the link shows the same people."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import PersonFactory, UserFactory
from tests.home_support import applies, listed, todo
from wushe.accounts.roles import Role
from wushe.registry.models import Person
from wushe.registry.services import person_deregister

pytestmark = pytest.mark.django_db


def test_the_ledgers_changes_in_the_last_30_days(tree: Any, users: Any) -> None:
    staff = UserFactory(username="community_staff", role=Role.COMMUNITY_STAFF, region=tree.community_a)
    PersonFactory(name="新登记", region=tree.grid_a)
    left = PersonFactory(name="已迁出", region=tree.grid_a)
    old = PersonFactory(name="早登记", region=tree.grid_a)
    PersonFactory(name="乙社区新登记", region=tree.grid_b)
    PersonFactory(name="丙社区新登记", region=tree.community_c)  # another street
    long_ago = timezone.now() - datetime.timedelta(days=400)
    # registered long before this test ran (the registry's own date: created_at)
    Person.objects.filter(pk__in=[old.pk, left.pk]).update(created_at=long_ago)
    person_deregister(acting_user=None, person=left, status="moved", note="迁往外地")
    item = todo(staff, "registry.changes")
    assert item.count == 2
    assert {e.label.split("（")[0] for e in item.first} == {"新登记", "已迁出"}
    assert any("迁出" in e.label for e in item.first)
    assert item.url == "/registry/persons/?status=all&changed=30" and listed(staff, item) == 2
    assert todo(users.street_admin, "registry.changes").count == 3  # 甲 and 乙, never 丙
    # a social worker keeps visits, not the ledger: not on its home
    assert not applies(users.worker_a, "registry.changes") and not applies(users.leader, "registry.changes")
