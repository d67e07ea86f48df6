"""The public pages through the client: submitting (the code shown once, nothing in the URL), the
honeypot, the size limit, the rate limits per IP address and per phone number, checking with a
wrong code (counted, then refused), rating at 反馈, a one-time link used twice; the workers'
waiting list (scoped) and their accept and reject."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from wushe.appeals.models import Appeal
from wushe.portal.models import Submission

from .conftest import submit

pytestmark = pytest.mark.django_db

NEW = "/public/requests/new/"
CHECK = "/public/requests/check/"
RATE = CHECK  # the rating is a POST of the check page with number, code and satisfaction


def _form(tree: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "content": "路灯不亮",
        "category": "help",
        "address": "甲社区5号楼",
        "community": str(tree.community_a.pk),
        "requester_name": "李大爷",
        "requester_phone": "13700001111",
        "wants_visit": "yes",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_form_is_public_and_accessible(client: Client, tree: Any) -> None:
    page = client.get(NEW)
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        "<legend" in body and 'for="id_content"' in body and 'aria-describedby="id_content_helptext"' in body
    )
    assert 'name="csrfmiddlewaretoken"' in body and "甲社区" in body


def test_a_submission_shows_its_number_and_code_once(client: Client, tree: Any) -> None:
    response = client.post(NEW, _form(tree))
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    s = Submission.objects.get()
    body = response.content.decode()
    code = re.search(r'data-testid="code">([A-Z0-9-]+)<', body)
    assert s.number in body and code is not None
    assert s.requester_phone == "13700001111" and s.wants_visit
    checked = client.post(CHECK, {"number": s.number, "code": code.group(1)})
    assert checked.status_code == 200 and "待受理" in checked.content.decode()
    assert "13700001111" not in checked.content.decode()


def test_errors_are_summarised_and_tied_to_their_fields(client: Client, tree: Any) -> None:
    response = client.post(NEW, _form(tree, consent="", requester_phone="12"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_consent"' in body and 'href="#id_requester_phone"' in body
    assert re.search(
        r'id="id_requester_phone"[^>]*aria-describedby="[^"]*id_requester_phone_error', body
    ) or re.search(r'aria-describedby="[^"]*id_requester_phone_error[^"]*"[^>]*id="id_requester_phone"', body)
    assert not Submission.objects.exists()


def test_the_address_proposes_a_community_to_confirm(client: Client, tree: Any) -> None:
    response = client.post(NEW, _form(tree, community="", address="乙社区8号楼"))
    assert response.status_code == 200 and not Submission.objects.exists()
    assert "乙社区" in response.content.decode() and 'id="proposed"' in response.content.decode()


def test_the_honeypot_refuses_a_robot(client: Client, tree: Any) -> None:
    assert client.post(NEW, _form(tree, website="http://spam.example")).status_code == 400
    assert not Submission.objects.exists()


def test_a_body_too_large_is_refused(client: Client, tree: Any, settings: Any) -> None:
    settings.WUSHE_PUBLIC_MAX_BODY_BYTES = 500
    assert client.post(NEW, _form(tree, content="字" * 400)).status_code == 413
    assert not Submission.objects.exists()


def test_submissions_are_limited_per_ip_address(client: Client, tree: Any, settings: Any) -> None:
    settings.WUSHE_PUBLIC_RATE_IP = (2, 3600)
    for i in range(2):
        assert client.post(NEW, _form(tree, requester_phone=f"1370000{i:04d}")).status_code == 201
    assert client.post(NEW, _form(tree, requester_phone="13700009999")).status_code == 429
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post(NEW, _form(tree, requester_phone="13700009999")).status_code == 201
    assert Submission.objects.count() == 3


def test_submissions_are_limited_per_phone_number(tree: Any, settings: Any) -> None:
    settings.WUSHE_PUBLIC_RATE_PHONE = (1, 86400)
    assert Client(REMOTE_ADDR="10.0.0.1").post(NEW, _form(tree)).status_code == 201
    assert Client(REMOTE_ADDR="10.0.0.2").post(NEW, _form(tree)).status_code == 429
    assert Submission.objects.count() == 1


def test_wrong_codes_are_counted_then_refused(client: Client, tree: Any, settings: Any) -> None:
    settings.WUSHE_PUBLIC_RATE_CHECK = (3, 3600)
    issued = submit(tree.community_a)
    for _ in range(3):
        wrong = client.post(CHECK, {"number": issued.submission.number, "code": "WRONG234"})
        assert wrong.status_code == 400 and "编号或查询码不对" in wrong.content.decode()
    # the right code is refused too now: the number's window is full
    assert client.post(CHECK, {"number": issued.submission.number, "code": issued.code}).status_code == 429


def test_rating_at_feedback_through_the_check_page(client: Client, tree: Any, users: Any, unit: Any) -> None:
    from wushe.portal import services

    from .test_services import _to_feedback

    issued = submit(tree.community_a)
    appeal = services.submission_accept(acting_user=users.worker_a, submission=issued.submission)
    _to_feedback(appeal, users.worker_a, unit)
    page = client.post(CHECK, {"number": appeal.number, "code": issued.code}).content.decode()
    assert "请评价办理结果" in page and str(users.worker_a) not in page and "甲社区居委会" in page
    rated = client.post(
        RATE, {"number": appeal.number, "code": issued.code, "satisfaction": "satisfied", "words": "好"}
    )
    assert rated.status_code == 200 and "您的评价：满意" in rated.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).satisfaction == "satisfied"
    wrong = client.post(RATE, {"number": appeal.number, "code": "ZZZZ2222", "satisfaction": "unsatisfied"})
    assert wrong.status_code == 400 and Appeal.objects.get(pk=appeal.pk).satisfaction == "satisfied"


def test_a_one_time_link_is_refused_the_second_time(client: Client, tree: Any, users: Any) -> None:
    from tests.factories import PersonFactory
    from tests.outreach_factories import make_visit
    from wushe.registry.services import household_create

    visit = make_visit(household_create(acting_user=None, head=PersonFactory(region=tree.grid_a)))
    worker = Client()
    worker.force_login(users.worker_a)
    made = worker.post(f"/portal/ratings/visit/{visit.pk}/").content.decode()
    link = re.search(r'data-testid="rating-link">https?://[^/]+(/public/ratings/[^<]+)<', made)
    assert link is not None
    url = link.group(1)
    assert client.get(url).status_code == 200
    assert client.post(url, {"satisfaction": "satisfied", "words": "谢谢"}).status_code == 200
    assert client.post(url, {"satisfaction": "unsatisfied"}).status_code == 410
    shown = worker.get(f"/portal/ratings/visit/{visit.pk}/").content.decode()
    assert "谢谢" in shown and "满意" in shown
    other = Client()
    other.force_login(users.worker_b)
    assert other.get(f"/portal/ratings/visit/{visit.pk}/").status_code == 404


def test_the_waiting_list_and_the_decisions(tree: Any, users: Any) -> None:
    a = submit(tree.community_a).submission
    b = submit(tree.community_b, requester_phone="13912340000").submission
    worker = Client()
    worker.force_login(users.worker_a)
    listed = worker.get("/portal/submissions/").content.decode()
    assert a.number in listed and b.number not in listed
    assert worker.get(f"/portal/submissions/{b.pk}/").status_code == 404
    detail = worker.get(f"/portal/submissions/{a.pk}/").content.decode()
    assert "139****5678" in detail and "13912345678" not in detail
    home = worker.get("/").content.decode()
    assert a.number in home
    accepted = worker.post(f"/portal/submissions/{a.pk}/accept/")
    assert accepted.status_code == 302 and "/appeals/" in accepted["Location"]
    assert worker.post(f"/portal/submissions/{b.pk}/reject/", {"reason": "spam"}).status_code == 404
    leader = Client()
    leader.force_login(users.leader)
    assert leader.post(f"/portal/submissions/{b.pk}/reject/", {"reason": "spam"}).status_code == 403
    street = Client()
    street.force_login(users.street_admin)
    assert street.post(f"/portal/submissions/{b.pk}/reject/", {"reason": "spam"}).status_code == 302
    assert Submission.objects.get(pk=b.pk).reject_reason == "spam"
