"""Issue 14, item 6 elsewhere: case service durations, group attendance and activity counts are
bounded by settings, refused by the service with the field and the limit, 4xx through the API."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import PersonFactory
from wushe.accounts.services import api_token_issue
from wushe.casework import services
from wushe.casework.models import Activity, CaseService, GroupSession

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=user)}")


def _case(users: Any, person: Any) -> Any:
    return services.case_open(acting_user=users.worker_a, person=person, reason="独居", opened_on=TODAY)


def test_case_service_per_record_and_per_worker_day(users: Any, person_a: Any, settings: Any) -> None:
    case = _case(users, person_a)
    with pytest.raises(ValidationError) as exc:
        services.case_service_record(
            acting_user=users.worker_a, case=case, on=TODAY, minutes=1441, content="x"
        )
    assert "1440" in exc.value.message_dict["minutes"][0]
    for _n in range(2):
        services.case_service_record(
            acting_user=users.worker_a, case=case, on=TODAY, minutes=700, content="x"
        )
    with pytest.raises(ValidationError) as exc:
        services.case_service_record(acting_user=users.worker_a, case=case, on=TODAY, minutes=41, content="x")
    message = exc.value.message_dict["minutes"][0]
    assert "1400" in message and "1440" in message and "每人每日" in message
    assert CaseService.objects.count() == 2
    settings.WUSHE_CASE_SERVICE_MAX_MINUTES = 240
    with pytest.raises(ValidationError) as exc:
        services.case_service_record(
            acting_user=users.worker_a,
            case=case,
            on=TODAY - datetime.timedelta(days=1),
            minutes=241,
            content="x",
        )
    assert "240" in exc.value.message_dict["minutes"][0]


def test_case_service_day_through_the_api(users: Any, person_a: Any) -> None:
    case = _case(users, person_a)
    client = api(users.worker_a)
    url = f"/api/v1/cases/{case.pk}/services"
    body = {"on": TODAY.isoformat(), "minutes": 1000, "content": "探访"}
    assert client.post(url, body, content_type="application/json").status_code == 201
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "minutes"
    assert CaseService.objects.count() == 1


def _group(tree: Any, users: Any, members: list[Any]) -> Any:
    return services.group_create(
        acting_user=users.worker_a,
        region=tree.community_a,
        name="小组",
        goal="互助",
        starts_on=TODAY,
        members=members,
    )


def test_attendance_is_bounded_and_never_twice(tree: Any, users: Any, person_a: Any, settings: Any) -> None:
    settings.WUSHE_GROUP_MAX_MEMBERS = 3
    others = [PersonFactory(region=tree.community_a) for _n in range(3)]
    with pytest.raises(ValidationError) as exc:
        _group(tree, users, [person_a, *others])
    assert "3" in exc.value.message_dict["members"][0]
    group = _group(tree, users, [person_a, *others[:2]])
    with pytest.raises(ValidationError) as exc:
        services.group_members_add(acting_user=users.worker_a, group=group, members=[others[2]])
    assert "最多3人" in exc.value.message_dict["members"][0]
    with pytest.raises(ValidationError) as exc:
        services.group_session_record(
            acting_user=users.worker_a, group=group, on=TODAY, topic="相识", attendees=[person_a, person_a]
        )
    assert "重复" in exc.value.message_dict["attendees"][0]
    client = api(users.worker_a)
    twice = client.post(
        f"/api/v1/groups/{group.pk}/sessions",
        {"on": TODAY.isoformat(), "topic": "相识", "attendees": [person_a.pk, person_a.pk]},
        content_type="application/json",
    )
    assert twice.status_code == 422 and twice.json()["detail"][0]["field"] == "attendees"
    assert GroupSession.objects.count() == 0


ACTIVITY: dict[str, Any] = {"kind": "community", "title": "活动", "place": "活动室"}


def test_activity_counts_are_bounded(tree: Any, users: Any, settings: Any) -> None:
    settings.WUSHE_ACTIVITY_MAX_LEAFLETS = 1000
    for field, value, limit in (
        ("participants", 20_001, "20000"),
        ("volunteers", 2_001, "2000"),
        ("leaflets", 1_001, "1000"),
        ("questions_answered", 20_001, "20000"),
    ):
        over: dict[str, Any] = {field: value}
        with pytest.raises(ValidationError) as exc:
            services.activity_create(
                acting_user=users.worker_a, region=tree.community_a, on=TODAY, **ACTIVITY, **over
            )
        assert limit in exc.value.message_dict[field][0], field
    response = api(users.worker_a).post(
        "/api/v1/activities",
        {**ACTIVITY, "on": TODAY.isoformat(), "region": tree.community_a.code, "leaflets": 5000},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "leaflets"
    assert "1000" in response.json()["detail"][0]["msg"]
    assert Activity.objects.count() == 0


def test_the_forms_show_and_enforce_the_limits(tree: Any, users: Any, settings: Any) -> None:
    settings.WUSHE_ACTIVITY_MAX_PARTICIPANTS = 300
    client = login(users.worker_a)
    page = client.get(reverse("casework:activity_create")).content.decode()
    assert 'max="300"' in page and "不超过300" in page
