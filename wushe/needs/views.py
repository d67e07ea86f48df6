"""The needs pages (需求清单): the list, one need with its steps and matching suggestions,
registering a need, moving it on, accepting a suggestion, rating; the problems list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import RECORD_OUTREACH, WORK_NEEDS
from wushe.core.forms import apply_service_errors
from wushe.core.listing import ListPage
from wushe.core.regions import ancestor_ids
from wushe.partners.models import Resource, ResponsibilityUnit
from wushe.projects.models import Project
from wushe.registry.listing import filtered_region, list_export
from wushe.registry.selectors import get_household_for_user, get_person_for_user, sees_registry

from . import selectors, services
from .forms import AcceptForm, NeedFilterForm, NeedForm, ProblemFilterForm, RateForm, ResolveForm, StepForm
from .matching import need_suggestions
from .models import OPEN_STATUSES, NeedStatus, ProblemStatus


def _errors(request: HttpRequest, errors: Any) -> None:
    for field, msgs in errors.items():
        for m in msgs:
            messages.error(request, f"{field}：{m}" if field != "__all__" else str(m))


NEEDS = ListPage(
    template="needs/need_list.html",
    fragment="needs/_need_table.html",
    form=NeedFilterForm,
    records=selectors.need_list,
    export=list_export(gettext_lazy("需求清单"), "needs", obj=filtered_region),
    context=lambda request, listing: {"today": timezone.localdate(), "links": sees_registry(request.user)},
)
need_list = NEEDS.page_view()
need_export = NEEDS.export_view()


def _detail(request: HttpRequest, pk: int, **extra: Any) -> HttpResponse:
    need = selectors.get_need_for_user(user=request.user, pk=pk)
    can_record = request.user.has_perm(RECORD_OUTREACH)
    suggestions = (
        need_suggestions(need=need)
        if can_record and need.status in (NeedStatus.ASSESS, NeedStatus.TO_MATCH)
        else []
    )
    context = {
        "need": need,
        "links": sees_registry(request.user),
        "steps": selectors.need_steps(need=need),
        "suggestions": suggestions,
        "can_record": can_record,
        "can_work": request.user.has_perm(WORK_NEEDS) and need.status in OPEN_STATUSES,
        "step_form": StepForm(),
        "rate_form": RateForm(),
        "can_rate": request.user.has_perm(WORK_NEEDS)
        and need.status == NeedStatus.MET
        and not need.satisfaction,
    }
    context.update(extra)
    return render(request, "needs/need_detail.html", context, status=400 if extra.get("invalid") else 200)


@login_required
@require_GET
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@login_required
@permission_required(WORK_NEEDS, raise_exception=True)
@require_POST
def need_step(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.get_need_for_user(user=request.user, pk=pk)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.need_advance(acting_user=request.user, need=need, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已更新需求状态"))
            return redirect("needs:need_detail", pk=need.pk)
    return _detail(request, pk, step_form=form, invalid=True)


@login_required
@permission_required(WORK_NEEDS, raise_exception=True)
@require_POST
def need_rate(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.get_need_for_user(user=request.user, pk=pk)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.need_rate(
                acting_user=request.user, need=need, satisfaction=form.cleaned_data["satisfaction"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已记录满意度"))
            return redirect("needs:need_detail", pk=need.pk)
    return _detail(request, pk, rate_form=form, invalid=True)


@login_required
@permission_required(RECORD_OUTREACH, raise_exception=True)
@require_POST
def need_accept(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.get_need_for_user(user=request.user, pk=pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        _errors(request, form.errors)
        return redirect("needs:need_detail", pk=need.pk)
    kind, target_id = form.cleaned_data["kind"], form.cleaned_data["target"]
    target = (Resource if kind == "resource" else Project).objects.filter(pk=target_id).first()
    if target is None:
        messages.error(request, _("所选资源或项目不存在"))
        return redirect("needs:need_detail", pk=need.pk)
    try:
        need = services.need_accept(
            acting_user=request.user,
            need=need,
            resource=target if kind == "resource" else None,
            project=target if kind == "project" else None,
        )
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(
            request, _("已转介至%(org)s") % {"org": need.referred_to.name if need.referred_to else ""}
        )
    return redirect("needs:need_detail", pk=need.pk)


@login_required
@permission_required(RECORD_OUTREACH, raise_exception=True)
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    household_id, person_id = source.get("household", ""), source.get("person", "")
    if not household_id and not person_id:
        raise Http404
    household = get_household_for_user(user=request.user, pk=household_id) if household_id else None
    person = get_person_for_user(user=request.user, pk=person_id) if person_id else None
    region = (household or person).region  # type: ignore[union-attr]
    units = list(
        ResponsibilityUnit.objects.filter(region_id__in=ancestor_ids(region), active=True).order_by(
            "-region__depth", "name"
        )[:50]
    )
    form = NeedForm(request.POST or None, categories=selectors.category_list(), units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            need = services.need_create(
                acting_user=request.user,
                household=household,
                person=person,
                category=d["category"],
                description=d["description"],
                urgency=d["urgency"],
                source=d["source"],
                responsible_unit=form.unit_obj(),
                responsible_person=d["responsible_person"],
                deadline=d["deadline"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记需求"))
            return redirect("needs:need_detail", pk=need.pk)
    return render(request, "needs/need_form.html", {"form": form, "household": household, "person": person})


PROBLEMS = ListPage(
    template="needs/problem_list.html",
    fragment="needs/_problem_table.html",
    form=ProblemFilterForm,
    records=selectors.problem_list,
    export=list_export(gettext_lazy("问题清单"), "problems"),
    context=lambda request, listing: {
        "status": listing.filters.status,
        "subject": listing.filters.subject,
        "statuses": ProblemStatus.choices,
        "can_record": request.user.has_perm(RECORD_OUTREACH),
        "resolve_form": ResolveForm(),
    },
)
problem_list = PROBLEMS.page_view()
problem_export = PROBLEMS.export_view()


@login_required
@permission_required(RECORD_OUTREACH, raise_exception=True)
@require_POST
def problem_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.get_problem_for_user(user=request.user, pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.problem_resolve(acting_user=request.user, problem=problem, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已记录问题解决情况"))
            return redirect("needs:problem_list")
    for field, msgs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for m in msgs:
            messages.error(request, f"{label}：{m}" if label else str(m))
    return redirect("needs:problem_list")
