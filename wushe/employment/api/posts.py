"""Work and income API — public-welfare posts (公益岗位): recommendation, approval, placement, leaving and monthly confirmation."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.api import ErrorOut
from wushe.core.dates import Date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.permissions import require_perm
from wushe.core.web import AuthedRequest
from wushe.registry.models import Person

from .. import selectors, services
from ..models import (
    Recommendation,
    WelfarePost,
)
from .common import WRITE_ERRORS, _pick, _reader, _region, router, yuan


class PostOut(Schema):
    id: int
    title: str
    provider: str
    region: str
    region_name: str
    places: int
    monthly_pay: str
    start_on: datetime.date
    end_on: datetime.date
    placed: int
    waiting: int


class RecommendationOut(Schema):
    id: int
    post: int
    person: int
    name: str
    household: int | None
    reason: str
    situation: str
    status: str
    decided_on: datetime.date | None
    decision_note: str
    placed_on: datetime.date | None
    left_on: datetime.date | None
    leave_reason: str
    confirmed_months: list[str]


class PostDetailOut(PostOut):
    recommendations: list[RecommendationOut]


class PostIn(Schema):
    region: str = Field(..., max_length=20)
    provider: str = Field(..., max_length=10)
    title: str = Field(..., max_length=100)
    places: int = Field(..., ge=1, le=100_000)
    monthly_pay: Decimal = Field(..., ge=0, max_digits=10, decimal_places=2)
    start_on: Date
    end_on: Date


def _recommendation_out(r: Recommendation) -> dict[str, Any]:
    return {
        "id": r.pk,
        "post": r.post_id,
        "person": r.person_id,
        "name": r.person.name,
        "household": r.household_id,
        "reason": r.reason,
        "situation": r.situation,
        "status": r.status,
        "decided_on": r.decided_on,
        "decision_note": r.decision_note,
        "placed_on": r.placed_on,
        "left_on": r.left_on,
        "leave_reason": r.leave_reason,
        "confirmed_months": [f"{c.month:%Y-%m}" for c in r.confirmations.all() if c.working],
    }


def _post_out(p: WelfarePost, request: HttpRequest, detail: bool = False) -> dict[str, Any]:
    recs = list(selectors.post_recommendations(p, request.user)) if detail else []
    out = {
        "id": p.pk,
        "title": p.title,
        "provider": p.provider,
        "region": p.region.code,
        "region_name": p.region.name,
        "places": p.places,
        "monthly_pay": yuan(p.monthly_pay),
        "start_on": p.start_on,
        "end_on": p.end_on,
        "placed": getattr(p, "placed", None) if not detail else sum(1 for r in recs if r.status == "placed"),
        "waiting": getattr(p, "waiting", None)
        if not detail
        else sum(1 for r in recs if r.status == "recommended"),
    }
    if detail:
        out["recommendations"] = [_recommendation_out(r) for r in recs]
    return out


@router.get(
    "/welfare-posts",
    response={200: list[PostOut], 403: ErrorOut, 422: ErrorOut},
    summary="Public-welfare posts (公益岗位)",
)
@paginate(LimitOffsetPagination)
def welfare_posts(request: HttpRequest, q: str = Query("", max_length=60)) -> Any:
    _reader(request)
    return [_post_out(p, request) for p in selectors.post_list(user=request.user, q=q)]


@router.post("/welfare-posts", response={201: PostDetailOut, **WRITE_ERRORS})
def welfare_post_create(request: AuthedRequest, payload: PostIn) -> Any:
    require_perm(request.user, MANAGE_LISTS)  # before the region: who may not create gets 403
    p = services.welfare_post_create(
        acting_user=request.user,
        region=_region(request, payload.region),
        provider=payload.provider,
        title=payload.title,
        places=payload.places,
        monthly_pay=payload.monthly_pay,
        start_on=payload.start_on,
        end_on=payload.end_on,
    )
    return Status(201, _post_out(selectors.get_post_for_user(request.user, p.pk), request, detail=True))


@router.get(
    "/welfare-posts/{post_id}", response={200: PostDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def welfare_post_detail(request: HttpRequest, post_id: int) -> Any:
    _reader(request)
    return _post_out(selectors.get_post_for_user(request.user, post_id), request, detail=True)


class RecommendIn(Schema):
    person: int = Field(..., ge=1, le=MAX_ID)
    reason: str = Field(..., max_length=1000)
    situation: str = Field(..., max_length=1000)


@router.post("/welfare-posts/{post_id}/recommendations", response={201: RecommendationOut, **WRITE_ERRORS})
def welfare_post_recommend(request: AuthedRequest, post_id: int, payload: RecommendIn) -> Any:
    post = selectors.get_post_for_user(request.user, post_id)
    r = services.recommendation_create(
        acting_user=request.user,
        post=post,
        person=_pick(Person, request.user, payload.person, "person"),
        reason=payload.reason,
        situation=payload.situation,
    )
    return Status(201, _recommendation_out(r))


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=200)
    decided_on: Date | None = None


def _rec(request: HttpRequest, pk: int) -> Recommendation:
    return selectors.get_recommendation_for_user(request.user, pk)


def _rec_out(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _recommendation_out(_rec(request, pk))


@router.post(
    "/welfare-posts/recommendations/{rec_id}/decide", response={200: RecommendationOut, **WRITE_ERRORS}
)
def welfare_post_decide(request: AuthedRequest, rec_id: int, payload: DecisionIn) -> Any:
    services.recommendation_decide(
        acting_user=request.user,
        recommendation=_rec(request, rec_id),
        approve=payload.approve,
        note=payload.note,
        decided_on=payload.decided_on,
    )
    return _rec_out(request, rec_id)


class PlaceIn(Schema):
    placed_on: Date | None = None


@router.post(
    "/welfare-posts/recommendations/{rec_id}/place", response={200: RecommendationOut, **WRITE_ERRORS}
)
def welfare_post_place(request: AuthedRequest, rec_id: int, payload: PlaceIn) -> Any:
    services.placement_start(
        acting_user=request.user, recommendation=_rec(request, rec_id), placed_on=payload.placed_on
    )
    return _rec_out(request, rec_id)


class LeaveIn(Schema):
    reason: str = Field(..., max_length=200)
    left_on: Date | None = None


@router.post(
    "/welfare-posts/recommendations/{rec_id}/leave", response={200: RecommendationOut, **WRITE_ERRORS}
)
def welfare_post_leave(request: AuthedRequest, rec_id: int, payload: LeaveIn) -> Any:
    services.placement_end(
        acting_user=request.user,
        recommendation=_rec(request, rec_id),
        reason=payload.reason,
        left_on=payload.left_on,
    )
    return _rec_out(request, rec_id)


class ConfirmIn(Schema):
    month: Date
    working: bool
    note: str = Field("", max_length=200)


@router.post(
    "/welfare-posts/recommendations/{rec_id}/confirmations", response={200: RecommendationOut, **WRITE_ERRORS}
)
def welfare_post_confirm(request: AuthedRequest, rec_id: int, payload: ConfirmIn) -> Any:
    services.confirmation_record(
        acting_user=request.user,
        recommendation=_rec(request, rec_id),
        month=payload.month,
        working=payload.working,
        note=payload.note,
    )
    return _rec_out(request, rec_id)
