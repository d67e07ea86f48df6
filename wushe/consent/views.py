"""The consent pages: record a consent or a statutory basis for a person, withdraw one, see a
scan (scoped, an access event each time), and the report of people whose sensitive data is held
without consent or basis (with its export). The person page's section is ``sections.py``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts.roles import MANAGE_PERSONS, READ_REGISTRY
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, Listing, ListPage
from wushe.core.permissions import page_permission
from wushe.core.web import AuthedRequest
from wushe.registry.listing import filtered_region, list_export
from wushe.registry.selectors import get_person_for_user

from . import selectors, services
from .forms import BasisForm, ConsentForm, ReportFilterForm, WithdrawForm


def _person_url(pk: int) -> HttpResponse:
    return redirect("registry:person_detail", pk=pk)


@page_permission(MANAGE_PERSONS)
@require_http_methods(["GET", "POST"])
def consent_create(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(user=request.user, pk=pk)
    form = ConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.consent_record(
                acting_user=request.user,
                person=person,
                kinds=d["kinds"],
                purpose_kind=d["purpose_kind"],
                purpose=d["purpose"],
                given_by=d["given_by"],
                guardian_name=d["guardian_name"],
                guardian_relation=d["guardian_relation"],
                method=d["method"],
                given_on=d["given_on"],
                scan=d["scan"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记%(name)s的同意") % {"name": person.name})
            return _person_url(person.pk)
    status = 400 if form.errors else 200
    title = _("登记同意")
    return render(
        request, "consent/form.html", {"person": person, "form": form, "title": title}, status=status
    )


@page_permission(MANAGE_PERSONS)
@require_http_methods(["GET", "POST"])
def basis_create(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(user=request.user, pk=pk)
    form = BasisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.basis_record(
                acting_user=request.user,
                person=person,
                kinds=d["kinds"],
                basis=d["basis"],
                basis_text=d["basis_text"],
                purpose_kind=d["purpose_kind"],
                purpose=d["purpose"],
                on=d["on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记%(name)s的法定处理依据") % {"name": person.name})
            return _person_url(person.pk)
    status = 400 if form.errors else 200
    title = _("登记法定依据")
    return render(
        request, "consent/form.html", {"person": person, "form": form, "title": title}, status=status
    )


@page_permission(MANAGE_PERSONS)
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    consent = selectors.get_consent_for_user(user=request.user, pk=pk)
    form = WithdrawForm(request.POST or None, consent=consent.is_consent)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.consent_withdraw(
                acting_user=request.user,
                consent=consent,
                by_party=d.get("by_party", ""),
                method=d.get("method", ""),
                stops=d["stops"],
                on=d["on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已记录撤回"))
            return _person_url(consent.person_id)
    status = 400 if form.errors else 200
    return render(
        request,
        "consent/withdraw.html",
        {"person": consent.person, "consent": consent, "form": form},
        status=status,
    )


@page_permission(READ_REGISTRY)
@require_GET
def consent_scan(request: AuthedRequest, pk: int) -> FileResponse:
    consent = selectors.get_consent_for_user(user=request.user, pk=pk)
    try:
        handle = services.consent_scan_open(user=request.user, consent=consent, request=request)
    except ValidationError:
        raise Http404 from None
    response = FileResponse(handle, content_type=consent.scan_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


def _report_context(request: HttpRequest, listing: Listing) -> dict[str, Any]:
    persons = list(listing.page.object_list) if listing.page is not None else []
    kinds = selectors.report_row_kinds(persons)
    return {"rows": [(p, kinds.get(p.pk, [])) for p in persons]}


REPORT = ListPage(
    permission=READ_REGISTRY,
    template="consent/report.html",
    records=selectors.without_basis,
    form=ReportFilterForm,
    context=_report_context,
    export=list_export(
        gettext_lazy("无同意或法定依据的敏感信息"), "consent.without_basis", obj=filtered_region
    ),
    empty=Empty(gettext_lazy("所有持有敏感信息的居民都已登记同意或法定依据。")),
)
report = REPORT.page_view()
report_export = REPORT.export_view()
