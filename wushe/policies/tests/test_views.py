"""The pages: the catalogue, a policy with its unreached list and facts, recording from the list,
the applications list, the settings form refusing a bad rule, the person page's section."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.fixtures import login
from wushe.policies.models import Policy, PolicyApplication


def test_walk_from_unreached_to_recorded(pw: Any, run_now: Any, django_assert_max_num_queries: Any) -> None:
    run_now()
    client = login(pw.worker_a)
    page = client.get(reverse("policies:policy_list")).content.decode()
    assert "重度残疾人护理补贴" in page
    detail = reverse("policies:policy_detail", args=[pw.nursing.pk])
    with django_assert_max_num_queries(30):
        page = client.get(detail).content.decode()
    assert "甲重度" in page and "person.disability_level" in page and "乙重度" not in page
    add = reverse("policies:application_create", args=[pw.nursing.pk])
    form = client.get(f"{add}?person={pw.severe_a.pk}").content.decode()
    assert "甲重度" in form
    r = client.post(f"{add}?person={pw.severe_a.pk}", {"applied_on": "2099-01-01", "benefit": ""})
    assert r.status_code == 200 and not PolicyApplication.objects.exists()
    r = client.post(
        f"{add}?person={pw.severe_a.pk}", {"applied_on": "2024-05-01", "benefit": "", "amount": "80"}
    )
    assert r.status_code == 302
    a = PolicyApplication.objects.get()
    assert a.benefit == "每月护理补贴" and a.applied_by == pw.worker_a
    page = client.get(detail).content.decode()
    assert "应享未享 0 人" in page
    listing = client.get(reverse("policies:application_list")).content.decode()
    assert "甲重度" in listing
    person_page = client.get(reverse("registry:person_detail", args=[pw.severe_a.pk])).content.decode()
    assert "政策落实" in person_page and "重度残疾人护理补贴" in person_page
    r = client.post(reverse("policies:application_detail", args=[a.pk]), {"reason": "登记有误"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.revoked_at is not None and a.revoke_reason == "登记有误"


def test_settings_page_refuses_a_rule_that_does_not_parse(pw: Any) -> None:
    client = login(pw.street_admin)
    r = client.post(
        reverse("config:add", args=["policies"]),
        {"name": "高龄津贴", "department": "elderly", "rule": "person.age >= ", "sort": "0", "active": "on"},
    )
    assert r.status_code == 200
    assert "rule" in r.context["form"].errors
    assert not Policy.objects.filter(name="高龄津贴").exists()
    r = client.post(
        reverse("config:add", args=["policies"]),
        {
            "name": "高龄津贴",
            "department": "elderly",
            "rule": "person.age >= 80",
            "sort": "0",
            "active": "on",
        },
    )
    assert r.status_code == 302 and Policy.objects.filter(name="高龄津贴").exists()


def test_pages_need_their_capability(pw: Any) -> None:
    from tests.factories import UserFactory

    client = login(UserFactory(username="pol_page_nobody"))
    assert client.get(reverse("policies:policy_list")).status_code == 403
    assert client.post(reverse("policies:run_start")).status_code == 403
