"""The public 公示 of a fund: no login, an unguessable link, and nothing but that notice."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wushe.core.pdf import pdf_response

from . import selectors
from .models import Fund
from .periods import parse_period


def _fund(token: str) -> Fund:
    fund = Fund.objects.select_related("region", "organization").filter(public_token=token).first()
    if fund is None or len(token) < 20:
        raise Http404
    return fund


@require_GET
def public_notice(request: HttpRequest, token: str, period: str) -> HttpResponse:
    fund = _fund(token)
    start, end, title = parse_period(fund, period)
    context = {
        "n": selectors.notice(fund, start, end, title),
        "period": period,
        "public": True,
        "token": token,
    }
    response = render(request, "funds/public_notice.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def public_notice_pdf(request: HttpRequest, token: str, period: str) -> HttpResponse:
    fund = _fund(token)
    start, end, title = parse_period(fund, period)
    context = {"n": selectors.notice(fund, start, end, title), "period": period, "public": True}
    return pdf_response(
        "funds/notice_pdf.html", context, filename=f"{fund.name}公示-{period}.pdf", inline=True
    )
