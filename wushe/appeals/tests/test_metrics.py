"""Request figures and difficulties solved, with and without a period; the service figures."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.factories import PersonFactory
from wushe.appeals import services
from wushe.casework import services as case_services
from wushe.core.metrics import Scope, compute

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def at(m: int, d: int, h: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, m, d, h, tzinfo=TZ)


def solved(
    studio: Any, person: Any, unit: Any, day: datetime.datetime, satisfaction: str = "satisfied"
) -> Any:
    appeal = services.appeal_register(
        acting_user=None, studio=studio, channel="visit", category="help", content="x", person=person, at=day
    )
    services.appeal_receive(
        acting_user=None, appeal=appeal, note="接待", at=day + datetime.timedelta(hours=1)
    )
    services.appeal_refer(acting_user=None, appeal=appeal, unit=unit, at=day + datetime.timedelta(hours=2))
    services.appeal_handle(
        acting_user=None, appeal=appeal, resolution="解决", resolved=True, at=day + datetime.timedelta(days=1)
    )
    services.appeal_feedback(
        acting_user=None,
        appeal=appeal,
        feedback="告知",
        satisfaction=satisfaction,
        at=day + datetime.timedelta(days=2),
    )
    return services.appeal_archive(acting_user=None, appeal=appeal, at=day + datetime.timedelta(days=3))


def test_request_figures(tree: Any, studio: Any, unit: Any, person_a: Any) -> None:
    solved(studio, person_a, unit, at(9, 1))
    solved(studio, person_a, unit, at(10, 12), "unsatisfied")
    solved(studio, person_a, unit, at(11, 2))
    services.appeal_register(
        acting_user=None,
        studio=studio,
        channel="walk_in",
        category="help",
        content="x",
        person=person_a,
        at=at(11, 2),
    )
    f = compute(Scope(region=tree.street), ["studios", "appeals", "appeals.overdue", "appeals.step.archive",
                                            "appeals.satisfaction_rate", "appeals.avg_days_to_close", "difficulties_solved"])  # fmt: skip
    assert f["studios"].value == 1 and f["appeals"].value == 4
    assert f["appeals.step.archive"].value == 3 and f["appeals.overdue"].value == 1
    assert f["appeals.satisfaction_rate"].value == Decimal("66.7")
    assert f["appeals.avg_days_to_close"].value == 3
    # since 1 October of the year: the September one does not count
    assert f["difficulties_solved"].value == 2
    period = compute(
        Scope(region=tree.street, start=datetime.date(2026, 9, 1), end=datetime.date(2026, 9, 30)),
        ["difficulties_solved", "appeals"],
    )
    assert period["difficulties_solved"].value == 1 and period["appeals"].value == 1
    assert compute(Scope(region=tree.other_street), ["appeals"])["appeals"].value == 0


def test_service_figures(tree: Any, org_a: Any, users: Any) -> None:
    person = PersonFactory(region=tree.grid_a)
    day = datetime.date(2026, 5, 6)
    case = case_services.case_open(
        acting_user=None, person=person, reason="x", opened_on=day, organization=org_a
    )
    case_services.case_service_record(acting_user=None, case=case, on=day, minutes=30, content="x")
    group = case_services.group_create(
        acting_user=None, region=tree.community_a, name="g", goal="g", starts_on=day, members=[person]
    )
    case_services.group_session_record(acting_user=None, group=group, on=day, topic="t")
    case_services.activity_create(
        acting_user=None,
        region=tree.community_a,
        kind="publicity",
        title="t",
        on=day,
        place="p",
        participants=30,
        leaflets=120,
    )
    f = compute(Scope(region=tree.street))
    assert (f["cases"].value, f["cases.open"].value, f["case_services"].value, f["groups"].value) == (
        1,
        1,
        1,
        1,
    )
    assert (f["group_sessions"].value, f["activities"].value, f["services"].value) == (1, 1, 3)
    assert (f["activity_participants"].value, f["leaflets.activities"].value) == (30, 120)
    assert f["social_workers"].value == 2  # worker_a and worker_b
    later = compute(Scope(region=tree.street, start=datetime.date(2026, 6, 1)), ["cases", "services"])
    assert later["cases"].value == 0 and later["services"].value == 0
    scoped = compute(Scope(region=tree.street, user=users.worker_b), ["cases"])
    assert scoped["cases"].value == 0
