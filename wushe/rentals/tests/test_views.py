"""The rental pages: items, an item's steps, lending, returning, renewing, overdue, utilisation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from wushe.core.checks import today
from wushe.rentals.models import Rental

from .conftest import lend

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_lend_return_and_advance_on_the_pages(rw: Any) -> None:
    c = _client(rw.worker_a)
    assert "LY-001" in c.get(reverse("rentals:item_list")).content.decode()
    url = reverse("rentals:rental_create", args=[rw.person.pk])
    assert c.get(url).status_code == 200
    r = c.post(
        url,
        {
            "item": rw.chair.pk,
            "assessed_by": rw.station.pk,
            "assessed_on": str(today()),
            "assessment": "需要",
            "started_on": str(today()),
        },
    )
    rental = Rental.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("rentals:rental_detail", args=[rental.pk])
    assert "300.00" in c.get(r["Location"]).content.decode()
    r = c.post(reverse("rentals:rental_renew", args=[rental.pk]), {"due_on": str(today())})
    assert r.status_code == 422
    r = c.post(
        reverse("rentals:rental_return", args=[rental.pk]),
        {"returned_on": str(today()), "condition": "good", "deduction": "0"},
    )
    assert r.status_code == 302
    item_url = reverse("rentals:item_detail", args=[rw.chair.pk])
    assert "清洁消毒" in c.get(item_url).content.decode()
    r = c.post(reverse("rentals:item_advance", args=[rw.chair.pk]), {"to_status": "repair", "note": "已消毒"})
    assert r.status_code == 302
    rw.chair.refresh_from_db()
    assert rw.chair.status == "repair"
    assert "轮椅" in c.get(reverse("rentals:utilization")).content.decode()
    assert _client(rw.worker_b).get(reverse("rentals:rental_detail", args=[rental.pk])).status_code == 404


def test_overdue_page(rw: Any) -> None:
    lend(
        rw,
        rw.chair,
        started_on=today() - datetime.timedelta(days=100),
        due_on=today() - datetime.timedelta(days=3),
    )
    page = _client(rw.admin).get(reverse("rentals:rental_list") + "?overdue=on").content.decode()
    assert rw.person.name in page
    assert (
        rw.person.name
        not in _client(rw.worker_b).get(reverse("rentals:rental_list") + "?overdue=on").content.decode()
    )
