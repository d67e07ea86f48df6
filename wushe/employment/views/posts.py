"""Work and income pages — public-welfare posts (公益岗位): recommendation, approval, placement, leaving and monthly confirmation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import MANAGE_LISTS, RECORD_OUTREACH
from wushe.core.models import AREA_LEVELS
from wushe.core.permissions import page_permission
from wushe.core.web import AuthedRequest
from wushe.registry.picker import person_picker
from wushe.registry.selectors import region_picker

from .. import selectors, services
from ..forms import (
    ConfirmForm,
    DecisionForm,
    LeaveForm,
    PlaceForm,
    PostForm,
    RecommendForm,
)
from .common import READ, _can, _form_page, _outreach, _save
from .training import _person


@page_permission(MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def post_create(request: AuthedRequest) -> HttpResponse:
    form = PostForm(request.POST or None, regions=region_picker(user=request.user, levels=AREA_LEVELS))
    if request.method == "POST":
        made: list[Any] = []
        if _save(
            request,
            form,
            lambda d: made.append(services.welfare_post_create(acting_user=request.user, **d)),
            _("已登记公益岗位"),
        ):
            return redirect("employment:post_detail", pk=made[0].pk)
    return _form_page(
        request,
        title=_("登记公益岗位"),
        back=reverse("employment:post_list"),
        back_label=_("公益岗位"),
        form=form,
    )


def _post_page(request: HttpRequest, post: Any, **bound: Any) -> HttpResponse:
    can = _outreach(request)
    context = {
        "post": post,
        "recommendations": list(selectors.post_recommendations(post, request.user)),
        "can_record": can,
        "can_decide": _can(request, MANAGE_LISTS),
        "picker": person_picker(request, title=_("推荐：选择居民")) if can else None,
        "recommend_form": bound.get("recommend") or (RecommendForm() if can else None),
        "decision_form": DecisionForm(),
        "place_form": PlaceForm(),
        "leave_form": LeaveForm(),
        "confirm_form": ConfirmForm(),
        "errors": bound.get("errors"),
    }
    return render(request, "employment/post_detail.html", context, status=400 if bound else 200)


@page_permission(READ)
@require_GET
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_page(request, selectors.get_post_for_user(request.user, pk))


@page_permission(RECORD_OUTREACH)
@require_POST
def post_recommend(request: AuthedRequest, pk: int) -> HttpResponse:
    post = selectors.get_post_for_user(request.user, pk)
    form = RecommendForm(request.POST)
    person = _person(request)
    if person is None:
        form.is_valid()
        form.add_error(None, _("推荐人员：所选居民不存在或不在您的管辖范围内"))
        return _post_page(request, post, recommend=form)
    if _save(
        request,
        form,
        lambda d: services.recommendation_create(acting_user=request.user, post=post, person=person, **d),
        _("已推荐%(n)s") % {"n": person.name},
    ):
        return redirect("employment:post_detail", pk=post.pk)
    return _post_page(request, post, recommend=form)


def _recommendation_step(
    request: AuthedRequest,
    pk: int,
    form_class: type[forms.Form],
    write: Callable[[Any, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    rec = selectors.get_recommendation_for_user(request.user, pk)
    form = form_class(request.POST)
    if _save(request, form, lambda d: write(rec, d), done):
        return redirect("employment:post_detail", pk=rec.post_id)
    errors = [str(e) for errs in form.errors.values() for e in errs]
    return _post_page(request, rec.post, errors=errors)


@page_permission(MANAGE_LISTS)
@require_POST
def recommendation_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        DecisionForm,
        lambda rec, d: services.recommendation_decide(
            acting_user=request.user, recommendation=rec, approve=d["approve"], note=d["note"]
        ),
        _("已审批"),
    )


@page_permission(RECORD_OUTREACH)
@require_POST
def recommendation_place(request: AuthedRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        PlaceForm,
        lambda rec, d: services.placement_start(
            acting_user=request.user, recommendation=rec, placed_on=d["placed_on"]
        ),
        _("已上岗"),
    )


@page_permission(RECORD_OUTREACH)
@require_POST
def recommendation_leave(request: AuthedRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        LeaveForm,
        lambda rec, d: services.placement_end(
            acting_user=request.user, recommendation=rec, reason=d["reason"], left_on=d["left_on"]
        ),
        _("已登记离岗"),
    )


@page_permission(RECORD_OUTREACH)
@require_POST
def recommendation_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    return _recommendation_step(
        request,
        pk,
        ConfirmForm,
        lambda rec, d: services.confirmation_record(
            acting_user=request.user,
            recommendation=rec,
            month=d["month"],
            working=d["working"],
            note=d["note"],
        ),
        _("已确认本月在岗情况"),
    )
