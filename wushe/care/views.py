"""The care plans' pages: the list, a plan (its month planned against done, the month's records,
the carers' training, the forms to record both), a new plan for a resident, and a month's gaps
for the provider and the street."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import READ_CASES, RECORD_OUTREACH, RECORD_SERVICES
from wushe.consent.checks import basis_warnings
from wushe.consent.models import DataKind
from wushe.core.checks import today
from wushe.core.forms import apply_service_errors
from wushe.core.permissions import page_permission
from wushe.core.web import AuthedRequest
from wushe.partners.models import Organization

from . import selectors, services
from .forms import PlanForm, RecordForm, TrainingForm
from .models import PlanKind


@page_permission(READ_CASES)
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:60]
    kind = request.GET.get("kind", "")
    filters = selectors.PlanFilters(
        q=q, kind=kind if kind in PlanKind.values else "", active=bool(request.GET.get("active"))
    )
    plans = selectors.plan_list(user=request.user, filters=filters)[:200]
    return render(
        request,
        "care/plan_list.html",
        {"plans": plans, "q": q, "kind": filters.kind, "kinds": PlanKind.choices, "active": filters.active},
    )


def _detail_context(request: HttpRequest, pk: int) -> dict[str, object]:
    plan = selectors.get_plan_for_user(request.user, pk)
    month = selectors.parse_month(request.GET.get("month"), today())
    first, last = selectors.month_bounds(month)
    return {
        "plan": plan,
        "month": month,
        "pm": selectors.plan_month(plan, month),
        "records": selectors.record_list(user=request.user, plan=plan).filter(
            served_on__gte=first, served_on__lte=last
        ),
        "trainings": plan.trainings.all()[:50],
        "can_record": request.user.has_perm(RECORD_SERVICES),
    }


@page_permission(READ_CASES)
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = _detail_context(request, pk)
    context.update(record_form=RecordForm(), training_form=TrainingForm())
    return render(request, "care/plan_detail.html", context)


@page_permission(RECORD_OUTREACH)
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, pk)
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.care_plan_create(
                acting_user=request.user,
                person=person,
                kind=data["kind"],
                self_care=data["self_care"],
                needs=data["needs"],
                assessed_on=data["assessed_on"],
                provider=data["provider"],
                workers=data["workers"],
                started_on=data["started_on"],
                review_on=data["review_on"],
                services=form.service_lines(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已建立照护计划"))
            for warning in basis_warnings(person, [DataKind.HEALTH]):  # a care plan holds health data
                messages.warning(request, warning)
            return redirect("care:plan_detail", plan.pk)
    return render(request, "care/plan_form.html", {"form": form, "person": person})


@page_permission(RECORD_SERVICES)
@require_POST
def record_create(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    form = RecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.service_record_create(
                acting_user=request.user,
                plan=plan,
                service_type=data["service_type"],
                served_on=data["served_on"],
                minutes=data["minutes"],
                worker=data["worker"],
                content=data["content"],
                satisfaction=data["satisfaction"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记服务"))
            return redirect(reverse("care:plan_detail", args=[plan.pk]) + f"?month={record.served_on:%Y-%m}")
    context = _detail_context(request, pk)
    context.update(record_form=form, training_form=TrainingForm())
    return render(request, "care/plan_detail.html", context, status=422)


@page_permission(RECORD_SERVICES)
@require_POST
def training_create(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    form = TrainingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.carer_training_create(acting_user=request.user, plan=plan, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记照护者培训"))
            return redirect("care:plan_detail", plan.pk)
    context = _detail_context(request, pk)
    context.update(record_form=RecordForm(), training_form=form)
    return render(request, "care/plan_detail.html", context, status=422)


@page_permission(READ_CASES)
@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    month = selectors.parse_month(request.GET.get("month"), today())
    try:
        provider = int(request.GET.get("provider") or 0) or None
    except ValueError:
        provider = None
    rows = selectors.month_gaps(user=request.user, month=month, provider=provider)
    providers = Organization.objects.filter(
        id__in=selectors.plan_list(user=request.user).values("provider_id")
    )
    return render(
        request,
        "care/gaps.html",
        {"rows": rows, "month": month, "provider": provider, "providers": providers.order_by("name")},
    )
