"""The subsidies' pages: applications (list, new, one with its steps and the step form), the
monthly roster of a region (approval, payment, the bank's batch export) and the worklist
(应享未享 and the periodic reviews due)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import MANAGE_PERSONS, PAY_SUBSIDY, READ_REGISTRY, REVEAL_BANK_ACCOUNT
from wushe.core.checks import today
from wushe.core.exports import Column, xlsx_response
from wushe.core.forms import apply_service_errors
from wushe.core.models import Region
from wushe.core.permissions import page_permission
from wushe.core.web import AuthedRequest, service_error_messages

from . import selectors, services
from .access import is_street_admin, street_of
from .eligibility import month_start, parse_month
from .forms import ApplicationForm, StepForm
from .models import Kind, LineKind, RosterStatus, Status, Step
from .rosters import rebuild_differences


def _month(request: HttpRequest, source: Any = None) -> datetime.date:
    text = (source if source is not None else request.GET).get("month", "")
    try:
        return parse_month(text) if text else month_start(today())
    except ValidationError:
        return month_start(today())


def _region(request: AuthedRequest, source: Any = None) -> Region:
    """The region asked for (by code or id), else the user's first visible street (or region)."""
    code = (source if source is not None else request.GET).get("region", "")
    if code:
        return selectors.get_region_for_user(user=request.user, code_or_pk=str(code)[:20])
    first = (
        selectors.streets(user=request.user).first()
        or Region.objects.visible_to(request.user).order_by("path").first()
    )
    if first is None:
        raise PermissionDenied(_("您没有可查看的区域"))
    return first


def _roster_url(region: Region, month: datetime.date) -> str:
    return reverse("subsidies:roster") + "?" + urlencode({"region": region.code, "month": f"{month:%Y-%m}"})


@page_permission(READ_REGISTRY)
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    status = status if status in Status.values else ""
    kind = kind if kind in Kind.values else ""
    page = Paginator(selectors.applications(user=request.user, status=status, kind=kind), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "kind": kind,
        "statuses": Status.choices,
        "kinds": Kind.choices,
        "waiting": selectors.waiting(user=request.user)[:20],
        "streets": selectors.streets(user=request.user)[:50],
        "month": f"{month_start(today()):%Y-%m}",
    }
    return render(request, "subsidies/index.html", context)


@page_permission(MANAGE_PERSONS)
@require_http_methods(["GET", "POST"])
def application_create(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(user=request.user, pk=pk)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                acting_user=request.user,
                person=person,
                kind=data["kind"],
                applicant=data["applicant"],
                applicant_name=data["applicant_name"],
                bank_name=data["bank_name"],
                bank_account=data["bank_account"],
                applied_on=data["applied_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已提交补贴申请，等待乡镇（街道）初审"))
            return redirect("subsidies:application_detail", pk=application.pk)
    eligibility = selectors.person_subsidies(user=request.user, person=person, month=today())
    return render(
        request,
        "subsidies/application_form.html",
        {"person": person, "form": form, "eligibility": eligibility},
    )


def _detail_context(request: AuthedRequest, application: Any, form: StepForm | None = None) -> dict[str, Any]:
    step = services.next_step(application)
    may = bool(step) and services.may_act(request.user, application, step or "")
    may_review = application.status == Status.APPROVED and is_street_admin(request.user, application.region)
    return {
        "a": application,
        "steps": application.steps.select_related("by"),
        "next_step": Step(step).label if step else "",
        "may_act": may,
        "may_review": may_review,
        "form": form or StepForm(),
        "eligibility": selectors.person_subsidies(
            user=request.user, person=application.person, month=today()
        ),
    }


@page_permission(READ_REGISTRY)
@require_GET
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = selectors.get_application_for_user(user=request.user, pk=pk)
    return render(request, "subsidies/application_detail.html", _detail_context(request, application))


@page_permission(READ_REGISTRY)
@require_POST
def application_step(request: AuthedRequest, pk: int) -> HttpResponse:
    application = selectors.get_application_for_user(user=request.user, pk=pk)
    form = StepForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("step") == Step.REVIEW:
                services.application_review(
                    acting_user=request.user,
                    application=application,
                    passed=data["passed"],
                    note=data["note"],
                )
            else:
                services.application_decide(
                    acting_user=request.user,
                    application=application,
                    step=request.POST.get("step", "")[:10],
                    passed=data["passed"],
                    note=data["note"],
                    publicity_days=data["publicity_days"] or 0,
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            if "step" in getattr(exc, "error_dict", {}):
                service_error_messages(request, exc)
        else:
            messages.success(request, _("已办理"))
            return redirect("subsidies:application_detail", pk=application.pk)
    application.refresh_from_db()
    return render(
        request, "subsidies/application_detail.html", _detail_context(request, application, form), status=422
    )


@page_permission(READ_REGISTRY)
@require_GET
def roster(request: AuthedRequest) -> HttpResponse:
    region = _region(request)
    month = _month(request)
    computed = selectors.roster(user=request.user, region=region, month=month)
    street = street_of(region)
    approved = computed.approved
    context = {
        "region": region,
        "street": street,
        "month": month,
        "month_text": f"{month:%Y-%m}",
        "c": computed,
        "summary": computed.summary(),
        "pay_lines": [x for x in computed.lines if x.line == LineKind.PAY],
        "stopped": [x for x in computed.lines if x.line == LineKind.STOP],
        "corrections": computed.corrections(),
        "differences": rebuild_differences(approved) if approved else [],
        "may_approve": (
            approved is None
            and street is not None
            and street.pk == region.pk
            and month <= month_start(today())
            and is_street_admin(request.user, region)
        ),
        "may_pay": approved is not None
        and approved.status != RosterStatus.PAID
        and request.user.has_perm(PAY_SUBSIDY),
        "may_export": approved is not None and request.user.has_perm(PAY_SUBSIDY),
        "streets": selectors.streets(user=request.user)[:50],
    }
    return render(request, "subsidies/roster.html", context)


@page_permission(READ_REGISTRY)
@require_POST
def roster_approve(request: AuthedRequest) -> HttpResponse:
    region = _region(request, request.POST)
    month = _month(request, request.POST)
    try:
        services.roster_approve(acting_user=request.user, region=region, month=month)
    except ValidationError as exc:
        service_error_messages(request, exc)
    else:
        messages.success(request, _("名册已审定，按审定内容发放"))
    return redirect(_roster_url(region, month))


@page_permission(PAY_SUBSIDY)
@require_POST
def roster_pay(request: AuthedRequest) -> HttpResponse:
    region = _region(request, request.POST)
    month = _month(request, request.POST)
    approved = selectors.rosters(user=request.user).filter(region=region, month=month).first()
    if approved is None:
        messages.error(request, _("该月名册尚未审定"))
    else:
        try:
            services.roster_pay(acting_user=request.user, roster=approved)
        except ValidationError as exc:
            service_error_messages(request, exc)
        else:
            messages.success(request, _("已确认发放"))
    return redirect(_roster_url(region, month))


@page_permission(PAY_SUBSIDY)
@require_GET
def roster_export(request: AuthedRequest) -> HttpResponseBase:
    """The approved roster in the layout of a bank's batch transfer (name, account, amount), one
    row per person: the month's payment and its corrections netted. The full account only for the
    role that pays; the export is an audit event."""
    region = _region(request)
    month = _month(request)
    computed = selectors.roster(user=request.user, region=region, month=month)
    if computed.approved is None:
        messages.error(request, _("名册审定后才能导出发放"))
        return redirect(_roster_url(region, month))
    totals: dict[int, list[Any]] = {}
    for x in computed.lines:
        row = totals.setdefault(x.application.pk, [x.application, 0])
        row[1] += x.amount
    rows = [(a, amount) for a, amount in totals.values() if amount > 0]
    reveal = request.user.has_perm(REVEAL_BANK_ACCOUNT)
    columns = [
        Column(_("户名"), lambda r: r[0].person.name, 14),
        Column(_("账号"), lambda r: r[0].bank_account_masked, 26, revealed=lambda r: r[0].bank_account),
        Column(_("金额（元）"), lambda r: r[1], 14),
        Column(_("开户银行"), lambda r: r[0].bank_name, 20),
        Column(_("摘要"), lambda r: f"{r[0].get_kind_display()} {month:%Y-%m}", 30),
    ]
    return xlsx_response(
        request,
        rows=rows,
        columns=columns,
        title=_("%(r)s %(m)s 残疾人两项补贴发放（合计 %(a)s 元）")
        % {"r": region.name, "m": f"{month:%Y-%m}", "a": f"{sum((r[1] for r in rows), 0):.2f}"},
        sheet=_("批量代发"),
        filename=f"subsidy-{region.code}-{month:%Y%m}.xlsx",
        export="subsidy_roster",
        filters={"region": region.code, "month": f"{month:%Y-%m}"},
        reveal=reveal,
        obj=computed.approved,
    )


@page_permission(READ_REGISTRY)
@require_GET
def worklist(request: AuthedRequest) -> HttpResponse:
    region = _region(request)
    month = _month(request)
    context = {
        "region": region,
        "month_text": f"{month:%Y-%m}",
        "unclaimed": selectors.unclaimed(user=request.user, region=region, month=month)[:500],
        "reviews": selectors.reviews_due(user=request.user, region=region),
        "streets": selectors.streets(user=request.user)[:50],
        "can_apply": request.user.has_perm(MANAGE_PERSONS),
    }
    return render(request, "subsidies/worklist.html", context)
