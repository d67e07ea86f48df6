"""/api/v1/funds: list, balance, donations, disbursements, approve, pay, statement."""

from __future__ import annotations

from typing import Any

from tests.factories import PersonFactory, UserFactory
from tests.support import api, fields_in
from wushe.accounts.roles import Role
from wushe.funds.models import FundEntry
from wushe.registry.services import household_create


def test_list_detail_scoped(fw: Any, tree: Any) -> None:
    ids = [f["id"] for f in api(fw.staff).get("/api/v1/funds").json()["items"]]
    assert ids == [fw.fund.pk]
    assert api(fw.staff).get(f"/api/v1/funds/{fw.other_fund.pk}").status_code == 404
    assert api(fw.chair).get(f"/api/v1/funds/{fw.fund.pk}").json()["balance"] == "0.00"


def test_the_whole_way_and_an_overdraft(fw: Any, tree: Any) -> None:
    r = api(fw.staff).post(
        f"/api/v1/funds/{fw.fund.pk}/donations",
        {
            "amount": "1000.50",
            "channel": "bank",
            "donor_kind": "outsider",
            "donor_name": "王五",
            "display": "masked",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["amount"] == "1000.50" and r.json()["receipt_number"]
    leader = UserFactory(role=Role.LEADER, region=tree.street)
    assert api(leader).get(f"/api/v1/funds/{fw.fund.pk}/donations").json()["items"][0]["donor"] == "王*"
    hh = household_create(acting_user=None, head=PersonFactory(region=tree.grid_a))
    r = api(fw.staff).post(
        f"/api/v1/funds/{fw.fund.pk}/disbursements",
        {"amount": "2000.00", "purpose": "助医", "household": hh.pk},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    for m in fw.members[1:4]:
        assert api(m).post(f"/api/v1/disbursements/{pk}/approve").status_code == 200
    r = api(fw.payer).post(
        f"/api/v1/disbursements/{pk}/pay", {"voucher_number": "PZ1"}, content_type="application/json"
    )
    assert r.status_code == 422 and "amount" in fields_in(r)
    assert FundEntry.objects.filter(amount__lt=0).count() == 0
    r = api(fw.staff).post(
        f"/api/v1/funds/{fw.fund.pk}/disbursements",
        {"amount": "1000.00", "purpose": "助医", "household": hh.pk},
        content_type="application/json",
    )
    pk = r.json()["id"]
    for m in fw.members[1:4]:
        api(m).post(f"/api/v1/disbursements/{pk}/approve")
    r = api(fw.payer).post(
        f"/api/v1/disbursements/{pk}/pay", {"voucher_number": "PZ2"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "paid"
    r = api(fw.payer).post(
        f"/api/v1/disbursements/{pk}/pay", {"voucher_number": "PZ3"}, content_type="application/json"
    )
    assert r.status_code == 422
    s = api(fw.staff).get(f"/api/v1/funds/{fw.fund.pk}/statement?from=2020-01-01&to=2099-12-31").json()
    assert (s["opening"], s["inflow"], s["outflow"], s["closing"]) == ("0.00", "1000.50", "1000.00", "0.50")
