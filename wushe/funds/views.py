"""The funds' pages: the list, a fund (balance, committee, statement by restriction, entries),
its Excel statement, donations with their printable receipt, disbursement requests with the
committee's votes, rejection and payment, corrections, and the 公示 for staff."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import (
    APPROVE_DISBURSEMENT,
    MANAGE_LISTS,
    PAY_DISBURSEMENT,
    READ_FUNDS,
    RECORD_OUTREACH,
)
from wushe.core.checks import today
from wushe.core.exports import Column, xlsx_response
from wushe.core.forms import apply_service_errors
from wushe.core.pdf import pdf_response
from wushe.core.permissions import page_permission
from wushe.core.web import AuthedRequest, first_error
from wushe.registry.models import Household

from . import selectors, services
from .forms import DisbursementForm, DonationForm, PayForm, RejectForm, ReverseForm
from .models import Donation, DonorKind, FundEntry, Restriction
from .periods import current_quarter, parse_period


def _dates(request: HttpRequest) -> tuple[datetime.date, datetime.date]:
    end = today()
    start = end.replace(month=1, day=1)
    try:
        if request.GET.get("from"):
            start = datetime.date.fromisoformat(request.GET["from"])
        if request.GET.get("to"):
            end = datetime.date.fromisoformat(request.GET["to"])
    except ValueError:
        pass
    return (start, end) if start <= end else (end, start)


@page_permission(READ_FUNDS)
@require_GET
def fund_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:60]
    funds = list(selectors.fund_list(user=request.user, q=q))
    balances = selectors.balances_of(funds)
    rows = [(f, balances.get(f.pk)) for f in funds]
    return render(request, "funds/fund_list.html", {"rows": rows, "q": q})


@page_permission(READ_FUNDS)
@require_GET
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.get_fund_for_user(request.user, pk)
    start, end = _dates(request)
    statement = selectors.statement(fund, start, end)
    context = {
        "fund": fund,
        "statement": statement,
        "committee": fund.committee.select_related("user").order_by("role", "id"),
        "donations": selectors.donation_list(user=request.user, fund=fund)[:20],
        "disbursements": selectors.disbursement_list(user=request.user, fund=fund)[:20],
        "balance": selectors.statement(fund, end, end).closing,
        "can_manage": request.user.has_perm(MANAGE_LISTS),
        "full": selectors.sees_details(request.user),
        "quarter": current_quarter(end),
    }
    return render(request, "funds/fund_detail.html", context)


@page_permission(READ_FUNDS)
@require_GET
def fund_statement_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    fund = selectors.get_fund_for_user(request.user, pk)
    start, end = _dates(request)
    s = selectors.statement(fund, start, end)
    columns = [
        Column(_("发生日期"), lambda e: e.occurred_on, 12),
        Column(_("类型"), lambda e: e.type_label, 12),
        Column(_("资金性质"), lambda e: e.pool_label, 14),
        Column(_("收入（元）"), lambda e: e.amount if e.amount > 0 else "", 14),
        Column(_("支出（元）"), lambda e: -e.amount if e.amount < 0 else "", 14),
        Column(_("摘要"), lambda e: e.memo, 36),
        Column(_("冲正的分录"), lambda e: e.reverses_id or "", 10),
    ]
    return xlsx_response(
        request,
        rows=s.entries,
        columns=columns,
        title=_("%(f)s收支明细 %(a)s至%(b)s（期初%(o)s元，收入%(i)s元，支出%(x)s元，期末%(c)s元）")
        % {
            "f": fund.name,
            "a": start,
            "b": end,
            "o": s.opening,
            "i": s.inflow,
            "x": s.outflow,
            "c": s.closing,
        },
        sheet=_("收支明细"),
        filename=f"fund-{fund.pk}-{start}-{end}.xlsx",
        export="fund_statement",
        filters={"fund": fund.pk, "from": str(start), "to": str(end)},
        obj=fund,
    )


@page_permission(MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def donation_create(request: AuthedRequest, pk: int) -> HttpResponse:
    fund = selectors.get_fund_for_user(request.user, pk)
    form = DonationForm(request.POST or None, user=request.user, fund=fund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            donation = services.donation_record(
                acting_user=request.user,
                fund=fund,
                amount=data["amount"],
                donated_on=data["donated_on"],
                channel=data["channel"],
                donor_kind=data["donor_kind"],
                display=data["display"],
                donor_name=data["donor_name"],
                item=data["item"],
                restriction=Restriction.PROJECT if data["project"] else "",
                restricted_to=data["project"],
                receipt_number=data["receipt_number"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记捐赠并开具票据"))
            return redirect("funds:donation_detail", donation.pk)
    return render(request, "funds/donation_form.html", {"form": form, "fund": fund})


def _donation(request: HttpRequest, pk: int) -> Donation:
    return selectors.get_donation_for_user(request.user, pk)


@page_permission(READ_FUNDS)
@require_GET
def donation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    donation = _donation(request, pk)
    return render(
        request,
        "funds/donation_detail.html",
        {"donation": donation, "receipt": getattr(donation, "receipt", None), "DonorKind": DonorKind},
    )


@page_permission(READ_FUNDS)
@require_GET
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    donation = _donation(request, pk)
    receipt = getattr(donation, "receipt", None)
    if receipt is None:
        from django.http import Http404

        raise Http404
    return pdf_response(
        "funds/receipt_pdf.html",
        {"donation": donation, "receipt": receipt, "title": _("公益事业捐赠票据")},
        filename=f"捐赠票据-{receipt.number}.pdf",
        request=request,
    )


@page_permission(RECORD_OUTREACH)
@require_http_methods(["GET", "POST"])
def disbursement_create(request: AuthedRequest, pk: int) -> HttpResponse:
    fund = selectors.get_fund_for_user(request.user, pk)
    initial = (
        {"household": request.GET.get("household")} if request.GET.get("household", "").isdigit() else {}
    )
    form = DisbursementForm(request.POST or None, user=request.user, fund=fund, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = None
        if data["household"]:
            household = Household.objects.visible_to(request.user).filter(pk=data["household"]).first()
            if household is None:
                form.add_error("household", _("所选对象不存在或不在您的管辖范围内"))
        if not form.errors:
            try:
                d = services.disbursement_request(
                    acting_user=request.user,
                    fund=fund,
                    amount=data["amount"],
                    purpose=data["purpose"],
                    project=data["project"],
                    household=household,
                    attachments=data["attachments"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已提交支出申请，等待管委会审批"))
                return redirect("funds:disbursement_detail", d.pk)
    return render(request, "funds/disbursement_form.html", {"form": form, "fund": fund})


@page_permission(READ_FUNDS)
@require_GET
def disbursement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.get_disbursement_for_user(request.user, pk)
    user = request.user
    context = {
        "d": d,
        "votes": d.votes.select_related("user"),
        "full": selectors.sees_details(user),
        "recipient": selectors.recipient_public_name(d),
        "can_vote": user.has_perm(APPROVE_DISBURSEMENT) or user.has_perm(MANAGE_LISTS),
        "can_pay": user.has_perm(PAY_DISBURSEMENT),
        "reject_form": RejectForm(),
        "pay_form": PayForm(),
    }
    return render(request, "funds/disbursement_detail.html", context)


def _act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    d = selectors.get_disbursement_for_user(request.user, pk)
    try:
        if action == "approve":
            services.disbursement_approve(acting_user=request.user, disbursement=d)
            messages.success(request, _("已记录您的审批意见"))
        elif action == "reject":
            form = RejectForm(request.POST)
            services.disbursement_reject(
                acting_user=request.user,
                disbursement=d,
                reason=form.data.get("reason", ""),
            )
            messages.success(request, _("已驳回该申请"))
        else:
            pay = PayForm(request.POST)
            paid_on = pay.cleaned_data["paid_on"] if pay.is_valid() else None
            services.disbursement_pay(
                acting_user=request.user,
                disbursement=d,
                method=pay.data.get("method", ""),
                voucher_number=pay.data.get("voucher_number", ""),
                paid_on=paid_on,
            )
            messages.success(request, _("已支付"))
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    return redirect("funds:disbursement_detail", d.pk)


@login_required  # a committee member, or the street above its threshold: the service decides
@require_POST
def disbursement_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "approve")


@page_permission(APPROVE_DISBURSEMENT)
@require_POST
def disbursement_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "reject")


@page_permission(PAY_DISBURSEMENT)
@require_POST
def disbursement_pay(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "pay")


@page_permission(MANAGE_LISTS)
@require_POST
def entry_reverse(request: AuthedRequest, pk: int) -> HttpResponse:
    funds = selectors.fund_list(user=request.user).values("id")
    entry = FundEntry.objects.filter(pk=pk, fund__in=funds).select_related("fund").first()
    if entry is None:
        from django.http import Http404

        raise Http404
    form = ReverseForm(request.POST)
    try:
        services.entry_reverse(acting_user=request.user, entry=entry, reason=form.data.get("reason", ""))
        messages.success(request, _("已记冲正分录，原分录保留"))
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    return redirect("funds:fund_detail", entry.fund_id)


@page_permission(READ_FUNDS)
@require_GET
def notice(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    fund = selectors.get_fund_for_user(request.user, pk)
    start, end, title = parse_period(fund, period)
    context = {"n": selectors.notice(fund, start, end, title), "period": period, "public": False}
    if request.GET.get("format") == "pdf":
        return pdf_response(
            "funds/notice_pdf.html", context, filename=f"{fund.name}公示-{period}.pdf", request=request
        )
    return render(request, "funds/notice.html", context)
