"""The consent pages: the person page's section, recording a consent (a scan uploaded) or a
basis, withdrawing, the scan served only in scope; the API under /api/v1/consents."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.fixtures import login
from tests.support import api, fields_in
from wushe.consent.models import Consent
from wushe.core.models import AccessEvent

from .conftest import give

pytestmark = pytest.mark.django_db
JSON = "application/json"
PDF = b"%PDF-1.4\n" + b"x" * 64


def _section(client: Any, person: Any) -> str:
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    start = page.index('id="section-consent"')
    return page[start : page.index("</section>", start)]


def test_record_on_paper_withdraw_and_the_section_shows_it(users: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    section = _section(client, person_a)
    assert "无同意或依据" in section  # the certificate is held without consent
    assert reverse("consent:consent_create", args=[person_a.pk]) in section
    url = reverse("consent:consent_create", args=[person_a.pk])
    assert client.get(url).status_code == 200
    data = {
        "kinds": ["disability", "health"],
        "purpose_kind": "disability",
        "purpose": "两项补贴",
        "given_by": "guardian",
        "guardian_name": "祝大",
        "guardian_relation": "儿子",
        "method": "paper",
        "given_on": "",
    }
    missing = client.post(url, data)
    assert missing.status_code == 400 and "scan" in missing.context["form"].errors
    response = client.post(url, {**data, "scan": SimpleUploadedFile("同意书.pdf", PDF)})
    assert response.status_code == 302
    record = Consent.objects.get()
    assert record.guardian_name == "祝大" and record.scan_type == "application/pdf"
    section = _section(client, person_a)
    assert "已同意" in section and "祝大" in section and "无同意或依据" not in section
    scan = client.get(reverse("consent:consent_scan", args=[record.pk]))
    assert scan.status_code == 200 and scan.getvalue() == PDF
    assert AccessEvent.objects.filter(kind="reveal", object_type="consent.consent").count() == 1
    assert login(users.worker_b).get(reverse("consent:consent_scan", args=[record.pk])).status_code == 404

    withdraw = reverse("consent:consent_withdraw", args=[record.pk])
    assert withdraw in section
    page = client.get(withdraw).content.decode()
    assert "停止为上述目的处理所列信息" in page  # the default offered
    r = client.post(withdraw, {"by_party": "self", "method": "oral", "stops": "停止补贴以外的使用", "on": ""})
    assert r.status_code == 302
    record.refresh_from_db()
    assert record.withdrawn_on is not None and record.withdrawal_stops == "停止补贴以外的使用"
    section = _section(client, person_a)
    assert "已撤回" in section and "停止补贴以外的使用" in section and withdraw not in section


def test_a_basis_is_recorded_on_its_page(users: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    url = reverse("consent:basis_create", args=[person_a.pk])
    r = client.post(
        url,
        {
            "kinds": ["disability"],
            "basis": "disabled_federation",
            "basis_text": "《残疾人保障法》",
            "purpose_kind": "disability",
            "purpose": "残疾人证管理",
            "on": "",
        },
    )
    assert r.status_code == 302
    assert "法定依据" in _section(client, person_a)


def test_pages_are_for_those_who_manage_the_register_in_scope(users: Any, person_a: Any) -> None:
    record = give(person_a, users.worker_a)
    for url in (
        reverse("consent:consent_create", args=[person_a.pk]),
        reverse("consent:basis_create", args=[person_a.pk]),
        reverse("consent:consent_withdraw", args=[record.pk]),
    ):
        assert login(users.leader).get(url).status_code == 403, url
        assert login(users.worker_b).get(url).status_code == 404, url
    # the leader reads the section, without the buttons
    section = _section(login(users.leader), person_a)
    assert "已同意" in section and reverse("consent:consent_withdraw", args=[record.pk]) not in section


def test_the_api_lists_creates_and_withdraws(users: Any, person_a: Any, person_b: Any) -> None:
    client = api(users.worker_a)
    body = {"person": person_a.pk, "kinds": ["disability"], "purpose_kind": "disability", "purpose": "补贴"}
    r = client.post("/api/v1/consents", {**body, "method": "phone"}, content_type=JSON)
    assert r.status_code == 201, r.content
    consent_id = r.json()["id"]
    assert r.json()["kinds"] == ["disability"] and r.json()["method"] == "phone"
    bad = client.post("/api/v1/consents", {**body, "kinds": ["x"], "method": "phone"}, content_type=JSON)
    assert bad.status_code == 422 and fields_in(bad) == {"kinds"}
    paper = client.post("/api/v1/consents", {**body, "method": "paper"}, content_type=JSON)
    assert paper.status_code == 422 and fields_in(paper) == {"method"}
    basis = client.post(
        "/api/v1/consents", {**body, "basis": "civil_affairs", "basis_text": ""}, content_type=JSON
    )
    assert basis.status_code == 422 and fields_in(basis) == {"basis_text"}
    listed = client.get(f"/api/v1/consents?person={person_a.pk}").json()
    assert [c["id"] for c in listed] == [consent_id]
    assert client.get(f"/api/v1/consents?person={person_b.pk}").status_code == 404
    assert (
        api(users.worker_b)
        .post(f"/api/v1/consents/{consent_id}/withdraw", {"stops": "x"}, content_type=JSON)
        .status_code
        == 404
    )
    w = client.post(
        f"/api/v1/consents/{consent_id}/withdraw", {"method": "phone", "stops": "停止"}, content_type=JSON
    )
    assert w.status_code == 200 and w.json()["withdrawn_on"] is not None
    again = client.post(
        f"/api/v1/consents/{consent_id}/withdraw", {"method": "phone", "stops": "停止"}, content_type=JSON
    )
    assert again.status_code == 422 and fields_in(again) == {"consent"}
    assert (
        api(users.leader).post("/api/v1/consents", {**body, "method": "phone"}, content_type=JSON).status_code
        == 403
    )
