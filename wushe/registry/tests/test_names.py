"""Names are normalised the same way on every path — the form's service, the API, the import
and the search box — by one function, ``registry.identity.normalise_name``."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from tests.factories import next_id_number
from wushe.accounts.services import api_token_issue
from wushe.imports import engine
from wushe.imports.services import job_create
from wushe.registry import services
from wushe.registry.identity import normalise_name
from wushe.registry.models import Person, PersonSearchKey
from wushe.registry.selectors import PersonFilters, person_list


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (" 王 小 明 ", "王小明"),
        ("王\u3000小明", "王小明"),  # the full-width space
        ("王\t小\n明", "王小明"),
        ("王\u200b小明", "王小明"),  # a zero-width space pasted from a web page
        ("Ayi  Guli", "Ayi Guli"),  # Latin words keep one space, and their case
        ("ＡＹＩ\u3000ＧＵＬＩ", "AYI GULI"),  # full-width letters folded
        ("阿依古丽 • 吐尔逊", "阿依古丽·吐尔逊"),  # a transliterated name: one dot, no spaces
        ("阿依古丽・吐尔逊", "阿依古丽·吐尔逊"),
        ("祝长连", "祝长连"),
        ("   ", ""),
    ],
)
def test_normalise_name(raw: str, stored: str) -> None:
    assert normalise_name(raw) == stored
    assert normalise_name(stored) == stored  # idempotent


def _found(user: Any, q: str) -> list[str]:
    return [p.name for p in person_list(user=user, filters=PersonFilters(q=q))]


@pytest.mark.django_db
def test_the_form_service_stores_and_finds_the_normalised_name(tree: Any, users: Any) -> None:
    person = services.person_create(
        acting_user=users.worker_a, region=tree.community_a, name=" 王 小 明 ", id_number=next_id_number()
    ).person
    person.refresh_from_db()
    assert person.name == "王小明" and person.name_pinyin == "wangxiaoming"
    assert {"wangxiaoming", "wxm"} <= set(
        PersonSearchKey.objects.filter(person=person).values_list("key", flat=True)
    )
    for q in ("王小明", "王 小 明", " 王小", "wxm", "wangxiaoming", "WXM"):
        assert _found(users.worker_a, q) == ["王小明"], q

    services.person_update(
        acting_user=users.worker_a, person=person, name="王\u3000小 红", contact_name=" 李 四 "
    )
    person.refresh_from_db()
    assert (person.name, person.contact_name) == ("王小红", "李四")
    assert _found(users.worker_a, "wxh") == ["王小红"] and _found(users.worker_a, "wxm") == []


@pytest.mark.django_db
def test_the_api_stores_the_normalised_name(tree: Any, users: Any) -> None:
    client = Client(headers={"Authorization": f"Bearer {api_token_issue(user=users.worker_a)}"})
    body = {"name": " 王 小 明 ", "id_number": next_id_number(), "region": tree.community_a.code}
    response = client.post("/api/v1/persons", json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 201), response.content
    assert Person.objects.get().name == "王小明"
    found = client.get("/api/v1/persons", {"q": "wxm"}).json()
    assert [p["name"] for p in found["items"]] == ["王小明"]


@pytest.mark.django_db
def test_the_import_stores_the_normalised_name_and_matches_the_head_by_it(
    tree: Any, users: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    head, member = next_id_number(), next_id_number()
    ledger = (
        "姓名,身份证号,所属社区,户主姓名,户主身份证号,与户主关系\n"
        f" 王 小 明 ,{head},甲社区,王小明,{head},户主\n"
        f"Ayi  Guli,{member},甲社区,王\u3000小明,{head},妻\n"
    )
    job = job_create(
        acting_user=users.street_admin,
        region=tree.street,
        fileobj=io.BytesIO(ledger.encode()),
        name="台账.csv",
    )
    counts = engine.commit(job)
    assert counts.created == 2 and counts.rejected == 0
    wang = Person.objects.get(name="王小明")
    assert Person.objects.get(name="Ayi Guli").household_id == wang.household_id is not None
    assert _found(users.street_admin, "wxm") == ["王小明"]
