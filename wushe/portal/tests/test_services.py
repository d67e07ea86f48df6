"""Submissions: created with a hashed code and the consent kept, accepted into the six steps as
channel 网上 (and only then in the request list), rejected with a reason, rated at 反馈 into the
request's satisfaction; one-time rating links: once, and not after they expire."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import UserFactory
from wushe.accounts.roles import Role
from wushe.appeals import services as appeals
from wushe.appeals.models import Appeal, Channel, Step
from wushe.appeals.selectors import appeal_list
from wushe.core.metrics import Scope
from wushe.portal import selectors, services
from wushe.portal.models import RatingLink, Submission, SubmissionStatus

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_a_submission_keeps_a_hash_of_the_code_the_consent_and_a_masked_phone(tree: Any, studio: Any) -> None:
    issued = submit(tree.community_a)
    s = Submission.objects.get(pk=issued.submission.pk)
    assert s.number.startswith(f"WS{timezone.localdate().year}-") and s.status == SubmissionStatus.PENDING
    assert issued.code not in s.code_hash and len(issued.code) == services.CODE_LENGTH
    assert s.requester_phone == "13912345678" and s.requester_phone_masked == "139****5678"
    assert s.consent_version == services.CONSENT_VERSION and s.consent_at is not None
    assert s.studio == studio  # the studio on the community serves it
    assert selectors.submission_by_number_and_code(s.number, issued.code) == s
    assert selectors.submission_by_number_and_code(s.number, issued.shown_code.lower()) == s
    assert selectors.submission_by_number_and_code(s.number, "ABCDEFGH") is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("consent", False), ("content", ""), ("content", "字" * 1001), ("requester_phone", "123"),
     ("category", "other"), ("address", "")],
)  # fmt: skip
def test_a_submission_is_refused_naming_the_field(tree: Any, field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as err:
        submit(tree.community_a, **{field: value})
    assert field in err.value.message_dict
    assert not Submission.objects.exists()


def test_the_community_must_be_a_community(tree: Any) -> None:
    with pytest.raises(ValidationError) as err:
        submit(tree.street)
    assert "community" in err.value.message_dict


def test_accepted_it_becomes_an_online_request_and_only_then_is_listed(
    tree: Any, users: Any, studio: Any, unit: Any
) -> None:
    issued = submit(tree.community_a)
    assert not appeal_list(user=users.worker_a).exists()
    appeal = services.submission_accept(acting_user=users.worker_a, submission=issued.submission)
    assert appeal.channel == Channel.ONLINE and appeal.step == Step.REGISTER and appeal.studio is None
    assert appeal.region == tree.community_a and appeal.requester_phone == "13912345678"
    assert "甲社区3号楼" in appeal.content
    assert list(appeal_list(user=users.worker_a)) == [appeal]
    s = Submission.objects.get(pk=issued.submission.pk)
    assert s.status == SubmissionStatus.ACCEPTED and s.appeal == appeal and s.decided_unit == "甲社区"
    # the resident's number now also finds it
    assert selectors.submission_by_number_and_code(appeal.number, issued.code) == s
    with pytest.raises(ValidationError):  # once
        services.submission_accept(acting_user=users.worker_a, submission=s)


def test_a_studio_accepts_it_as_its_own_request(tree: Any, studio: Any) -> None:
    studio_user = UserFactory(username="studio_a", role=Role.STUDIO, organization=studio.organization)
    issued = submit(tree.community_a)
    assert list(selectors.submissions_waiting(user=studio_user)) == [issued.submission]
    appeal = services.submission_accept(acting_user=studio_user, submission=issued.submission)
    assert appeal.studio == studio
    assert Submission.objects.get(pk=issued.submission.pk).decided_unit == "甲社区工作室"


def test_the_waiting_list_is_scoped(tree: Any, users: Any) -> None:
    a = submit(tree.community_a).submission
    b = submit(tree.community_b, requester_phone="13912340000").submission
    assert list(selectors.submissions_waiting(user=users.worker_a)) == [a]
    assert list(selectors.submissions_waiting(user=users.worker_b)) == [b]
    assert list(selectors.submissions_waiting(user=users.street_admin)) == [a, b]
    assert not selectors.submissions_waiting(user=users.nobody).exists()
    with pytest.raises(ValidationError):  # not the worker's community
        services.submission_accept(acting_user=users.worker_a, submission=b)
    with pytest.raises(PermissionDenied):  # a leader reads, never accepts
        services.submission_accept(acting_user=users.leader, submission=a)


def test_rejected_with_a_reason_it_leaves_the_waiting_list(tree: Any, users: Any) -> None:
    issued = submit(tree.community_a)
    with pytest.raises(ValidationError) as err:
        services.submission_reject(acting_user=users.worker_a, submission=issued.submission, reason="")
    assert "reason" in err.value.message_dict
    services.submission_reject(acting_user=users.worker_a, submission=issued.submission, reason="duplicate")
    assert not selectors.submissions_waiting(user=users.worker_a).exists()
    status = selectors.status_of(Submission.objects.get(pk=issued.submission.pk))
    assert status.reject_reason == "重复提交" and not status.steps
    assert not Appeal.objects.exists()


def _to_feedback(appeal: Appeal, user: Any, unit: Any) -> Appeal:
    appeals.appeal_receive(acting_user=user, appeal=appeal, note="电话联系了居民")
    appeals.appeal_refer(acting_user=user, appeal=appeal, unit=unit)
    appeals.appeal_handle(acting_user=user, appeal=appeal, resolution="换了灯泡", resolved=True)
    return appeals.appeal_feedback(acting_user=user, appeal=appeal, feedback="已修好")


def test_the_resident_rates_at_feedback_and_the_satisfaction_figure_counts_it(
    tree: Any, users: Any, unit: Any
) -> None:
    issued = submit(tree.community_a)
    appeal = services.submission_accept(acting_user=users.worker_a, submission=issued.submission)
    s = Submission.objects.get(pk=issued.submission.pk)
    with pytest.raises(ValidationError):  # not before 反馈
        services.submission_rate(submission=s, satisfaction="satisfied")
    _to_feedback(appeal, users.worker_a, unit)
    status = selectors.status_of(s)
    assert status.may_rate and [st.label for st in status.steps] == ["登记", "接待", "转办", "处理", "反馈"]
    assert {st.unit for st in status.steps} == {"甲社区", "甲社区居委会"}  # units only, no staff names
    assert str(users.worker_a) not in repr(status)
    services.submission_rate(submission=s, satisfaction="basic", words="修得快")
    appeal.refresh_from_db()
    assert appeal.satisfaction == "basic" and appeal.satisfaction_asked_at is not None
    with pytest.raises(ValidationError):  # once
        services.submission_rate(submission=Submission.objects.get(pk=s.pk), satisfaction="unsatisfied")
    from wushe.appeals.metrics import satisfaction_rate

    assert satisfaction_rate(Scope(region=tree.community_a)) == 100
    appeals.appeal_archive(acting_user=users.worker_a, appeal=appeal)  # the rating lets it be archived


def test_a_rating_link_works_once_and_not_after_it_expires(tree: Any, users: Any) -> None:
    from tests.factories import PersonFactory
    from tests.outreach_factories import make_visit
    from wushe.registry.services import household_create

    household = household_create(acting_user=None, head=PersonFactory(region=tree.grid_a))
    visit = make_visit(household)
    with pytest.raises(ValidationError):  # a visit of another community
        services.rating_link_create(acting_user=users.worker_b, visit=visit)
    link, token = services.rating_link_create(acting_user=users.worker_a, visit=visit)
    assert token not in link.token_hash and selectors.link_for_token(token) == link
    services.rating_give(token=token, satisfaction="satisfied", words="很耐心")
    with pytest.raises(ValidationError):
        services.rating_give(token=token, satisfaction="unsatisfied")
    assert selectors.link_for_token(token) is None
    stored = RatingLink.objects.get(pk=link.pk)
    assert stored.satisfaction == "satisfied" and stored.words == "很耐心"
    assert list(selectors.ratings_of(user=users.worker_a, visit=visit)) == [stored]
    from wushe.portal.metrics import ratings, ratings_satisfaction_rate

    assert ratings(Scope(region=tree.community_a)) == 1
    assert ratings_satisfaction_rate(Scope(region=tree.community_a)) == 100

    late, late_token = services.rating_link_create(acting_user=users.worker_a, visit=visit)
    RatingLink.objects.filter(pk=late.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.rating_give(token=late_token, satisfaction="satisfied")


def test_the_address_proposes_the_community(tree: Any) -> None:
    assert selectors.propose_community("市西街道乙社区5号楼") == tree.community_b
    assert selectors.propose_community("不知道在哪") is None
