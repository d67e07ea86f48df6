"""A worker recording sensitive data for a person without consent or basis is told so — a
message on the page, ``warnings`` in the API answer — and the data is saved all the same."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import OrganizationFactory, PersonFactory, certificate_for, next_id_number
from tests.fixtures import login
from tests.support import api
from wushe.care.models import CarePlan
from wushe.core.checks import today
from wushe.partners.models import OrganizationKind
from wushe.registry.models import Person
from wushe.registry.services import household_create

from .conftest import give

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _warnings(response: Any) -> list[str]:
    messages = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    return [m for m in messages if "同意或法定依据" in m]  # not the ID number's own warnings


def test_registering_a_certificate_and_dibao_without_consent_warns(users: Any, tree: Any) -> None:
    number = next_id_number()
    data = {
        "name": "王五",
        "id_number": number,
        "region": tree.grid_a.code,
        "tags": ["dibao", "veteran"],
        "disability_certificate": certificate_for(number, 4, 2),
    }
    response = login(users.worker_a).post(reverse("registry:person_create"), data)
    assert response.status_code == 302
    assert Person.objects.filter(name="王五").exists()  # told, not refused
    (warning,) = _warnings(response)
    assert "残疾信息" in warning and "低保/特困身份" in warning and "其他敏感信息" in warning


def test_an_edit_adding_a_tag_warns_only_for_kinds_without_consent(users: Any, person_a: Any) -> None:
    give(person_a, users.worker_a, kinds=("disability", "assistance"))
    client = login(users.worker_a)
    url = reverse("registry:person_edit", args=[person_a.pk])
    base = {"name": person_a.name, "region": person_a.region.code, "address": "x"}
    response = client.post(url, {**base, "tags": ["dibao"]})
    assert response.status_code == 302 and _warnings(response) == []  # consented
    response = client.post(url, {**base, "tags": ["dibao", "elderly-alone"]})
    (warning,) = _warnings(response)
    assert "其他敏感信息" in warning and "低保" not in warning


def test_the_api_answers_warnings(users: Any, tree: Any, person_a: Any) -> None:
    number = next_id_number()
    body = {"name": "赵六", "id_number": number, "region": tree.grid_a.code, "tags": ["tekun"]}
    r = api(users.worker_a).post("/api/v1/persons", body, content_type=JSON)
    assert r.status_code == 201, r.content
    (warning,) = [w for w in r.json()["warnings"] if "同意或法定依据" in w]
    assert "低保/特困身份" in warning
    r = api(users.worker_a).patch(
        f"/api/v1/persons/{person_a.pk}",
        {"disability_certificate": certificate_for(person_a.id_number, 1, 1)},
        content_type=JSON,
    )
    assert r.status_code == 200 and "残疾信息" in r.json()["warnings"][0]
    give(person_a, users.worker_a, kinds=("disability",))
    r = api(users.worker_a).patch(
        f"/api/v1/persons/{person_a.pk}",
        {"disability_certificate": certificate_for(person_a.id_number, 2, 1)},
        content_type=JSON,
    )
    assert r.status_code == 200 and r.json()["warnings"] == []


def test_a_care_plan_warns_about_health_data(users: Any, tree: Any) -> None:
    person = PersonFactory(region=tree.grid_a)
    household_create(acting_user=None, head=person)
    provider = OrganizationFactory(region=tree.street, kind=OrganizationKind.PROFESSIONAL)
    body = {
        "person": person.pk,
        "self_care": "none",
        "needs": "完全不能自理",
        "provider": provider.pk,
        "workers": "王五",
        "started_on": str(today()),
        "review_on": str(today()),
        "services": [{"service_type": "cleaning", "times_per_month": 2}],
    }
    r = api(users.worker_a).post("/api/v1/care-plans", body, content_type=JSON)
    assert r.status_code == 201, r.content
    assert "健康信息" in r.json()["warnings"][0]
    assert CarePlan.objects.filter(person=person).exists()
