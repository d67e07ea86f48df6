"""The public pages: no login. A resident submits a request, checks it with its number and check
code (POSTed, never in a URL) and rates it at 反馈; a one-time link rates a visit or a service.

Abuse is contained here without an outside CAPTCHA: a body larger than
``WUSHE_PUBLIC_MAX_BODY_BYTES`` is refused before it is read (413), a filled honeypot is
refused, submissions are counted per IP address and per phone number, wrong check codes per IP
address and per number (``ratelimit``), and CSRF is checked as on every wushe form. Nothing a
resident typed is logged or put in a URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wushe.core.forms import apply_service_errors
from wushe.core.web import client_ip

from . import ratelimit, selectors, services
from .forms import CheckForm, RateForm, RequestForm
from .models import Submission

MAX_BODY_DEFAULT = 16 * 1024


def _client_ip(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _too_large(request: HttpRequest) -> bool:
    limit = int(getattr(settings, "WUSHE_PUBLIC_MAX_BODY_BYTES", MAX_BODY_DEFAULT))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > limit


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, template, {"public": True, **context}, status=status)
    response["X-Robots-Tag"] = "noindex"
    # same-origin, not no-referrer: with no-referrer a browser posts "Origin: null", which CSRF refuses
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"  # a code shown once, a request's progress: never kept by a cache
    return response


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return _page(request, "portal/public_refused.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, "portal/request_new.html", {"form": RequestForm()})
    if _too_large(request):
        return _refused(request, _("提交的内容太长了，请删减后再试。"), 413)
    form = RequestForm(request.POST)
    ip = _client_ip(request)
    if form.is_robot:
        return _refused(request, _("提交没有成功。请刷新页面后重新填写。"), 400)
    if ratelimit.exceeded("submit-ip", ip, "WUSHE_PUBLIC_RATE_IP"):
        return _refused(request, _("提交太频繁了，请稍后再试，或直接拨打社区电话。"), 429)
    proposed = None
    if form.is_valid():
        data = form.cleaned_data
        community = (
            selectors.communities().filter(pk=data["community"]).first() if data["community"] else None
        )
        if community is None:
            proposed = selectors.propose_community(data["address"])
            if proposed is not None:  # shown for the resident to confirm, not submitted yet
                form = RequestForm({**request.POST.dict(), "community": str(proposed.pk)})
                form.is_valid()
                form.describe_errors()
                return _page(request, "portal/request_new.html", {"form": form, "proposed": proposed})
            form.add_error("community", _("没能根据地点找到社区，请在列表中选择您所在的社区"))
        elif ratelimit.exceeded("submit-phone", data["requester_phone"], "WUSHE_PUBLIC_RATE_PHONE"):
            return _refused(request, _("这个电话号码今天已经提交过多次，请等候工作人员联系。"), 429)
        else:
            try:
                issued = services.submission_create(
                    content=data["content"],
                    category=data["category"],
                    address=data["address"],
                    community=community,
                    requester_name=data["requester_name"],
                    requester_phone=data["requester_phone"],
                    wants_visit=data["wants_visit"] == "yes",
                    consent=data["consent"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                ratelimit.count("submit-ip", ip, "WUSHE_PUBLIC_RATE_IP")
                ratelimit.count("submit-phone", issued.submission.requester_phone, "WUSHE_PUBLIC_RATE_PHONE")
                # the code is shown here, once: no redirect, nothing in the URL or the session
                return _page(request, "portal/request_done.html", {"issued": issued}, status=201)
    form.describe_errors()
    return _page(request, "portal/request_new.html", {"form": form}, status=400)


def _verified(request: HttpRequest, form: CheckForm) -> tuple[Submission | None, HttpResponse | None]:
    """The submission the posted number and code open, counting wrong codes (per IP address and
    per number); a refusal page once either has too many."""
    ip = _client_ip(request)
    number = form.cleaned_data["number"].strip().upper()
    if ratelimit.exceeded("check-ip", ip, "WUSHE_PUBLIC_RATE_CHECK") or ratelimit.exceeded(
        "check-number", number, "WUSHE_PUBLIC_RATE_CHECK"
    ):
        return None, _refused(request, _("查询码输错次数太多，请一小时后再试。"), 429)
    submission = selectors.submission_by_number_and_code(number, form.cleaned_data["code"])
    if submission is None:
        ratelimit.count("check-ip", ip, "WUSHE_PUBLIC_RATE_CHECK")
        ratelimit.count("check-number", number, "WUSHE_PUBLIC_RATE_CHECK")
        form.add_error(None, _("编号或查询码不对，请核对后再试。"))
    return submission, None


def _status_page(
    request: HttpRequest,
    submission: Submission,
    form: CheckForm,
    rate_form: RateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    shown = selectors.status_of(submission)
    context = {
        "status": shown,
        "number": form.cleaned_data["number"],
        "code": form.cleaned_data["code"],
        "rate_form": rate_form or (RateForm() if shown.may_rate else None),
    }
    return _page(request, "portal/request_status.html", context, status=status)


@require_http_methods(["GET", "POST"])
def request_check(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: number and code (never in a URL) → the status; with a satisfaction in
    the same POST (the status page's rating form carries number and code again), the rating."""
    if request.method == "GET":
        return _page(request, "portal/request_check.html", {"form": CheckForm()})
    if _too_large(request):
        return _refused(request, _("提交的内容太长了。"), 413)
    form = CheckForm(request.POST)
    if not form.is_valid():
        form.describe_errors()
        return _page(request, "portal/request_check.html", {"form": form}, status=400)
    submission, refused = _verified(request, form)
    if refused is not None:
        return refused
    if submission is None:
        form.describe_errors()
        return _page(request, "portal/request_check.html", {"form": form}, status=400)
    if "satisfaction" not in request.POST:
        return _status_page(request, submission, form)
    rate_form = RateForm(request.POST)
    if rate_form.is_valid():
        try:
            submission = services.submission_rate(
                submission=submission,
                satisfaction=rate_form.cleaned_data["satisfaction"],
                words=rate_form.cleaned_data["words"],
            )
        except ValidationError as exc:
            apply_service_errors(rate_form, exc)
        else:
            return _status_page(request, submission, form)
    rate_form.describe_errors()
    return _status_page(request, submission, form, rate_form=rate_form, status=400)


@require_http_methods(["GET", "POST"])
def rating(request: HttpRequest, token: str) -> HttpResponse:
    """A one-time link: the rating form while the link works; a page saying it no longer does."""
    if len(token) > 64:
        raise Http404
    if request.method == "POST" and _too_large(request):
        return _refused(request, _("提交的内容太长了。"), 413)
    link = selectors.link_for_token(token)
    if link is None:
        return _refused(request, _("这个评价链接已经用过或已过期。谢谢您！"), 410)
    form = RateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_give(
                token=token, satisfaction=form.cleaned_data["satisfaction"], words=form.cleaned_data["words"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _page(request, "portal/rating_done.html", {})
    if request.method == "POST":
        form.describe_errors()
    subject = link.visit if link.visit is not None else link.service
    on = getattr(subject, "visited_on", None) or getattr(subject, "on", None)
    return _page(
        request,
        "portal/rating.html",
        {"form": form, "link": link, "on": on, "unit": link.region.name},
        status=400 if request.method == "POST" else 200,
    )
