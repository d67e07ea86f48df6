"""Work and income pages — job fairs: enterprises, positions, applications, hires and their follow-up."""

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
from wushe.core.models import AREA_LEVELS
from wushe.core.permissions import page_permission
from wushe.core.web import AuthedRequest
from wushe.registry.picker import person_picker
from wushe.registry.selectors import region_picker

from .. import selectors, services
from ..forms import (
    DecideForm,
    EnterpriseForm,
    FairForm,
    HireFollowUpForm,
    PositionForm,
)
from ..models import FairEnterprise
from .common import READ, _can, _form_page, _outreach, _save
from .training import _person


@page_permission(MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def fair_create(request: AuthedRequest) -> HttpResponse:
    form = FairForm(request.POST or None, regions=region_picker(user=request.user, levels=AREA_LEVELS))
    if request.method == "POST":
        made: list[Any] = []
        if _save(
            request,
            form,
            lambda d: made.append(services.job_fair_create(acting_user=request.user, **d)),
            _("已登记招聘会"),
        ):
            return redirect("employment:fair_detail", pk=made[0].pk)
    return _form_page(
        request,
        title=_("登记招聘会"),
        back=reverse("employment:fair_list"),
        back_label=_("招聘会"),
        form=form,
    )


def _fair_page(request: HttpRequest, fair: Any, **bound: Any) -> HttpResponse:
    enterprises = selectors.fair_enterprises(fair)
    applications = list(selectors.fair_applications(fair, request.user))
    can = _outreach(request)
    manage = _can(request, MANAGE_LISTS)
    positions = [p for e in enterprises for p in e.positions.all()]
    context = {
        "fair": fair,
        "enterprises": enterprises,
        "positions": positions,
        "openings": sum(p.openings for p in positions),
        "applications": applications,
        "hires": sum(1 for a in applications if a.status == "hired"),
        "can_record": can,
        "manage": manage,
        "enterprise_form": bound.get("enterprise") or (EnterpriseForm() if manage else None),
        "position_form": bound.get("position")
        or (PositionForm(enterprises=enterprises) if manage and enterprises else None),
        "picker": person_picker(request, title=_("求职登记：选择居民")) if can and positions else None,
        "decide_form": bound.get("decide")
        or (DecideForm(applications=applications) if can and applications else None),
        "hire_form": bound.get("hire")
        or (HireFollowUpForm(applications=applications) if can and applications else None),
    }
    return render(request, "employment/fair_detail.html", context, status=400 if bound else 200)


@page_permission(READ)
@require_GET
def fair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _fair_page(request, selectors.get_fair_for_user(request.user, pk))


@page_permission(MANAGE_LISTS)
@require_POST
def fair_enterprise(request: AuthedRequest, pk: int) -> HttpResponse:
    fair = selectors.get_fair_for_user(request.user, pk)
    form = EnterpriseForm(request.POST)
    if _save(
        request,
        form,
        lambda d: services.fair_enterprise_add(acting_user=request.user, fair=fair, **d),
        _("已登记参会企业"),
    ):
        return redirect("employment:fair_detail", pk=fair.pk)
    return _fair_page(request, fair, enterprise=form)


@page_permission(MANAGE_LISTS)
@require_POST
def fair_position(request: AuthedRequest, pk: int) -> HttpResponse:
    fair = selectors.get_fair_for_user(request.user, pk)
    enterprises = selectors.fair_enterprises(fair)
    by_pk: dict[str, FairEnterprise] = {str(e.pk): e for e in enterprises}
    form = PositionForm(request.POST, enterprises=enterprises)

    def write(d: dict[str, Any]) -> Any:
        d = dict(d)
        return services.position_add(acting_user=request.user, enterprise=by_pk[d.pop("enterprise")], **d)

    if _save(request, form, write, _("已登记岗位")):
        return redirect("employment:fair_detail", pk=fair.pk)
    return _fair_page(request, fair, position=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def fair_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    fair = selectors.get_fair_for_user(request.user, pk)
    person = _person(request)
    positions = {str(p.pk): p for e in selectors.fair_enterprises(fair) for p in e.positions.all()}
    position = positions.get(str(request.POST.get("position") or ""))
    if person is None or position is None:
        messages.error(request, _("请选择居民和岗位"))
    else:
        try:
            services.application_create(acting_user=request.user, position=position, person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已登记%(n)s的求职申请") % {"n": person.name})
    return redirect("employment:fair_detail", pk=fair.pk)


@page_permission(RECORD_OUTREACH)
@require_POST
def fair_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    fair = selectors.get_fair_for_user(request.user, pk)
    applications = list(selectors.fair_applications(fair, request.user))
    by_pk = {str(a.pk): a for a in applications}
    form = DecideForm(request.POST, applications=applications)
    if _save(
        request,
        form,
        lambda d: services.application_decide(
            acting_user=request.user,
            application=by_pk[d["application"]],
            hired=d["hired"],
            hired_on=d["hired_on"],
        ),
        _("已记录录用结果"),
    ):
        return redirect("employment:fair_detail", pk=fair.pk)
    return _fair_page(request, fair, decide=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def fair_hire_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    fair = selectors.get_fair_for_user(request.user, pk)
    applications = list(selectors.fair_applications(fair, request.user))
    by_pk = {str(a.pk): a for a in applications}
    form = HireFollowUpForm(request.POST, applications=applications)

    def write(d: dict[str, Any]) -> Any:
        d = dict(d)
        return services.hire_follow_up_record(
            acting_user=request.user, application=by_pk[d.pop("application")], **d
        )

    if _save(request, form, write, _("已记录录用回访")):
        return redirect("employment:fair_detail", pk=fair.pk)
    return _fair_page(request, fair, hire=form)
