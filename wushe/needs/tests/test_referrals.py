"""Referrals an organization can act on: waiting, accepted or returned with a reason; referring by
hand; the resident's contact and the audited phone reveal; the organization sees only its own."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import login
from tests.factories import PersonFactory, UserFactory
from tests.outreach_factories import make_need, make_org, make_resource, outreach_in
from wushe.accounts.roles import Role
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.needs import referral_services, selectors, services
from wushe.needs.models import Need, NeedStatus, Referral, ReferralState
from wushe.partners.models import Resource

pytestmark = pytest.mark.django_db


def _referred(tree: Any, users: Any) -> tuple[Any, Any, Any]:
    """A need referred to ``o.org`` through its resource, and a staff member of the organization."""
    o = outreach_in(tree)
    services.need_accept(acting_user=users.worker_a, need=o.need, resource=o.resource)
    staff = UserFactory(role=Role.ORG_STAFF, organization=o.org)
    return o, staff, Referral.objects.get(need=o.need)


def test_accepting_a_suggestion_makes_a_referral_waiting_for_the_organization(tree: Any, users: Any) -> None:
    o, staff, referral = _referred(tree, users)
    assert referral.state == ReferralState.WAITING and referral.organization == o.org
    assert referral.resource == o.resource and referral.referred_by == users.worker_a
    assert "同类需求" in referral.reasons and not referral.manual
    assert list(selectors.referrals_waiting(user=staff)) == [referral]
    other_staff = UserFactory(role=Role.ORG_STAFF, organization=make_org(tree.street))
    assert list(selectors.referrals_waiting(user=other_staff)) == []
    assert list(selectors.referrals_waiting(user=users.worker_a)) == []  # acts for no organization


def test_the_organization_accepts_and_only_it_may(tree: Any, users: Any) -> None:
    o, staff, referral = _referred(tree, users)
    with pytest.raises(PermissionDenied):
        referral_services.referral_accept(acting_user=users.worker_a, referral=referral)
    other_staff = UserFactory(role=Role.ORG_STAFF, organization=make_org(tree.street))
    with pytest.raises(PermissionDenied):
        referral_services.referral_accept(acting_user=other_staff, referral=referral)
    referral_services.referral_accept(acting_user=staff, referral=referral, note="周三上门")
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACCEPTED and referral.answered_by == staff
    assert "接收转介" in o.need.steps.last().note
    assert list(selectors.referrals_waiting(user=staff)) == []
    with pytest.raises(ValidationError):
        referral_services.referral_accept(acting_user=staff, referral=referral)


def test_returning_needs_a_reason_releases_capacity_and_sends_the_need_back(tree: Any, users: Any) -> None:
    o, staff, referral = _referred(tree, users)
    assert Resource.objects.get(pk=o.resource.pk).remaining == 4
    with pytest.raises(ValidationError) as exc:
        referral_services.referral_return(acting_user=staff, referral=referral, reason="  ")
    assert "reason" in exc.value.message_dict
    referral_services.referral_return(acting_user=staff, referral=referral, reason="本月名额已满")
    referral.refresh_from_db()
    need = Need.objects.get(pk=o.need.pk)
    assert referral.state == ReferralState.RETURNED and referral.answer_note == "本月名额已满"
    assert need.status == NeedStatus.TO_MATCH and need.referred_to is None and need.resource is None
    assert Resource.objects.get(pk=o.resource.pk).remaining == 5
    assert "退回转介：本月名额已满" in need.steps.last().note  # type: ignore[union-attr]
    assert list(selectors.referrals_returned(user=users.worker_a)) == [referral]
    # the organization no longer sees the need; the social worker refers it elsewhere
    assert login(staff).get(f"/needs/{need.pk}/").status_code == 404
    other = make_org(tree.street)
    referral_services.need_refer(acting_user=users.worker_a, need=need, organization=other, reason="换一家")
    assert [r.state for r in selectors.need_referrals(need=need)] == ["waiting", "returned"]


def test_service_starts_only_after_the_organization_accepts(tree: Any, users: Any) -> None:
    o, staff, referral = _referred(tree, users)
    with pytest.raises(ValidationError) as exc:
        services.need_advance(acting_user=users.worker_a, need=o.need, to_status=NeedStatus.IN_SERVICE)
    assert "接收" in str(exc.value)
    need = services.need_advance(acting_user=staff, need=o.need, to_status=NeedStatus.IN_SERVICE)
    referral.refresh_from_db()
    assert need.status == NeedStatus.IN_SERVICE and referral.state == ReferralState.ACCEPTED
    assert referral.answered_by == staff


def test_a_need_is_referred_by_hand_with_a_reason(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    other = make_org(tree.street)
    with pytest.raises(ValidationError) as exc:
        referral_services.need_refer(acting_user=users.worker_a, need=o.need, organization=other, reason="")
    assert "reason" in exc.value.message_dict
    elsewhere = make_org(tree.other_street)  # not one the worker may pick
    with pytest.raises(ValidationError) as exc:
        referral_services.need_refer(
            acting_user=users.worker_a, need=o.need, organization=elsewhere, reason="x"
        )
    assert "organization" in exc.value.message_dict
    wrong = make_resource(o.org, tree.community_a, categories=["legal"], name="法律援助")
    with pytest.raises(ValidationError) as exc:  # a resource of another provider
        referral_services.need_refer(
            acting_user=users.worker_a, need=o.need, organization=other, resource=wrong, reason="x"
        )
    assert "resource" in exc.value.message_dict
    need = referral_services.need_refer(
        acting_user=users.worker_a, need=o.need, organization=None, resource=wrong, reason="法律咨询可解决"
    )
    referral = Referral.objects.get(need=need)
    assert need.status == NeedStatus.MATCHED and need.referred_to == o.org and referral.manual
    assert Resource.objects.get(pk=wrong.pk).remaining == wrong.capacity - 1
    assert "手动转介" in need.steps.last().note  # type: ignore[union-attr]


def test_the_refer_page_refers_by_hand(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    client = login(users.worker_a)
    page = client.get(f"/needs/{o.need.pk}/").content.decode()
    assert f"/needs/{o.need.pk}/refer/" in page
    form = client.get(f"/needs/{o.need.pk}/refer/")
    assert form.status_code == 200 and o.org.name in form.content.decode()
    bad = client.post(f"/needs/{o.need.pk}/refer/", {"organization": o.org.pk, "reason": ""})
    assert bad.status_code == 400 and "转介理由" in bad.content.decode()
    ok = client.post(f"/needs/{o.need.pk}/refer/", {"organization": o.org.pk, "reason": "居民点名要这家"})
    assert ok.status_code == 302
    assert Referral.objects.get(need=o.need).manual


def test_staff_see_the_contact_and_a_phone_reveal_is_an_access_event(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    person = PersonFactory(region=tree.grid_a, name="联系对象", phone="13911112222", address="甲社区1号楼")
    need = make_need(o.household, person=person)
    services.need_accept(acting_user=users.worker_a, need=need, resource=o.resource)
    staff = UserFactory(role=Role.ORG_STAFF, organization=o.org)
    client = login(staff)
    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert "联系对象" in page and "甲社区1号楼" in page and person.phone_masked in page
    assert "13911112222" not in page  # masked until the explicit action
    assert "登记" in page  # the need's history
    assert client.get(f"/needs/{need.pk}/contact/").status_code == 405  # never a GET, never in a URL
    reveals = AccessEvent.objects.filter(kind=AccessEventKind.REVEAL)
    before = reveals.count()
    revealed = client.post(f"/needs/{need.pk}/contact/", HTTP_HX_REQUEST="true")
    assert revealed.status_code == 200 and "13911112222" in revealed.content.decode()
    event = reveals.order_by("-id").first()
    assert reveals.count() == before + 1
    assert event.kind == AccessEventKind.REVEAL and event.user == staff  # type: ignore[union-attr]
    assert event.object_type == "registry.person" and event.object_id == str(person.pk)  # type: ignore[union-attr]
    assert event.detail["purpose"] == "referral" and event.detail["need"] == need.pk  # type: ignore[union-attr]
    # another organization's staff cannot reach it; a leader sees it but may not reveal
    other_staff = UserFactory(role=Role.ORG_STAFF, organization=make_org(tree.street))
    assert login(other_staff).post(f"/needs/{need.pk}/contact/").status_code == 404
    assert login(users.leader).post(f"/needs/{need.pk}/contact/").status_code == 403
    assert reveals.count() == before + 1


def test_an_organization_lists_only_its_own_referrals(tree: Any, users: Any) -> None:
    o, staff, referral = _referred(tree, users)
    other_org = make_org(tree.street)
    other_need = make_need(o.household, description="另一家的需求")
    referral_services.need_refer(
        acting_user=users.worker_a, need=other_need, organization=other_org, reason="x"
    )
    page = login(staff).get("/needs/referrals/").content.decode()
    assert o.need.description in page and "另一家的需求" not in page
    other_page = login(UserFactory(role=Role.ORG_STAFF, organization=other_org)).get("/needs/referrals/")
    assert (
        "另一家的需求" in other_page.content.decode()
        and o.need.description not in other_page.content.decode()
    )
    waiting = login(staff).get("/needs/referrals/?state=waiting").content.decode()
    assert o.need.description in waiting


def test_the_organization_accepts_and_returns_from_the_need_page(tree: Any, users: Any) -> None:
    o, staff, referral = _referred(tree, users)
    client = login(staff)
    page = client.get(f"/needs/{o.need.pk}/").content.decode()
    accept_url, return_url = (
        f"/needs/referrals/{referral.pk}/accept/",
        f"/needs/referrals/{referral.pk}/return/",
    )
    assert accept_url in page and return_url in page
    worker_page = login(users.worker_a).get(f"/needs/{o.need.pk}/").content.decode()
    assert accept_url not in worker_page and return_url not in worker_page
    no_reason = client.post(return_url, {"note": ""}, follow=True)
    assert "退回原因" in no_reason.content.decode()
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.WAITING
    # a social worker cannot answer for the organization
    assert login(users.worker_a).post(accept_url).status_code == 403
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.WAITING
    ok = client.post(f"/needs/referrals/{referral.pk}/return/", {"note": "服务范围不符"})
    assert ok.status_code == 302 and ok["Location"] == "/needs/referrals/"
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.RETURNED


def test_the_step_form_offers_only_what_can_follow(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    client = login(users.worker_a)
    page = client.get(f"/needs/{o.need.pk}/").content.decode()
    form = page[page.index('name="to_status"') : page.index("</select>", page.index('name="to_status"'))]
    assert 'value="to_match"' in form and 'value="in_service"' in form and 'value="unmet"' in form
    assert 'value="assess"' not in form and 'value="matched"' not in form
    assert "推进到" in page and "向后" not in page
    no_rating = client.post(f"/needs/{o.need.pk}/step/", {"to_status": "met"})
    assert no_rating.status_code == 400 and "满意度" in no_rating.content.decode()
    assert Need.objects.get(pk=o.need.pk).status == NeedStatus.ASSESS
    met = client.post(f"/needs/{o.need.pk}/step/", {"to_status": "met", "satisfaction": "satisfied"})
    assert met.status_code == 302 and Need.objects.get(pk=o.need.pk).satisfaction == "satisfied"
    # while a referral waits for the organization, the worker may only end the need
    need = make_need(o.household)
    services.need_accept(acting_user=users.worker_a, need=need, resource=o.resource)
    page = client.get(f"/needs/{need.pk}/").content.decode()
    form = page[page.index('name="to_status"') : page.index("</select>", page.index('name="to_status"'))]
    assert 'value="in_service"' not in form and 'value="unmet"' in form
    assert "等待" in page


def test_referred_needs_get_their_referral_when_migrated(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    Need.objects.filter(pk=o.need.pk).update(referred_to=o.org, status=NeedStatus.IN_SERVICE)
    migration = importlib.import_module("wushe.needs.migrations.0006_referrals")
    migration.referrals_of_referred_needs(apps, None)
    referral = Referral.objects.get(need=o.need)
    assert referral.organization == o.org and referral.state == ReferralState.ACCEPTED
