"""Every write of the residents' own door: a submission from the public page, its acceptance
into the six steps (through ``appeals.services.appeal_register``, channel 网上) or rejection, the
resident's rating at 反馈 (through ``appeals.services.appeal_satisfaction_record``), and the
one-time rating links of visits and case service records.

The public writes (``submission_create``, ``submission_rate``, ``rating_give``) have no acting
user: the resident has no account. What stands for one is the check code (a submission) or the
link's token (a rating), verified before anything is written; the page counts the attempts
(``ratelimit``).
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.models import User
from wushe.accounts.roles import HANDLE_APPEALS, RECORD_OUTREACH, RECORD_SERVICES
from wushe.appeals.models import Appeal, Category, Channel, Step, Studio
from wushe.appeals.services import appeal_register, appeal_satisfaction_record
from wushe.casework.models import CaseService
from wushe.core import checks
from wushe.core.checks import next_number, require_visible
from wushe.core.crypto import blind_index
from wushe.core.history import actor
from wushe.core.models import Region, RegionLevel, Satisfaction
from wushe.core.permissions import require_perm
from wushe.core.scoping import granted_organization_ids
from wushe.core.validators import mask_phone, normalise_phone
from wushe.registry.identity import normalise_name
from wushe.visits.models import Visit

from .models import RatingKind, RatingLink, RejectReason, Submission, SubmissionStatus

# The consent the page asks for: its text is versioned, the version and the time are stored.
CONSENT_VERSION = "2026-12-v1"
CONSENT_TEXT = gettext_lazy(
    "我同意社区和工作室的工作人员为办理本次诉求使用我填写的姓名、电话和地址，仅用于本次诉求，"
    "不用于其他目的，不提供给与办理无关的单位。"
)

# size limits of every field (the form shows them; the service enforces them)
CONTENT_MAX = 1000
ADDRESS_MAX = 200
NAME_MAX = 50
WORDS_MAX = 500
NOTE_MAX = 200

# check codes: 8 characters without look-alikes (0/O, 1/I/L), shown as XXXX-XXXX
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[: CODE_LENGTH + 4]


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def studio_for(community: Region) -> Studio | None:
    """The studio serving a community: one on the community itself, else the nearest above."""
    ancestors = [int(p) for p in community.path.strip("/").split("/") if p]
    studios = list(Studio.objects.filter(region_id__in=ancestors).select_related("region"))
    return max(studios, key=lambda s: (s.region.depth, -s.pk), default=None)


@dataclass(frozen=True)
class Issued:
    """A new submission and its check code, shown to the resident once and never stored."""

    submission: Submission
    code: str

    @property
    def shown_code(self) -> str:
        return display_code(self.code)


@transaction.atomic
def submission_create(
    *,
    content: str,
    category: str,
    address: str,
    community: Region | None,
    requester_name: str,
    requester_phone: str,
    wants_visit: bool,
    consent: bool,
    at: datetime.datetime | None = None,
) -> Issued:
    """A resident's request from the public page: waits for a community or studio to accept it."""
    if not consent:
        raise ValidationError({"consent": _("请阅读并同意联系信息的使用范围，才能提交")})
    if category not in Category.values:
        raise ValidationError({"category": _("请选择诉求类别")})
    content = checks.text(
        content, "content", max_length=CONTENT_MAX, required=True, message=_("请写下您的诉求")
    )
    address = checks.text(address, "address", max_length=ADDRESS_MAX, required=True, message=_("请填写地点"))
    if community is None or community.level != RegionLevel.COMMUNITY:
        raise ValidationError({"community": _("请选择所在社区")})
    name = checks.text(
        normalise_name(requester_name or ""), "requester_name", max_length=NAME_MAX, required=True,
        message=_("请填写联系人姓名"),
    )  # fmt: skip
    try:
        phone = normalise_phone(requester_phone or "")
    except ValidationError as exc:
        raise ValidationError({"requester_phone": exc.messages}) from None
    when = checks.moment(at)
    code = _new_code()
    prefix = f"WS{timezone.localdate(when).year}-"
    for attempt in range(5):  # two residents submitting at the same moment: the next number
        submission = Submission(
            number=next_number(Submission, prefix, width=6),
            code_hash=make_password(code),
            category=category,
            content=content,
            address=address,
            community=community,
            studio=studio_for(community),
            requester_name=name,
            requester_phone=phone,
            requester_phone_masked=mask_phone(phone),
            wants_visit=bool(wants_visit),
            consent_version=CONSENT_VERSION,
            consent_at=when,
            submitted_at=when,
        )
        try:
            with transaction.atomic():
                submission.save()
        except IntegrityError:
            if attempt == 4:
                raise
            continue
        break
    return Issued(submission=submission, code=code)


def _acts_for_studio(user: User, submission: Submission) -> bool:
    return submission.studio is not None and submission.studio.organization_id in granted_organization_ids(
        user
    )


def _locked_pending(acting_user: User, submission: Submission) -> Submission:
    require_perm(acting_user, HANDLE_APPEALS)
    require_visible(acting_user, submission, "submission")
    locked = (  # the submission's row only (the studio is an outer join, which PostgreSQL cannot lock)
        Submission.objects.select_for_update(of=("self",))
        .select_related("community", "studio__organization")
        .get(pk=submission.pk)
    )
    if locked.status != SubmissionStatus.PENDING:
        raise ValidationError({"submission": _("该提交已经处理过")})
    return locked


def _unit_name(acting_user: User, submission: Submission) -> str:
    if _acts_for_studio(acting_user, submission) and submission.studio is not None:
        return str(submission.studio.organization.name)
    return submission.community.name


@transaction.atomic
def submission_accept(*, acting_user: User, submission: Submission, note: str = "") -> Appeal:
    """受理: the submission becomes a request of channel 网上 at 登记, in the six steps like a
    walk-in; a studio accepting it takes it as its own request."""
    locked = _locked_pending(acting_user, submission)
    studio = locked.studio if _acts_for_studio(acting_user, locked) else None
    content = "\n".join(
        [
            locked.content,
            _("地点：%(a)s") % {"a": locked.address},
            _("希望上门：%(v)s") % {"v": _("是") if locked.wants_visit else _("否")},
        ]
    )
    appeal = appeal_register(
        acting_user=acting_user,
        channel=Channel.ONLINE,
        category=locked.category,
        content=content,
        studio=studio,
        region=locked.community,
        requester_name=locked.requester_name,
        requester_phone=locked.requester_phone,
        at=max(timezone.now(), locked.submitted_at),
        note=checks.text(note, "note", max_length=NOTE_MAX) or _("网上提交 %(n)s") % {"n": locked.number},
    )
    locked.status = SubmissionStatus.ACCEPTED
    locked.appeal = appeal
    locked.decided_at = appeal.registered_at
    locked.decided_by = actor(acting_user)
    locked.decided_unit = _unit_name(acting_user, locked)
    locked.save(update_fields=["status", "appeal", "decided_at", "decided_by", "decided_unit"])
    submission.status, submission.appeal = locked.status, appeal
    return appeal


@transaction.atomic
def submission_reject(
    *, acting_user: User, submission: Submission, reason: str, note: str = ""
) -> Submission:
    """不予受理, with the reason the resident sees on the check page."""
    locked = _locked_pending(acting_user, submission)
    if reason not in RejectReason.values:
        raise ValidationError({"reason": _("请选择不予受理的原因")})
    locked.status = SubmissionStatus.REJECTED
    locked.reject_reason = reason
    locked.reject_note = checks.text(note, "note", max_length=NOTE_MAX)
    locked.decided_at = timezone.now()
    locked.decided_by = actor(acting_user)
    locked.decided_unit = _unit_name(acting_user, locked)
    locked.save(
        update_fields=["status", "reject_reason", "reject_note", "decided_at", "decided_by", "decided_unit"]
    )
    return locked


@transaction.atomic
def submission_rate(*, submission: Submission, satisfaction: str, words: str = "") -> Submission:
    """The resident's rating at 反馈 (the check code already verified by the page): it becomes
    the request's satisfaction, counted in the studio's and the region's satisfaction figures."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.rated_at is not None:
        raise ValidationError({"satisfaction": _("您已经评价过这项诉求")})
    appeal = Appeal.objects.select_for_update().filter(submission=locked).first()
    if appeal is None or appeal.step != Step.FEEDBACK:
        raise ValidationError({"satisfaction": _("诉求办理结果反馈给您之后才能评价")})
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意程度")})
    words = checks.text(words, "words", max_length=WORDS_MAX)
    appeal_satisfaction_record(acting_user=None, appeal=appeal, satisfaction=satisfaction)
    locked.rating_words = words
    locked.rated_at = appeal.satisfaction_asked_at
    locked.save(update_fields=["rating_words", "rated_at"])
    return locked


# ---- one-time rating links of a visit or a case service record --------------------------------


def rating_days() -> int:
    return int(getattr(settings, "WUSHE_PUBLIC_RATING_DAYS", 14))


def token_hash(token: str) -> str:
    return blind_index("rating-link", token)


@transaction.atomic
def rating_link_create(
    *, acting_user: User, visit: Visit | None = None, service: CaseService | None = None
) -> tuple[RatingLink, str]:
    """A link a worker gives a resident to rate one visit or one service record; the token is
    returned once (only its keyed hash is stored)."""
    if (visit is None) == (service is None):
        raise ValidationError({"kind": _("请选择要评价的走访或服务记录")})
    if visit is not None:
        require_perm(acting_user, RECORD_OUTREACH)
        require_visible(acting_user, visit, "visit")
        kind, region = RatingKind.VISIT, visit.region
    else:
        assert service is not None
        require_perm(acting_user, RECORD_SERVICES)
        require_visible(acting_user, service, "service")
        kind, region = RatingKind.SERVICE, service.case.region
    if actor(acting_user) is None:
        raise PermissionDenied(_("评价链接须由工作人员生成"))
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    link = RatingLink.objects.create(
        kind=kind,
        visit=visit,
        service=service,
        region=region,
        token_hash=token_hash(token),
        created_at=now,
        created_by=actor(acting_user),
        expires_at=now + datetime.timedelta(days=rating_days()),
    )
    return link, token


@transaction.atomic
def rating_give(*, token: str, satisfaction: str, words: str = "") -> RatingLink:
    """The resident's rating through a one-time link: refused once used or expired."""
    link = RatingLink.objects.select_for_update().filter(token_hash=token_hash(token or "")).first()
    if link is None or link.expires_at <= timezone.now():
        raise ValidationError({"token": _("评价链接无效或已过期")})
    if link.used_at is not None:
        raise ValidationError({"token": _("这个评价链接已经用过了")})
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意程度")})
    link.satisfaction = satisfaction
    link.words = checks.text(words, "words", max_length=WORDS_MAX)
    link.used_at = timezone.now()
    link.save(update_fields=["satisfaction", "words", "used_at"])
    return link
