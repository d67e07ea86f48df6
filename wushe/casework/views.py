"""Pages of case work: the case list and its export, opening a case, its page and its steps
(advance, reopen, service records). Groups are ``group_views``, activities ``activity_views``.
Reads through ``selectors`` (an object out of scope is the same 404 as a missing one), writes
through ``services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import READ_CASES, RECORD_SERVICES
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, ListPage, Sort, choice_order
from wushe.core.permissions import require_perm
from wushe.core.web import AuthedRequest, by_pk
from wushe.registry.listing import list_export
from wushe.registry.picker import person_picker

from . import selectors, services
from .forms import (
    CaseAdvanceForm,
    CaseFilterForm,
    CaseOpenForm,
    CaseReopenForm,
    CaseServiceForm,
)
from .models import CASE_ORDER, Case, CaseStage
from .pages import can_record
from .services import SERVICE_ORG_KINDS

if TYPE_CHECKING:
    pass


# ---- cases ----------------------------------------------------------------------------------


CASE_SORTS = (
    Sort("number", gettext_lazy("编号"), ("number",), descending_first=True),
    Sort("person", gettext_lazy("服务对象"), ("person__name_pinyin",)),
    Sort("stage", gettext_lazy("阶段"), (choice_order("stage", CASE_ORDER),)),
    Sort("organization", gettext_lazy("承接机构"), ("organization__name",)),
    Sort("worker", gettext_lazy("负责社工"), ("worker__username",)),
    Sort("opened", gettext_lazy("接案日期"), ("opened_on",), descending_first=True),
    Sort("due", gettext_lazy("下次待办"), ("next_due",)),
)

CASES = ListPage(
    permission=READ_CASES,
    template="casework/case_list.html",
    fragment="casework/_case_table.html",
    form=CaseFilterForm,
    records=selectors.case_list,
    export=list_export(gettext_lazy("个案"), "cases"),
    context=lambda request, listing: {"today": timezone.localdate(), **can_record(request, listing)},
    sorts=CASE_SORTS,
    empty=Empty(
        gettext_lazy("还没有个案。接案后，个案按 接案→评估→计划→介入→结案 记录每一步。"),
        action=gettext_lazy("开个案"),
        url="casework:case_create",
        permission=RECORD_SERVICES,
    ),
)
case_list = CASES.page_view()
case_export = CASES.export_view()


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, RECORD_SERVICES)
    picker = person_picker(request, title=_("第一步：选择服务对象"))
    orgs = selectors.service_organizations(user=request.user, kinds=SERVICE_ORG_KINDS)
    form = CaseOpenForm(request.POST or None, orgs=orgs, initial={"opened_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if picker["chosen"] is None:
            form.add_error(None, _("请先选择服务对象"))
        else:
            d = form.cleaned_data
            try:
                case = services.case_open(
                    acting_user=request.user,
                    person=picker["chosen"],
                    reason=d["reason"],
                    opened_on=d["opened_on"],
                    organization=by_pk(orgs, d["organization"]),
                    project=d["project"],
                    next_due=d["next_due"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已接案：%(n)s") % {"n": case.number})
                return redirect("casework:case_detail", pk=case.pk)
    return render(
        request,
        "casework/form_page.html",
        {
            "title": _("接案"),
            "back_url": reverse("casework:case_list"),
            "back_label": _("个案"),
            "picker": picker,
            "form": form if picker["chosen"] else None,
            "submit": _("接案"),
        },
    )


def _case_context(request: HttpRequest, case: Any, **forms: Any) -> dict[str, Any]:
    steps, records = selectors.case_timeline(case)
    today = timezone.localdate()
    can = request.user.has_perm(RECORD_SERVICES)
    closed = case.stage == CaseStage.CLOSED
    return {
        "case": case,
        "steps": steps,
        "records": records,
        "can_record": can,
        "closed": closed,
        "advance_form": forms.get("advance")
        or (CaseAdvanceForm(initial={"on": today}) if can and not closed else None),
        "service_form": forms.get("service")
        or (CaseServiceForm(initial={"on": today}) if can and not closed else None),
        "reopen_form": forms.get("reopen")
        or (CaseReopenForm(initial={"on": today}) if can and closed else None),
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case_for_user(user=request.user, pk=pk)
    return render(request, "casework/case_detail.html", _case_context(request, case))


def _case_action(
    request: HttpRequest,
    pk: int,
    form_cls: type[forms.Form],
    key: str,
    run: Callable[[Case, dict[str, Any]], None],
) -> HttpResponse:
    case = selectors.get_case_for_user(user=request.user, pk=pk)
    require_perm(request.user, RECORD_SERVICES)
    form = form_cls(request.POST)
    if form.is_valid():
        try:
            run(case, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("casework:case_detail", pk=case.pk)
    case.refresh_from_db()
    return render(
        request, "casework/case_detail.html", _case_context(request, case, **{key: form}), status=400
    )


@login_required
@require_POST
def case_advance(request: AuthedRequest, pk: int) -> HttpResponse:
    def run(case: Case, d: dict[str, Any]) -> None:
        services.case_advance(
            acting_user=request.user,
            case=case,
            stage=d["stage"],
            on=d["on"],
            note=d["note"],
            goals=d["goals"],
            next_due=d["next_due"],
            follow_up_on=d["follow_up_on"],
        )

    return _case_action(request, pk, CaseAdvanceForm, "advance", run)


@login_required
@require_POST
def case_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    def run(case: Case, d: dict[str, Any]) -> None:
        services.case_reopen(acting_user=request.user, case=case, on=d["on"], note=d["note"])

    return _case_action(request, pk, CaseReopenForm, "reopen", run)


@login_required
@require_POST
def case_service_add(request: AuthedRequest, pk: int) -> HttpResponse:
    def run(case: Case, d: dict[str, Any]) -> None:
        services.case_service_record(
            acting_user=request.user,
            case=case,
            on=d["on"],
            minutes=d["minutes"],
            content=d["content"],
            need_refs=d["need_refs"],
            next_due=d["next_due"],
        )

    return _case_action(request, pk, CaseServiceForm, "service", run)
