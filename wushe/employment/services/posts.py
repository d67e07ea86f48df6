"""Work and income writes — public-welfare posts (公益岗位): recommendation, approval, placement, leaving and monthly confirmation."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.checks import count, not_future, require_visible, text, today
from wushe.core.history import actor
from wushe.core.models import Region
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.registry.models import Person

from ..models import (
    PostConfirmation,
    Provider,
    Recommendation,
    RecommendationStatus,
    WelfarePost,
)
from .common import _choice, _dates, _month, _outreach, _paid, _resident


@transaction.atomic
def welfare_post_create(
    *,
    acting_user: User | None,
    region: Region,
    provider: str,
    title: str,
    places: int,
    monthly_pay: Decimal | int | str,
    start_on: datetime.date,
    end_on: datetime.date,
) -> WelfarePost:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    _choice(provider, Provider.values, "provider")
    n = count(places, "places", label=_("岗位数"), maximum=100_000)
    if n < 1:
        raise ValidationError({"places": _("岗位数至少为1")})
    _dates(start_on, end_on, start_field="start_on", end_field="end_on")
    return WelfarePost.objects.create(
        region=region,
        provider=provider,
        title=text(title, "title", max_length=100, required=True),
        places=n,
        monthly_pay=_paid(monthly_pay, "monthly_pay"),
        start_on=start_on,
        end_on=end_on,
        created_by=actor(acting_user),
    )


@transaction.atomic
def recommendation_create(
    *, acting_user: User | None, post: WelfarePost, person: Person, reason: str, situation: str
) -> Recommendation:
    """A social worker recommends a resident for a post, saying why and how the household lives."""
    _outreach(acting_user)
    _resident(acting_user, person)
    require_visible(acting_user, post, "post")
    reason = text(reason, "reason", max_length=1000, required=True, message=_("请填写推荐理由"))
    situation = text(situation, "situation", max_length=1000, required=True, message=_("请填写家庭情况"))
    if post.end_on < today():
        raise ValidationError({"post": _("该岗位已到期")})
    open_ = [RecommendationStatus.RECOMMENDED, RecommendationStatus.APPROVED, RecommendationStatus.PLACED]
    if Recommendation.objects.filter(post=post, person=person, status__in=open_).exists():
        raise ValidationError({"person": _("该居民已被推荐到此岗位")})
    return Recommendation.objects.create(
        post=post,
        person=person,
        household_id=person.household_id,
        region_id=person.region_id,
        reason=reason,
        situation=situation,
        created_by=actor(acting_user),
    )


def _lock(rec: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update(of=("self",)).select_related("post").get(pk=rec.pk)


@transaction.atomic
def recommendation_decide(
    *,
    acting_user: User | None,
    recommendation: Recommendation,
    approve: bool,
    note: str = "",
    decided_on: datetime.date | None = None,
) -> Recommendation:
    """The provider approves or refuses (with a reason); the one who recommended cannot."""
    require_perm(acting_user, MANAGE_LISTS)
    rec = _lock(recommendation)
    require_region_in_scope(acting_user, rec.post.region, field="post")
    if rec.status != RecommendationStatus.RECOMMENDED:
        raise ValidationError({"status": _("该推荐已审批")})
    if acting_user is not None and rec.created_by_id == acting_user.pk:
        raise PermissionDenied(_("推荐人不能审批自己的推荐"))
    note = text(note, "note", max_length=200, required=not approve, message=_("不批准须说明理由"))
    day = decided_on or today()
    not_future(day, "decided_on")
    if approve:
        taken = Recommendation.objects.filter(
            post=rec.post, status__in=[RecommendationStatus.APPROVED, RecommendationStatus.PLACED]
        ).count()
        if taken >= rec.post.places:
            raise ValidationError({"post": _("该岗位已无空缺")})
    rec.status = RecommendationStatus.APPROVED if approve else RecommendationStatus.REJECTED
    rec.decided_by, rec.decided_on, rec.decision_note = actor(acting_user), day, note
    rec.save(update_fields=["status", "decided_by", "decided_on", "decision_note"])
    return rec


@transaction.atomic
def placement_start(
    *, acting_user: User | None, recommendation: Recommendation, placed_on: datetime.date | None = None
) -> Recommendation:
    _outreach(acting_user)
    rec = _lock(recommendation)
    if rec.status != RecommendationStatus.APPROVED:
        raise ValidationError({"status": _("只有已批准的推荐才能上岗")})
    day = placed_on or today()
    not_future(day, "placed_on")
    if rec.decided_on and day < rec.decided_on:
        raise ValidationError({"placed_on": _("上岗日期不能早于审批日期")})
    if not rec.post.start_on <= day <= rec.post.end_on:
        raise ValidationError({"placed_on": _("上岗日期须在岗位期限内")})
    rec.status, rec.placed_on = RecommendationStatus.PLACED, day
    rec.save(update_fields=["status", "placed_on"])
    return rec


@transaction.atomic
def placement_end(
    *,
    acting_user: User | None,
    recommendation: Recommendation,
    reason: str,
    left_on: datetime.date | None = None,
) -> Recommendation:
    _outreach(acting_user)
    rec = _lock(recommendation)
    if rec.status != RecommendationStatus.PLACED or rec.placed_on is None:
        raise ValidationError({"status": _("该人员不在岗")})
    reason = text(reason, "reason", max_length=200, required=True, message=_("请填写离岗原因"))
    day = left_on or today()
    not_future(day, "left_on")
    if day < rec.placed_on:
        raise ValidationError({"left_on": _("离岗日期不能早于上岗日期")})
    rec.status, rec.left_on, rec.leave_reason = RecommendationStatus.LEFT, day, reason
    rec.save(update_fields=["status", "left_on", "leave_reason"])
    return rec


@transaction.atomic
def confirmation_record(
    *,
    acting_user: User | None,
    recommendation: Recommendation,
    month: datetime.date,
    working: bool,
    note: str = "",
) -> PostConfirmation:
    """The monthly confirmation that a placed person is at work (recorded again, it is corrected)."""
    _outreach(acting_user)
    if recommendation.placed_on is None:
        raise ValidationError({"recommendation": _("该人员尚未上岗")})
    first = _month(month)
    if first > _month(today()):
        raise ValidationError({"month": _("月份不能晚于本月")})
    end = recommendation.left_on
    if first < _month(recommendation.placed_on) or (end is not None and first > _month(end)):
        raise ValidationError({"month": _("该月份不在在岗期间内")})
    note = text(note, "note", max_length=200, required=not working, message=_("未在岗须说明情况"))
    row, _created = PostConfirmation.objects.update_or_create(
        recommendation=recommendation,
        month=first,
        defaults={"working": bool(working), "note": note, "created_by": actor(acting_user)},
    )
    return row
