"""Pages of the studios and the six-step requests."""

from __future__ import annotations

from typing import Any

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

from wushe.accounts.roles import HANDLE_APPEALS, READ_APPEALS, READ_STUDIOS, SUPERVISE_APPEALS
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, Listing, ListPage, Sort, choice_order, page_params, paginate
from wushe.core.models import AREA_LEVELS
from wushe.core.permissions import require_perm
from wushe.core.web import AuthedRequest, by_pk
from wushe.partners.units import acts_for_unit
from wushe.registry.listing import list_export
from wushe.registry.picker import person_picker
from wushe.registry.selectors import region_picker

from . import selectors, services
from .forms import AppealFilterForm, AppealForm, ReturnCallForm, SatisfactionForm, StepForm, SuperviseForm
from .models import STEP_ORDER, Step

APPEAL_SORTS = (
    Sort("number", gettext_lazy("编号"), ("number",), descending_first=True),
    Sort("requester", gettext_lazy("诉求人"), ("requester_name",)),
    Sort("category", gettext_lazy("类别"), ("category",)),
    Sort("studio", gettext_lazy("工作室"), ("studio__organization__name",)),
    Sort("step", gettext_lazy("当前步骤"), (choice_order("step", STEP_ORDER),)),
    Sort("due", gettext_lazy("下一步期限"), ("due_on",)),
    Sort("unit", gettext_lazy("转办单位"), ("referred_to__name",)),
)


def _rows(page: Any) -> list[tuple[Any, Any]]:
    """A page's requests with their 督办 (how often, when last), read in one query for the page."""
    appeals = list(page.object_list)
    seen = selectors.supervised([a.pk for a in appeals])
    return [(a, seen.get(a.pk)) for a in appeals]


def _list_context(request: HttpRequest, listing: Listing) -> dict[str, Any]:
    return {
        "today": timezone.localdate(),
        "can_handle": request.user.has_perm(HANDLE_APPEALS),
        "rows": _rows(listing.page),
        "overdue_view": listing.filters.overdue,
        "return_view": listing.filters.return_due,
    }


APPEALS = ListPage(
    permission=READ_APPEALS,
    template="appeals/appeal_list.html",
    fragment="appeals/_appeal_table.html",
    form=AppealFilterForm,
    records=selectors.appeal_list,
    export=list_export(gettext_lazy("居民诉求"), "appeals"),
    context=_list_context,
    sorts=APPEAL_SORTS,
    empty=Empty(
        gettext_lazy("还没有居民诉求。居民来电、来访或在工作室反映的诉求，在这里登记后按六步办理。"),
        action=gettext_lazy("登记诉求"),
        url="appeals:appeal_create",
        permission=HANDLE_APPEALS,
    ),
)
appeal_list = APPEALS.page_view()
appeal_export = APPEALS.export_view()


@login_required
@require_http_methods(["GET", "POST"])
def appeal_create(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, HANDLE_APPEALS)
    picker = person_picker(request, title=_("诉求人是在册居民时，先选择居民（可跳过）"))
    studios = selectors.studio_choices(user=request.user)
    regions = region_picker(user=request.user, levels=AREA_LEVELS)
    form = AppealForm(request.POST or None, studios=studios, regions=regions)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            appeal = services.appeal_register(
                acting_user=request.user,
                studio=by_pk(studios, d["studio"]),
                region=by_pk(regions, d["region"]),
                channel=d["channel"],
                team=d["team"],
                category=d["category"],
                content=d["content"],
                person=picker["chosen"],
                requester_name=d["requester_name"],
                requester_phone=d["requester_phone"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登记，诉求编号 %(n)s。请告知诉求人凭此编号向%(where)s查询（可打印回执）。")
                % {"n": appeal.number, "where": _where(selectors.inquiry_point(appeal))},
            )
            return redirect("appeals:appeal_detail", pk=appeal.pk)
    return render(
        request,
        "casework/form_page.html",
        {
            "title": _("登记诉求"),
            "back_url": reverse("appeals:appeal_list"),
            "back_label": _("居民诉求"),
            "picker": picker,
            "form": form,
            "submit": _("登记"),
        },
    )


def _next_step(appeal: Any) -> str | None:
    if appeal.step == Step.ARCHIVE:
        return None
    return STEP_ORDER[STEP_ORDER.index(appeal.step) + 1]


def _where(point: selectors.InquiryPoint) -> str:
    """Where to ask, in one phrase: 市西社区工作室（电话 0543-…，地址 …）."""
    parts = [_("电话 %(p)s") % {"p": point.phone}] if point.phone else []
    if point.address:
        parts.append(_("地址 %(a)s") % {"a": point.address})
    return f"{point.name}（{'，'.join(parts)}）" if parts else point.name


def _may_do(user: Any, appeal: Any, step: str | None) -> bool:
    """The user may do the request's next step: 处理 is its unit's (members or supervisors)."""
    if step is None or not user.has_perm(HANDLE_APPEALS):
        return False
    return step != Step.HANDLE or acts_for_unit(user, appeal.referred_to)


def _detail_context(request: HttpRequest, appeal: Any, step_form: Any = None) -> dict[str, Any]:
    user = request.user
    can = user.has_perm(HANDLE_APPEALS)
    nxt = _next_step(appeal)
    today = timezone.localdate()
    overdue = appeal.due_on is not None and appeal.due_on < today
    if step_form is None and nxt and _may_do(user, appeal, nxt):
        step_form = StepForm(step=nxt, units=selectors.unit_choices(appeal) if nxt == Step.REFER else [])
    return_due = appeal.step == Step.ARCHIVE and appeal.return_call_due_on and not appeal.return_call_done_at
    return {
        "appeal": appeal,
        "timeline": selectors.appeal_timeline(appeal),
        "next_step": Step(nxt).label if nxt else None,
        "next_actor": selectors.next_actor(appeal),
        "step_form": step_form,
        "satisfaction_form": SatisfactionForm()
        if can and appeal.step == Step.FEEDBACK and not appeal.satisfaction_asked_at
        else None,
        "overdue": overdue,
        "supervisions": selectors.appeal_supervisions(appeal),
        "supervise_form": SuperviseForm() if overdue and user.has_perm(SUPERVISE_APPEALS) else None,
        "return_calls": selectors.appeal_return_calls(appeal),
        "return_due": return_due,
        "return_form": ReturnCallForm() if return_due and can else None,
    }


@login_required
@require_GET
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.get_appeal_for_user(user=request.user, pk=pk)
    return render(request, "appeals/appeal_detail.html", _detail_context(request, appeal))


@login_required
@require_POST
def appeal_step(request: AuthedRequest, pk: int) -> HttpResponse:
    appeal = selectors.get_appeal_for_user(user=request.user, pk=pk)
    require_perm(request.user, HANDLE_APPEALS)
    nxt = _next_step(appeal)
    step = request.POST.get("step") or nxt or ""
    units = selectors.unit_choices(appeal) if step == Step.REFER else []
    if step not in Step.values or step == Step.REGISTER:
        messages.error(request, _("未知的办理步骤"))
        return redirect("appeals:appeal_detail", pk=appeal.pk)
    form = StepForm(request.POST, step=step, units=units)
    if form.is_valid():
        d = dict(form.cleaned_data)
        d.pop("step")
        if "unit" in d:
            d["unit"] = by_pk(units, d["unit"])
        try:
            services.appeal_step(acting_user=request.user, appeal=appeal, step=step, **d)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已办理：%(s)s") % {"s": Step(step).label})
            return redirect("appeals:appeal_detail", pk=appeal.pk)
    appeal.refresh_from_db()
    return render(request, "appeals/appeal_detail.html", _detail_context(request, appeal, form), status=400)


@login_required
@require_POST
def appeal_satisfaction(request: AuthedRequest, pk: int) -> HttpResponse:
    appeal = selectors.get_appeal_for_user(user=request.user, pk=pk)
    require_perm(request.user, HANDLE_APPEALS)
    form = SatisfactionForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_satisfaction_record(
                acting_user=request.user, appeal=appeal, satisfaction=form.cleaned_data["satisfaction"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已记录满意度"))
    else:
        messages.error(request, _("诉求人满意度：请选择满意度"))
    return redirect("appeals:appeal_detail", pk=appeal.pk)


def _loop_post(
    request: HttpRequest, pk: int, *, perm: str, form_class: Any, key: str, write: Any, done: str
) -> HttpResponse:
    """A form of the closed loop posted on a request (督办, 回访): checked, written by ``write``,
    or the page again with the form's errors under ``key``."""
    appeal = selectors.get_appeal_for_user(user=request.user, pk=pk)
    require_perm(request.user, perm)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(acting_user=request.user, appeal=appeal, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("appeals:appeal_detail", pk=appeal.pk)
    context = _detail_context(request, appeal)
    context[key] = form
    return render(request, "appeals/appeal_detail.html", context, status=400)


@login_required
@require_POST
def appeal_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    """督办 an overdue request (the street's supervisors)."""
    return _loop_post(
        request,
        pk,
        perm=SUPERVISE_APPEALS,
        form_class=SuperviseForm,
        key="supervise_form",
        write=services.appeal_supervise,
        done=_("已督办"),
    )


@login_required
@require_POST
def appeal_return_call(request: HttpRequest, pk: int) -> HttpResponse:
    """回访: record a call back to the requester after archiving, with its outcome."""
    return _loop_post(
        request,
        pk,
        perm=HANDLE_APPEALS,
        form_class=ReturnCallForm,
        key="return_form",
        write=services.appeal_return_call,
        done=_("已记录回访"),
    )


@login_required
@require_GET
def appeal_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt handed to the requester: the number and where to ask about it."""
    appeal = selectors.get_appeal_for_user(user=request.user, pk=pk)
    return render(
        request, "appeals/appeal_receipt.html", {"appeal": appeal, "point": selectors.inquiry_point(appeal)}
    )


STUDIOS = ListPage(
    permission=READ_STUDIOS,
    template="appeals/studio_list.html",
    records=selectors.studio_list,
    paginated=False,
    export=list_export(gettext_lazy("代表委员工作室"), "studios"),
    context=lambda request, listing: {"studios": list(listing.records)},
)
studio_list = STUDIOS.page_view()
studio_export = STUDIOS.export_view()


@login_required
@require_GET
def studio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    studio = selectors.get_studio_for_user(user=request.user, pk=pk)
    page = paginate(
        request, selectors.appeal_list(user=request.user, filters=selectors.AppealFilters(studio=studio.pk))
    )
    overdue = selectors.appeal_list(
        user=request.user, filters=selectors.AppealFilters(studio=studio.pk, overdue=True)
    )
    return render(
        request,
        "appeals/studio_detail.html",
        {
            "studio": studio,
            "teams": list(studio.teams.all()),
            "page_obj": page,
            "rows": _rows(page),
            "params": page_params(request),
            "overdue_count": overdue.count(),
            "today": timezone.localdate(),
        },
    )
