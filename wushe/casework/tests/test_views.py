"""Case, group and activity pages: scoped lists with bounded queries, forms that name the field
in error and write nothing, the photo upload."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import PersonFactory
from wushe.casework import services
from wushe.casework.models import Activity, ActivityPhoto, Case, Group

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def make_cases(tree: Any, org: Any, n: int) -> list[Case]:
    return [
        services.case_open(
            acting_user=None,
            person=PersonFactory(region=tree.grid_a),
            reason="照料不足",
            opened_on=TODAY - datetime.timedelta(days=3),
            organization=org,
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize("n", [3, 12])
def test_the_case_list_runs_a_fixed_number_of_queries(
    tree: Any, users: Any, org_a: Any, n: int, django_assert_num_queries: Any
) -> None:
    make_cases(tree, org_a, n)
    client = login(users.worker_a)
    client.get(reverse("casework:case_list"))  # warm the session
    with django_assert_num_queries(12):
        response = client.get(reverse("casework:case_list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == n


def test_the_case_list_is_scoped(tree: Any, users: Any, person_a: Any, person_b: Any) -> None:
    a = services.case_open(acting_user=None, person=person_a, reason="x", opened_on=TODAY)
    b = services.case_open(acting_user=None, person=person_b, reason="x", opened_on=TODAY)
    body = login(users.worker_a).get(reverse("casework:case_list")).content.decode()
    assert a.number in body and b.number not in body
    assert login(users.worker_a).get(reverse("casework:case_detail", args=[b.pk])).status_code == 404


def test_opening_a_case_from_the_picker(users: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    found = client.get(reverse("casework:case_create"), {"q": person_a.name})
    assert person_a.name in found.content.decode()
    url = reverse("casework:case_create") + f"?person={person_a.pk}"
    bad = client.post(url, {"reason": "", "opened_on": TODAY.isoformat()})
    assert bad.status_code == 200
    assert "接案原因" in bad.content.decode() and Case.objects.count() == 0
    ok = client.post(url, {"reason": "独居", "opened_on": TODAY.isoformat()})
    case = Case.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("casework:case_detail", args=[case.pk])


def test_the_picker_never_searches_by_number(users: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    response = client.get(reverse("casework:case_create"), {"q": person_a.id_number})
    # SensitiveQueryMiddleware: the number leaves the URL before the picker sees it
    assert response.status_code == 303 and response["Location"] == reverse("casework:case_create")
    page = client.get(response["Location"])
    assert not page.context["picker"]["persons"] and person_a.name not in page.content.decode()


def test_a_wrong_step_is_refused_with_the_field_named(users: Any, person_a: Any) -> None:
    case = services.case_open(acting_user=None, person=person_a, reason="x", opened_on=TODAY)
    client = login(users.worker_a)
    response = client.post(
        reverse("casework:case_advance", args=[case.pk]), {"stage": "plan", "on": TODAY.isoformat()}
    )
    assert response.status_code == 400
    assert "推进到" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "intake" and case.steps.count() == 1
    ok = client.post(
        reverse("casework:case_advance", args=[case.pk]),
        {"stage": "assessment", "on": TODAY.isoformat(), "note": "评估"},
    )
    assert ok.status_code == 302


def test_a_leader_reads_but_does_not_write(users: Any, person_a: Any) -> None:
    case = services.case_open(acting_user=None, person=person_a, reason="x", opened_on=TODAY)
    client = login(users.leader)
    assert client.get(reverse("casework:case_detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("casework:case_create")).status_code == 403


def test_photo_upload_checks_the_file(tree: Any, users: Any) -> None:
    activity = services.activity_create(
        acting_user=None, region=tree.community_a, kind="community", title="生日会", on=TODAY, place="活动室"
    )
    client = login(users.worker_a)
    url = reverse("casework:activity_photo_add", args=[activity.pk])
    bad = client.post(url, {"image": SimpleUploadedFile("a.png", b"not an image", content_type="image/png")})
    assert bad.status_code == 400 and "JPEG" in bad.content.decode()
    assert ActivityPhoto.objects.count() == 0
    ok = client.post(
        url, {"image": SimpleUploadedFile("a.png", PNG, content_type="image/png"), "caption": "合影"}
    )
    assert ok.status_code == 302
    photo = ActivityPhoto.objects.get()
    served = client.get(reverse("casework:activity_photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert login(users.worker_b).get(reverse("casework:activity_photo", args=[photo.pk])).status_code == 404


def test_activity_form_errors_name_the_field(tree: Any, users: Any) -> None:
    client = login(users.worker_a)
    data = {
        "title": "宣传",
        "kind": "publicity",
        "on": TODAY.isoformat(),
        "region": str(tree.community_a.pk),
        "place": "广场",
        "organizer_kind": "community",
        "participants": "5",
        "disabled_participants": "9",
        "volunteers": "0",
        "leaflets": "0",
        "questions_answered": "0",
    }
    response = client.post(reverse("casework:activity_create"), data)
    assert response.status_code == 200 and "其中残疾人" in response.content.decode()
    assert Activity.objects.count() == 0
    data["disabled_participants"] = "2"
    assert client.post(reverse("casework:activity_create"), data).status_code == 302


def test_group_pages(tree: Any, users: Any, person_a: Any, org_a: Any) -> None:
    client = login(users.worker_a)
    response = client.post(
        reverse("casework:group_create"),
        {
            "name": "康复小组",
            "region": str(tree.community_a.pk),
            "goal": "互助",
            "starts_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    group = Group.objects.get()
    assert (
        client.post(
            reverse("casework:group_member_add", args=[group.pk]), {"member": person_a.pk}
        ).status_code
        == 302
    )
    assert list(group.members.all()) == [person_a]
    response = client.post(
        reverse("casework:group_session_add", args=[group.pk]),
        {"on": TODAY.isoformat(), "topic": "相识", "attendees": [str(person_a.pk)]},
    )
    assert response.status_code == 302
    assert group.sessions.get().attendees.count() == 1
    assert "康复小组" in client.get(reverse("casework:group_list")).content.decode()
