"""The workers' pages: the submissions waiting for acceptance (a list page and each one's page,
accept or reject), and a visit's or a service record's resident ratings with the one-time link
a worker makes for the resident."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import (
    HANDLE_APPEALS,
    READ_APPEALS,
    READ_CASES,
    READ_VISITS,
    RECORD_OUTREACH,
    RECORD_SERVICES,
)
from wushe.casework.models import CaseService
from wushe.core.listing import Empty, ListPage
from wushe.core.permissions import page_permission, require_perm
from wushe.core.scoping import get_visible_or_404
from wushe.core.web import AuthedRequest, first_error
from wushe.visits.selectors import get_visit_for_user

from . import selectors, services
from .forms import RejectForm
from .models import RatingKind

SUBMISSIONS = ListPage(
    permission=READ_APPEALS,
    template="portal/submission_list.html",
    records=selectors.submissions_waiting,
    empty=Empty(gettext_lazy("没有等待受理的网上诉求。")),
)
submission_list = SUBMISSIONS.page_view()


def _detail(
    request: HttpRequest, submission: Any, reject_form: RejectForm | None = None, status: int = 200
) -> HttpResponse:
    can = request.user.has_perm(HANDLE_APPEALS) and submission.status == "pending"
    return render(
        request,
        "portal/submission_detail.html",
        {"s": submission, "can_decide": can, "reject_form": reject_form or (RejectForm() if can else None)},
        status=status,
    )


@page_permission(READ_APPEALS)
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_submission_for_user(user=request.user, pk=pk))


@login_required
@require_POST
def submission_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    submission = selectors.get_submission_for_user(user=request.user, pk=pk)
    require_perm(request.user, HANDLE_APPEALS)
    try:
        appeal = services.submission_accept(acting_user=request.user, submission=submission)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
        return _detail(request, submission, status=400)
    messages.success(request, _("已受理，诉求编号 %(n)s，请按六步办理。") % {"n": appeal.number})
    return redirect("appeals:appeal_detail", pk=appeal.pk)


@login_required
@require_POST
def submission_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    submission = selectors.get_submission_for_user(user=request.user, pk=pk)
    require_perm(request.user, HANDLE_APPEALS)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.submission_reject(
                acting_user=request.user,
                submission=submission,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, first_error(exc))
        else:
            messages.success(request, _("已不予受理：%(n)s") % {"n": submission.number})
            return redirect("portal:submission_list")
    return _detail(request, submission, reject_form=form, status=400)


# ---- ratings of a visit or a service record ---------------------------------------------------


def _subject(request: HttpRequest, kind: str, pk: int) -> Any:
    if kind == RatingKind.VISIT:
        return get_visit_for_user(user=request.user, pk=pk)
    return get_visible_or_404(CaseService.objects.select_related("case", "case__region"), request.user, pk=pk)


def _ratings(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    read = READ_VISITS if kind == RatingKind.VISIT else READ_CASES
    write = RECORD_OUTREACH if kind == RatingKind.VISIT else RECORD_SERVICES
    require_perm(request.user, read)
    subject = _subject(request, kind, pk)
    token = ""
    if request.method == "POST":
        require_perm(request.user, write)
        try:
            _link, token = services.rating_link_create(
                acting_user=request.user,  # type: ignore[arg-type]
                **({"visit": subject} if kind == RatingKind.VISIT else {"service": subject}),
            )
        except ValidationError as exc:
            messages.error(request, first_error(exc))
    lookup = {"visit": subject} if kind == RatingKind.VISIT else {"service": subject}
    back = (
        reverse("visits:visit_detail", args=[subject.pk])
        if kind == RatingKind.VISIT
        else reverse("casework:case_detail", args=[subject.case_id])
    )
    return render(
        request,
        "portal/ratings.html",
        {
            "kind": RatingKind(kind),
            "subject": subject,
            "back": back,
            "ratings": list(selectors.ratings_of(user=request.user, **lookup)),
            "link": request.build_absolute_uri(reverse("portal_public:rating", args=[token]))
            if token
            else "",
            "can_create": request.user.has_perm(write),
            "days": services.rating_days(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    return _ratings(request, RatingKind.VISIT, pk)


@login_required
@require_http_methods(["GET", "POST"])
def service_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    return _ratings(request, RatingKind.SERVICE, pk)
