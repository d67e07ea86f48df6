"""The needs pages (需求清单): the list, one need with its steps, its referrals, the resident's
contact and matching suggestions; registering a need, moving it on, accepting a suggestion or
referring by hand, an organization accepting or returning a referral, rating; the problems list."""

from __future__ import annotations

from dataclasses import dataclass
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

from wushe.accounts.roles import READ_NEEDS, READ_VISITS, RECORD_OUTREACH, REVEAL_IDENTIFIERS, WORK_NEEDS
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, ListPage, Sort, choice_order, is_fragment
from wushe.core.regions import ancestor_ids
from wushe.core.web import AuthedRequest
from wushe.partners.models import Resource, ResponsibilityUnit
from wushe.partners.selectors import ResourceFilters, resource_list, usable_organizations
from wushe.projects.models import Project
from wushe.registry.listing import filtered_region, list_export
from wushe.registry.selectors import get_household_for_user, get_person_for_user, sees_registry

from . import referral_services, selectors, services
from .forms import (
    AcceptForm,
    AnswerForm,
    NeedFilterForm,
    NeedForm,
    ProblemFilterForm,
    RateForm,
    ReferForm,
    ReferralFilterForm,
    ResolveForm,
    StepForm,
)
from .matching import need_suggestions
from .models import STATUS_ORDER, NeedStatus, ProblemStatus, Referral, ReferralState
from .sharing import sharing_defaults


def _errors(request: HttpRequest, errors: Any) -> None:
    for field, msgs in errors.items():
        for m in msgs:
            messages.error(request, f"{field}：{m}" if field != "__all__" else str(m))


NEED_SORTS = (
    Sort("category", gettext_lazy("需求类别"), ("category__order", "category__name")),
    Sort("region", gettext_lazy("所属社区/网格"), ("region__code",)),
    Sort("status", gettext_lazy("状态"), (choice_order("status", STATUS_ORDER),)),
    Sort("unit", gettext_lazy("责任单位"), ("responsible_unit__name",)),
    Sort("deadline", gettext_lazy("办结期限"), ("deadline",)),
    Sort("referred", gettext_lazy("转介至"), ("referred_to__name",)),
)
NEED_EMPTY = Empty(
    gettext_lazy("还没有登记需求。需求在走访时或从居民档案登记：打开居民名单，选择居民后点“登记需求”。"),
    action=gettext_lazy("打开居民名单"),
    url="registry:person_list",
    permission=RECORD_OUTREACH,
)

NEEDS = ListPage(
    permission=READ_NEEDS,
    template="needs/need_list.html",
    fragment="needs/_need_table.html",
    form=NeedFilterForm,
    records=selectors.need_list,
    export=list_export(gettext_lazy("需求清单"), "needs", obj=filtered_region),
    context=lambda request, listing: {"today": timezone.localdate(), "links": sees_registry(request.user)},
    sorts=NEED_SORTS,
    empty=NEED_EMPTY,
)
need_list = NEEDS.page_view()
need_export = NEEDS.export_view()


@dataclass
class _Referrals:
    """A need's referrals as the user meets them: the current one, whether the user acts for its
    organization, whether it waits for another's answer, and the statuses the user may move to."""

    all: list[Referral]
    current: Referral | None
    for_org: bool
    waits: bool
    statuses: list[str]


def _referrals(need: Any, user: Any) -> _Referrals:
    referrals = selectors.need_referrals(need=need)
    current = next((r for r in referrals if r.is_current), None)
    for_org = current is not None and services.acts_for(user, current.organization_id)
    waits = current is not None and current.state == ReferralState.WAITING and not for_org
    return _Referrals(referrals, current, for_org, waits, services.next_statuses(need, referral_waits=waits))


def _detail(request: HttpRequest, pk: int, **extra: Any) -> HttpResponse:
    need = selectors.get_need_for_user(user=request.user, pk=pk)
    user = request.user
    can_record = user.has_perm(RECORD_OUTREACH)
    referable = need.status in services.REFERABLE
    r = _referrals(need, user)
    referrals, current, for_org, waits, statuses = r.all, r.current, r.for_org, r.waits, r.statuses
    context = {
        "need": need,
        "links": sees_registry(request.user),
        "steps": selectors.need_steps(need=need),
        "suggestions": need_suggestions(need=need) if can_record and referable else [],
        "can_record": can_record,
        "can_refer": can_record and referable,
        "can_work": user.has_perm(WORK_NEEDS) and bool(statuses),
        "referrals": referrals,
        "current": current,
        "waits": waits,
        "can_answer": for_org and user.has_perm(WORK_NEEDS) and need.status == NeedStatus.MATCHED,
        "contact": selectors.need_contact_person(need),
        "can_reveal": (for_org and current is not None) or user.has_perm(REVEAL_IDENTIFIERS),
        "step_form": StepForm(statuses=statuses),
        "accept_form": AnswerForm(),
        "return_form": AnswerForm(required=True),
        "rate_form": RateForm(),
        "can_rate": user.has_perm(WORK_NEEDS) and need.status == NeedStatus.MET and not need.satisfaction,
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
def need_step(request: AuthedRequest, pk: int) -> HttpResponse:
    need = selectors.get_need_for_user(user=request.user, pk=pk)
    form = StepForm(request.POST, statuses=_referrals(need, request.user).statuses)
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
@require_POST
def need_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Reveal the resident's phone numbers (an access event), on an explicit POST."""
    need = selectors.get_need_for_user(user=request.user, pk=pk)
    revealed = referral_services.need_contact_reveal(acting_user=request.user, need=need, request=request)
    if is_fragment(request):
        return render(
            request,
            "needs/_contact.html",
            {
                "need": need,
                "contact": selectors.need_contact_person(need),
                "revealed": revealed,
                "can_reveal": True,
            },
        )
    return _detail(request, pk, revealed=revealed)


@login_required
@permission_required(RECORD_OUTREACH, raise_exception=True)
@require_http_methods(["GET", "POST"])
def need_refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer a need by hand to an organization (and one of its resources) when no suggestion fits."""
    need = selectors.get_need_for_user(user=request.user, pk=pk)
    organizations = list(usable_organizations(request.user).order_by("name")[:500])
    resources = list(
        resource_list(user=request.user, filters=ResourceFilters(available=True)).select_related("provider")[
            :500
        ]
    )
    form = ReferForm(
        request.POST or None,
        organizations=organizations,
        resources=resources,
        sharing=sharing_defaults(need),
    )
    if request.method == "POST" and form.is_valid():
        organization, resource = form.objects()
        try:
            need = referral_services.need_refer(
                acting_user=request.user,
                need=need,
                organization=organization,
                resource=resource,
                reason=form.cleaned_data["reason"],
                purpose=form.cleaned_data["purpose"],
                impact=form.cleaned_data["impact"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("已转介至%(org)s") % {"org": organization.name if organization else ""}
            )
            return redirect("needs:need_detail", pk=need.pk)
    status = 400 if form.errors else 200
    return render(request, "needs/need_refer.html", {"need": need, "form": form}, status=status)


REFERRALS = ListPage(
    template="needs/referral_list.html",
    fragment="needs/_referral_table.html",
    form=ReferralFilterForm,
    records=selectors.referral_list,
    context=lambda request, listing: {"state": listing.filters.state},
)
referral_list = REFERRALS.page_view()


def _answer(request: HttpRequest, pk: int, *, accept: bool) -> HttpResponse:
    referral = selectors.get_referral_for_user(user=request.user, pk=pk)
    form = AnswerForm(request.POST, required=not accept)
    if not form.is_valid():
        _errors(request, {form.fields["note"].label: form.errors.get("note", [])})
        return redirect("needs:need_detail", pk=referral.need_id)
    note = form.cleaned_data["note"]
    try:
        if accept:
            referral_services.referral_accept(acting_user=request.user, referral=referral, note=note)
        else:
            referral_services.referral_return(acting_user=request.user, referral=referral, reason=note)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("needs:need_detail", pk=referral.need_id)
    if accept:
        messages.success(request, _("已接收转介"))
        return redirect("needs:need_detail", pk=referral.need_id)
    messages.success(request, _("已退回转介，需求回到社工处重新对接"))
    return redirect("needs:referral_list")


@login_required
@permission_required(WORK_NEEDS, raise_exception=True)
@require_POST
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, accept=True)


@login_required
@permission_required(WORK_NEEDS, raise_exception=True)
@require_POST
def referral_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, accept=False)


@login_required
@permission_required(WORK_NEEDS, raise_exception=True)
@require_POST
def need_rate(request: AuthedRequest, pk: int) -> HttpResponse:
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
def need_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    need = selectors.get_need_for_user(user=request.user, pk=pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        _errors(request, form.errors)
        return redirect("needs:need_detail", pk=need.pk)
    kind, target_id = form.cleaned_data["kind"], form.cleaned_data["target"]
    resource = Resource.objects.filter(pk=target_id).first() if kind == "resource" else None
    project = Project.objects.filter(pk=target_id).first() if kind == "project" else None
    if resource is None and project is None:
        messages.error(request, _("所选资源或项目不存在"))
        return redirect("needs:need_detail", pk=need.pk)
    try:
        need = services.need_accept(acting_user=request.user, need=need, resource=resource, project=project)
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
def need_create(request: AuthedRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    household_id, person_id = source.get("household", ""), source.get("person", "")
    if not household_id and not person_id:
        raise Http404
    household = get_household_for_user(user=request.user, pk=household_id) if household_id else None
    person = get_person_for_user(user=request.user, pk=person_id) if person_id else None
    subject = household or person
    assert subject is not None  # one of the two was asked for (404 otherwise)
    region = subject.region
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
    permission=READ_VISITS,
    template="needs/problem_list.html",
    fragment="needs/_problem_table.html",
    form=ProblemFilterForm,
    records=selectors.problem_list,
    export=list_export(gettext_lazy("问题清单"), "problems"),
    empty=Empty(
        gettext_lazy("还没有记录问题。走访中发现的问题随走访记录一起登记。"),
        action=gettext_lazy("查看待走访名单"),
        url="visits:coverage",
        permission=RECORD_OUTREACH,
    ),
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
def problem_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
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
