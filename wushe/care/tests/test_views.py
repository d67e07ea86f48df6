"""The care pages: the list, a plan's month, recording a service and a training, a new plan, the gaps."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PersonFactory
from wushe.care.models import CarePlan, ServiceRecord
from wushe.core.checks import today
from wushe.registry.services import household_create

from .conftest import last_month, stype

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_list_detail_and_record(cw: Any) -> None:
    c = _client(cw.worker_a)
    assert cw.person.name in c.get(reverse("care:plan_list")).content.decode()
    url = reverse("care:plan_detail", args=[cw.plan.pk])
    r = c.post(
        reverse("care:record_create", args=[cw.plan.pk]),
        {
            "service_type": stype("cleaning").pk,
            "served_on": str(last_month()),
            "minutes": 60,
            "worker": "张三",
            "satisfaction": "satisfied",
        },
    )
    assert r.status_code == 302 and r["Location"] == f"{url}?month={last_month():%Y-%m}"
    page = c.get(r["Location"]).content.decode()
    assert "计划与完成" in page and "未完成" in page
    assert ServiceRecord.objects.filter(plan=cw.plan).count() == 1
    r = c.post(
        reverse("care:record_create", args=[cw.plan.pk]),
        {"service_type": stype("cleaning").pk, "served_on": str(today()), "minutes": 0},
    )
    assert r.status_code == 422
    r = c.post(
        reverse("care:training_create", args=[cw.plan.pk]),
        {"trained_on": str(today()), "carer": "家属", "topic": "喂食", "hours": "1.0", "trainer": "社工"},
    )
    assert r.status_code == 302
    gaps = c.get(reverse("care:gaps") + f"?month={last_month():%Y-%m}").content.decode()
    assert cw.person.name in gaps
    assert _client(cw.worker_b).get(url).status_code == 404


def test_new_plan(cw: Any, tree: Any) -> None:
    person = PersonFactory(region=tree.grid_a)
    household_create(acting_user=None, head=person)
    c = _client(cw.worker_a)
    url = reverse("care:plan_create", args=[person.pk])
    assert c.get(url).status_code == 200
    r = c.post(
        url,
        {
            "kind": "mental",
            "self_care": "partial",
            "needs": "精神康复",
            "assessed_on": str(today()),
            "provider": cw.provider.pk,
            "workers": "李四",
            "started_on": str(today()),
            "review_on": str(today()),
            "times_rehab": 4,
            "months_rehab": "",
            "times_psych": 2,
            "months_psych": "1,13",
        },
    )
    assert r.status_code == 200 and not CarePlan.objects.filter(person=person).exists()  # month 13 refused
    r = c.post(
        url,
        {
            "kind": "mental",
            "self_care": "partial",
            "needs": "精神康复",
            "assessed_on": str(today()),
            "provider": cw.provider.pk,
            "workers": "李四",
            "started_on": str(today()),
            "review_on": str(today()),
            "times_rehab": 4,
        },
    )
    plan = CarePlan.objects.get(person=person)
    assert r.status_code == 302 and plan.kind == "mental" and plan.services.get().times_per_month == 4
    assert _client(cw.org_staff).get(url).status_code == 403


def test_the_person_page_lists_the_plan_and_offers_a_new_one(cw: Any) -> None:
    page = _client(cw.worker_a).get(reverse("registry:person_detail", args=[cw.person.pk])).content.decode()
    assert reverse("care:plan_detail", args=[cw.plan.pk]) in page
    assert reverse("care:plan_create", args=[cw.person.pk]) in page
    assert reverse("rentals:rental_create", args=[cw.person.pk]) in page
