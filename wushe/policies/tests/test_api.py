"""/api/v1/policies: the catalogue (POST needs only name and rule; a bad rule is 422 naming
``rule``), a policy's unreached list with the facts, recording and revoking applications."""

from __future__ import annotations

from typing import Any

from tests.factories import UserFactory
from tests.support import api, fields_in
from wushe.policies.models import Policy

JSON = "application/json"


def test_catalogue_post_needs_name_and_rule(pw: Any) -> None:
    admin = pw.street_admin
    r = api(admin).post(
        "/api/v1/policies", {"name": "高龄津贴", "rule": "person.age >= 80"}, content_type=JSON
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["department"] == "other" and body["prefilters"] == ["年龄 >= 80"]
    r = api(admin).post(
        "/api/v1/policies", {"name": "坏规则", "rule": "person.age >= && 1"}, content_type=JSON
    )
    assert r.status_code == 422 and "rule" in fields_in(r)
    r = api(admin).post("/api/v1/policies", {"name": "没有规则"}, content_type=JSON)
    assert r.status_code == 422 and "rule" in fields_in(r)
    assert not Policy.objects.filter(name__in=["坏规则", "没有规则"]).exists()
    r = api(admin).patch(f"/api/v1/policies/{body['id']}", {"rule": "person.age >="}, content_type=JSON)
    assert r.status_code == 422 and "rule" in fields_in(r)
    r = api(pw.worker_a).post("/api/v1/policies", {"name": "无权", "rule": "true"}, content_type=JSON)
    assert r.status_code == 403
    names = [p["name"] for p in api(pw.worker_a).get("/api/v1/policies").json()["items"]]
    assert "高龄津贴" in names and "重度残疾人护理补贴" in names


def test_unreached_then_applied(pw: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r = api(pw.worker_a).post("/api/v1/policies/runs", {"policy": pw.nursing.pk}, content_type=JSON)
    assert r.status_code == 201, r.content
    assert api(pw.worker_a).get(f"/api/v1/policies/runs/{r.json()['id']}").json()["status"] == "done"
    url = f"/api/v1/policies/{pw.nursing.pk}/unreached"
    items = api(pw.worker_a).get(url).json()["items"]
    assert [(i["name"], i["facts"]["person.disability_level"]) for i in items] == [("甲重度", 1)]
    r = api(pw.worker_a).post(
        f"/api/v1/policies/{pw.nursing.pk}/applications",
        {"person": pw.severe_a.pk, "benefit": "护理补贴每月80元", "amount": "80.00"},
        content_type=JSON,
    )
    assert r.status_code == 201, r.content
    assert r.json()["amount"] == "80.00"
    assert api(pw.worker_a).get(url).json()["items"] == []
    assert [
        i["name"] for i in api(pw.worker_a).get(f"/api/v1/policies/{pw.nursing.pk}/receiving").json()["items"]
    ] == ["甲重度"]
    # another community's worker can neither see nor record for 甲社区
    r = api(pw.worker_b).post(
        "/api/v1/policy-applications", {"policy": pw.nursing.pk, "person": pw.severe_a.pk}, content_type=JSON
    )
    assert r.status_code == 422 and "person" in fields_in(r)
    assert api(pw.worker_b).get("/api/v1/policy-applications").json()["items"] == []
    app_id = api(pw.worker_a).get("/api/v1/policy-applications").json()["items"][0]["id"]
    r = api(pw.worker_a).post(
        f"/api/v1/policy-applications/{app_id}/revoke", {"reason": "录错"}, content_type=JSON
    )
    assert r.status_code == 200 and r.json()["revoked"]
    assert len(api(pw.worker_a).get(url).json()["items"]) == 1
    nobody = UserFactory(username="pol_api_nobody")
    assert api(nobody).get(url).status_code == 403
