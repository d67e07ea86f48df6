"""Work and income pages — micro-factories (微工厂): investment, workers, monthly pay and output."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import MANAGE_LISTS, RECORD_OUTREACH
from wushe.core.models import RegionLevel
from wushe.core.permissions import page_permission
from wushe.core.web import AuthedRequest
from wushe.registry.picker import person_picker
from wushe.registry.selectors import region_picker

from .. import selectors, services
from ..forms import (
    FactoryForm,
    FactoryMonthForm,
    InvestmentForm,
    WorkerMonthForm,
)
from ..models import Worker
from .common import READ, _can, _form_page, _outreach, _save
from .training import _person


@page_permission(MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def factory_create(request: AuthedRequest) -> HttpResponse:
    form = FactoryForm(
        request.POST or None,
        user=request.user,
        regions=region_picker(user=request.user, levels=(RegionLevel.COMMUNITY,)),
    )
    if request.method == "POST":
        made: list[Any] = []
        if _save(
            request,
            form,
            lambda d: made.append(services.factory_create(acting_user=request.user, **d)),
            _("已登记微工厂"),
        ):
            return redirect("employment:factory_detail", pk=made[0].pk)
    return _form_page(
        request,
        title=_("登记微工厂"),
        back=reverse("employment:factory_list"),
        back_label=_("微工厂"),
        form=form,
    )


def _factory_page(request: HttpRequest, factory: Any, **bound: Any) -> HttpResponse:
    summary = selectors.factory_summary(factory, request.user)
    can = _outreach(request)
    manage = _can(request, MANAGE_LISTS)
    context = {
        "factory": factory,
        "summary": summary,
        "investments": factory.investments.select_related("project", "disbursement__fund").order_by(
            "invested_on"
        ),
        "factory_months": factory.months.order_by("-month")[:12],
        "can_record": can,
        "picker": person_picker(request, title=_("添加务工人员")) if can else None,
        "investment_form": bound.get("investment") or (InvestmentForm(user=request.user) if manage else None),
        "pay_form": bound.get("pay")
        or (WorkerMonthForm(workers=summary.workers) if can and summary.workers else None),
        "month_form": bound.get("month") or (FactoryMonthForm() if can else None),
    }
    return render(request, "employment/factory_detail.html", context, status=400 if bound else 200)


@page_permission(READ)
@require_GET
def factory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _factory_page(request, selectors.get_factory_for_user(request.user, pk))


@page_permission(MANAGE_LISTS)
@require_POST
def factory_investment(request: AuthedRequest, pk: int) -> HttpResponse:
    factory = selectors.get_factory_for_user(request.user, pk)
    form = InvestmentForm(request.POST, user=request.user)
    if _save(
        request,
        form,
        lambda d: services.investment_record(acting_user=request.user, factory=factory, **d),
        _("已登记投入"),
    ):
        return redirect("employment:factory_detail", pk=factory.pk)
    return _factory_page(request, factory, investment=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def factory_worker(request: AuthedRequest, pk: int) -> HttpResponse:
    factory = selectors.get_factory_for_user(request.user, pk)
    person = _person(request)
    if person is None:
        messages.error(request, _("务工人员：所选居民不存在或不在您的管辖范围内"))
    else:
        try:
            services.worker_add(
                acting_user=request.user, factory=factory, person=person, work=request.POST.get("work", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已添加务工人员%(n)s") % {"n": person.name})
    return redirect("employment:factory_detail", pk=factory.pk)


@page_permission(RECORD_OUTREACH)
@require_POST
def factory_pay(request: AuthedRequest, pk: int) -> HttpResponse:
    factory = selectors.get_factory_for_user(request.user, pk)
    workers = selectors.factory_summary(factory, request.user).workers
    form = WorkerMonthForm(request.POST, workers=workers)
    by_pk = {str(w.pk): w for w in workers}
    if _save(
        request,
        form,
        lambda d: services.worker_month_record(
            acting_user=request.user,
            worker=by_pk[d["worker"]],
            month=d["month"],
            pay=d["pay"],
            hours=d["hours"],
            pieces=d["pieces"],
        ),
        _("已记录月报酬"),
    ):
        return redirect("employment:factory_detail", pk=factory.pk)
    return _factory_page(request, factory, pay=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def factory_month(request: AuthedRequest, pk: int) -> HttpResponse:
    factory = selectors.get_factory_for_user(request.user, pk)
    form = FactoryMonthForm(request.POST)
    if _save(
        request,
        form,
        lambda d: services.factory_month_record(acting_user=request.user, factory=factory, **d),
        _("已记录月报"),
    ):
        return redirect("employment:factory_detail", pk=factory.pk)
    return _factory_page(request, factory, month=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def worker_end(request: AuthedRequest, pk: int) -> HttpResponse:
    worker: Worker = selectors.get_worker_for_user(request.user, pk)
    try:
        services.worker_end(acting_user=request.user, worker=worker)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s已结束务工") % {"n": worker.person.name})
    return redirect("employment:factory_detail", pk=worker.factory_id)
