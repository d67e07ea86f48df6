"""The referral endpoints of the JSON API: an organization's referrals and a need's, referring by
hand, and the organization accepting or returning a referral — through the same services as the
pages, scoped the same way."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.outreach_factories import household_in, make_need, make_org, outreach_in
from tests.support import api, fields_in
from wushe.accounts.roles import Role
from wushe.needs import services
from wushe.needs.models import Need, NeedStatus, Referral, ReferralState
from wushe.partners.models import Resource

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _referred(tree: Any, users: Any) -> tuple[Any, Any, Referral]:
    o = outreach_in(tree)
    services.need_accept(acting_user=users.worker_a, need=o.need, resource=o.resource)
    staff = UserFactory(role=Role.ORG_STAFF, organization=o.org)
    return o, staff, Referral.objects.get(need=o.need)


@pytest.mark.parametrize("path", ["/referrals", "/needs/1/referrals"])
def test_anonymous_gets_401(db: Any, path: str) -> None:
    assert Client().get(f"/api/v1{path}").status_code == 401


def test_the_organization_lists_the_referrals_waiting_for_it(tree: Any, users: Any) -> None:
    o, staff, referral = _referred(tree, users)
    other_staff = UserFactory(role=Role.ORG_STAFF, organization=make_org(tree.street))
    listing = api(staff).get("/api/v1/referrals").json()
    assert listing["count"] == 1
    item = listing["items"][0]
    assert (item["id"], item["need"], item["organization"], item["state"]) == (
        referral.pk,
        o.need.pk,
        o.org.pk,
        "waiting",
    )
    assert item["subject_name"] == o.need.household.name and item["need_category"] == "rehab"
    assert item["resource"] == o.resource.pk and item["manual"] is False
    assert api(staff).get("/api/v1/referrals", {"state": "accepted"}).json()["count"] == 0
    assert api(other_staff).get("/api/v1/referrals").json()["count"] == 0
    # a region user of the need's community sees it; one of another community does not
    assert api(users.worker_a).get("/api/v1/referrals").json()["count"] == 1
    assert api(users.worker_b).get("/api/v1/referrals").json()["count"] == 0
    bad = api(staff).get("/api/v1/referrals", {"state": "lost"})
    assert bad.status_code == 422 and fields_in(bad) == {"state"}


def test_a_needs_referrals_are_listed_latest_first(tree: Any, users: Any) -> None:
    o, staff, referral = _referred(tree, users)
    client = api(staff)
    client.post(f"/api/v1/referrals/{referral.pk}/return", {"reason": "名额已满"}, content_type=JSON)
    other = make_org(tree.street)
    api(users.worker_a).post(
        f"/api/v1/needs/{o.need.pk}/refer", {"organization": other.pk, "reason": "换一家"}, content_type=JSON
    )
    out = api(users.worker_a).get(f"/api/v1/needs/{o.need.pk}/referrals").json()
    assert [(r["organization"], r["state"]) for r in out] == [(other.pk, "waiting"), (o.org.pk, "returned")]
    assert out[1]["answer_note"] == "名额已满" and out[0]["manual"] is True
    # the organization that returned it no longer sees the need
    assert client.get(f"/api/v1/needs/{o.need.pk}/referrals").status_code == 404


def test_the_organization_accepts_then_serves(tree: Any, users: Any) -> None:
    o, staff, referral = _referred(tree, users)
    client = api(staff)
    assert (
        api(users.worker_a).post(f"/api/v1/referrals/{referral.pk}/accept", {}, content_type=JSON).status_code
        == 403
    )
    accepted = client.post(f"/api/v1/referrals/{referral.pk}/accept", {"note": "周三上门"}, content_type=JSON)
    assert accepted.status_code == 200, accepted.content
    assert (accepted.json()["state"], accepted.json()["answer_note"]) == ("accepted", "周三上门")
    again = client.post(f"/api/v1/referrals/{referral.pk}/accept", {}, content_type=JSON)
    assert again.status_code == 422 and fields_in(again) == {"referral"}
    served = client.post(f"/api/v1/needs/{o.need.pk}/steps", {"to_status": "in_service"}, content_type=JSON)
    assert served.status_code == 200 and served.json()["status"] == "in_service"
    met = client.post(
        f"/api/v1/needs/{o.need.pk}/steps",
        {"to_status": "met", "satisfaction": "satisfied"},
        content_type=JSON,
    )
    assert met.status_code == 200 and met.json()["satisfaction"] == "satisfied"


def test_returning_needs_a_reason(tree: Any, users: Any) -> None:
    o, staff, referral = _referred(tree, users)
    client = api(staff)
    no_reason = client.post(f"/api/v1/referrals/{referral.pk}/return", {"reason": " "}, content_type=JSON)
    assert no_reason.status_code == 422 and fields_in(no_reason) == {"reason"}
    missing = client.post(f"/api/v1/referrals/{referral.pk}/return", {}, content_type=JSON)
    assert missing.status_code == 422 and fields_in(missing) == {"reason"}
    returned = client.post(
        f"/api/v1/referrals/{referral.pk}/return", {"reason": "本月名额已满"}, content_type=JSON
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["state"] == "returned"
    need = Need.objects.get(pk=o.need.pk)
    assert need.status == NeedStatus.TO_MATCH and Resource.objects.get(pk=o.resource.pk).remaining == 5


def test_another_organizations_referral_is_404(tree: Any, users: Any) -> None:
    _o, _staff, referral = _referred(tree, users)
    other_staff = UserFactory(role=Role.ORG_STAFF, organization=make_org(tree.street))
    for action, body in (("accept", {}), ("return", {"reason": "不是我们的"})):
        response = api(other_staff).post(f"/api/v1/referrals/{referral.pk}/{action}", body, content_type=JSON)
        assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.WAITING


def test_a_social_worker_refers_by_hand_with_a_reason(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    client = api(users.worker_a)
    url = f"/api/v1/needs/{o.need.pk}/refer"
    no_reason = client.post(url, {"organization": o.org.pk, "reason": ""}, content_type=JSON)
    assert no_reason.status_code == 422 and fields_in(no_reason) == {"reason"}
    far = make_org(tree.community_c)  # another street's organization: not one this worker may pick
    outside = client.post(url, {"organization": far.pk, "reason": "试试"}, content_type=JSON)
    assert outside.status_code == 422 and fields_in(outside) == {"organization"}
    unknown = client.post(url, {"resource": 999999, "reason": "试试"}, content_type=JSON)
    assert unknown.status_code == 422 and fields_in(unknown) == {"resource"}
    nothing = client.post(url, {"reason": "试试"}, content_type=JSON)
    assert nothing.status_code == 422 and fields_in(nothing) == {"organization"}
    referred = client.post(url, {"resource": o.resource.pk, "reason": "建议都不合适"}, content_type=JSON)
    assert referred.status_code == 200, referred.content
    assert (referred.json()["status"], referred.json()["referred_to"]) == ("matched", o.org.pk)
    referral = Referral.objects.get(need=o.need)
    assert referral.manual and referral.resource == o.resource and "建议都不合适" in referral.reasons
    assert Resource.objects.get(pk=o.resource.pk).remaining == 4
    again = client.post(url, {"organization": o.org.pk, "reason": "再转"}, content_type=JSON)
    assert again.status_code == 422 and fields_in(again) == {"need"}


def test_referring_by_hand_needs_the_outreach_permission_and_scope(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    body = {"organization": o.org.pk, "reason": "转介"}
    assert (
        api(users.leader).post(f"/api/v1/needs/{o.need.pk}/refer", body, content_type=JSON).status_code == 403
    )
    theirs = make_need(household_in(tree.grid_b))
    assert (
        api(users.worker_a).post(f"/api/v1/needs/{theirs.pk}/refer", body, content_type=JSON).status_code
        == 404
    )
    assert not Referral.objects.exists()


@pytest.mark.parametrize("n", [1, 5])
def test_the_referral_list_pins_its_queries(
    tree: Any, users: Any, n: int, django_assert_num_queries: Any
) -> None:
    o = outreach_in(tree)
    for _ in range(n):
        need = make_need(household_in(tree.grid_a))
        services.need_accept(acting_user=users.worker_a, need=need, resource=o.resource)
    staff = UserFactory(role=Role.ORG_STAFF, organization=o.org)
    client = api(staff)
    client.get("/api/v1/referrals")  # the token's last-used stamp
    with django_assert_num_queries(6):  # households named by their heads in one query
        assert client.get("/api/v1/referrals").json()["count"] == n
