"""Pages of case work, group work and activities. Reads through ``selectors`` (an object out of
scope is the same 404 as a missing one), writes through ``services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import READ_ACTIVITIES, READ_CASES, RECORD_SERVICES
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, Listing, ListPage, SearchForm, Sort, choice_order
from wushe.core.models import AREA_LEVELS, Region
from wushe.core.permissions import require_perm
from wushe.core.web import AuthedRequest
from wushe.registry.listing import list_export
from wushe.registry.picker import person_picker
from wushe.registry.selectors import get_person_for_user, region_picker
from wushe.registry.subjects import SearchFilters, SubjectSearchForm

from . import selectors, services
from .forms import (
    ActivityForm,
    CaseAdvanceForm,
    CaseFilterForm,
    CaseOpenForm,
    CaseReopenForm,
    CaseServiceForm,
    GroupForm,
    PhotoForm,
    SessionForm,
)
from .models import CASE_ORDER, Activity, Case, CaseStage
from .services import ORGANIZER_ORG_KINDS, SERVICE_ORG_KINDS

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def _regions(request: HttpRequest) -> list[Region]:
    return region_picker(user=request.user, levels=AREA_LEVELS)


def _by_pk(items: list[Any], raw: Any) -> Any:
    return next((i for i in items if str(i.pk) == str(raw)), None) if raw else None


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errors:
            messages.error(request, f"{label}：{e}" if label else str(e))


# ---- cases ----------------------------------------------------------------------------------


def _can_record(request: HttpRequest, listing: Listing) -> dict[str, Any]:
    return {"can_record": request.user.has_perm(RECORD_SERVICES)}


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
    context=lambda request, listing: {"today": timezone.localdate(), **_can_record(request, listing)},
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
                    organization=_by_pk(orgs, d["organization"]),
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


# ---- groups ---------------------------------------------------------------------------------


def _groups(*, user: Any, filters: SearchFilters) -> QuerySet[Any]:
    return selectors.group_list(user=user, q=filters.q, subject=filters.subject)


GROUPS = ListPage(
    permission=READ_CASES,
    template="casework/group_list.html",
    fragment="casework/_group_table.html",
    form=SubjectSearchForm,
    records=_groups,
    export=list_export(gettext_lazy("小组"), "groups"),
    context=_can_record,
    sorts=(
        Sort("name", gettext_lazy("小组名称"), ("name",)),
        Sort("region", gettext_lazy("所属区域"), ("region__code",)),
        Sort("organization", gettext_lazy("承接机构"), ("organization__name",)),
        Sort("members", gettext_lazy("组员"), ("member_count",), descending_first=True),
        Sort("sessions", gettext_lazy("节次"), ("session_count",), descending_first=True),
        Sort("starts", gettext_lazy("开始日期"), ("starts_on",), descending_first=True),
    ),
    default_sort="-starts",
    empty=Empty(
        gettext_lazy("还没有小组。建立小组后可以记录组员、每一节活动和出勤。"),
        action=gettext_lazy("建立小组"),
        url="casework:group_create",
        permission=RECORD_SERVICES,
    ),
)
group_list = GROUPS.page_view()
group_export = GROUPS.export_view()


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, RECORD_SERVICES)
    orgs = selectors.service_organizations(user=request.user, kinds=SERVICE_ORG_KINDS)
    regions = _regions(request)
    form = GroupForm(
        request.POST or None, orgs=orgs, regions=regions, initial={"starts_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            group = services.group_create(
                acting_user=request.user,
                region=_by_pk(regions, d["region"]),
                name=d["name"],
                goal=d["goal"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                organization=_by_pk(orgs, d["organization"]),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已建立小组：%(n)s") % {"n": group.name})
            return redirect("casework:group_detail", pk=group.pk)
    return render(
        request,
        "casework/form_page.html",
        {
            "title": _("新建小组"),
            "back_url": reverse("casework:group_list"),
            "back_label": _("小组"),
            "form": form,
            "submit": _("保存"),
        },
    )


def _group_context(request: HttpRequest, group: Any, session_form: Any = None) -> dict[str, Any]:
    members = selectors.group_members(group)
    can = request.user.has_perm(RECORD_SERVICES)
    return {
        "group": group,
        "members": members,
        "sessions": selectors.group_sessions(group),
        "can_record": can,
        "picker": person_picker(request, title=_("添加组员"), param="member") if can else None,
        "session_form": session_form
        or (SessionForm(members=members, initial={"on": timezone.localdate()}) if can else None),
    }


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.get_group_for_user(user=request.user, pk=pk)
    return render(request, "casework/group_detail.html", _group_context(request, group))


@login_required
@require_POST
def group_member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    group = selectors.get_group_for_user(user=request.user, pk=pk)
    require_perm(request.user, RECORD_SERVICES)
    try:
        person = get_person_for_user(user=request.user, pk=int(request.POST.get("member") or 0))
        services.group_members_add(acting_user=request.user, group=group, members=[person])
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    except Exception:  # noqa: BLE001 — a person out of scope is not found
        messages.error(request, _("组员：所选居民不存在或不在您的管辖范围内"))
    else:
        messages.success(request, _("已添加组员：%(n)s") % {"n": person.name})
    return redirect("casework:group_detail", pk=group.pk)


@login_required
@require_POST
def group_session_add(request: AuthedRequest, pk: int) -> HttpResponse:
    group = selectors.get_group_for_user(user=request.user, pk=pk)
    require_perm(request.user, RECORD_SERVICES)
    members = selectors.group_members(group)
    form = SessionForm(request.POST, members=members)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.group_session_record(
                acting_user=request.user,
                group=group,
                on=d["on"],
                topic=d["topic"],
                content=d["content"],
                attendees=[m for m in members if str(m.pk) in d["attendees"]],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已记录本节活动"))
            return redirect("casework:group_detail", pk=group.pk)
    return render(request, "casework/group_detail.html", _group_context(request, group, form), status=400)


# ---- activities -----------------------------------------------------------------------------


def _activities(*, user: AnyUser, q: str) -> QuerySet[Activity]:
    return selectors.activity_list(user=user, filters=selectors.ActivityFilters(q=q))


ACTIVITIES = ListPage(
    permission=READ_ACTIVITIES,
    template="casework/activity_list.html",
    fragment="casework/_activity_table.html",
    form=SearchForm,
    records=_activities,
    export=list_export(gettext_lazy("社区活动"), "activities"),
    context=_can_record,
    sorts=(
        Sort("day", gettext_lazy("日期"), ("on",), descending_first=True),
        Sort("title", gettext_lazy("活动名称"), ("title",)),
        Sort("kind", gettext_lazy("类型"), ("kind",)),
        Sort("participants", gettext_lazy("参与人数"), ("participants",), descending_first=True),
        Sort("leaflets", gettext_lazy("宣传资料（份）"), ("leaflets",), descending_first=True),
    ),
    default_sort="-day",
    empty=Empty(
        gettext_lazy("还没有活动记录。社区活动和宣传活动记下日期、参与人数和照片。"),
        action=gettext_lazy("记录活动"),
        url="casework:activity_create",
        permission=RECORD_SERVICES,
    ),
)
activity_list = ACTIVITIES.page_view()
activity_export = ACTIVITIES.export_view()


def _organizer_orgs(request: HttpRequest) -> list[Any]:
    kinds = tuple({k for kinds in ORGANIZER_ORG_KINDS.values() for k in kinds})
    return selectors.service_organizations(user=request.user, kinds=kinds)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, RECORD_SERVICES)
    orgs = _organizer_orgs(request)
    regions = _regions(request)
    form = ActivityForm(
        request.POST or None, orgs=orgs, regions=regions, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            activity = services.activity_create(
                acting_user=request.user,
                region=_by_pk(regions, d["region"]),
                kind=d["kind"],
                title=d["title"],
                on=d["on"],
                place=d["place"],
                organizer_kind=d["organizer_kind"],
                organizer=_by_pk(orgs, d["organizer"]),
                participants=d["participants"],
                disabled_participants=d["disabled_participants"],
                volunteers=d["volunteers"],
                leaflets=d["leaflets"],
                questions_answered=d["questions_answered"],
                summary=d["summary"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已记录活动：%(n)s") % {"n": activity.title})
            return redirect("casework:activity_detail", pk=activity.pk)
    return render(
        request,
        "casework/form_page.html",
        {
            "title": _("记录活动"),
            "back_url": reverse("casework:activity_list"),
            "back_label": _("社区活动"),
            "form": form,
            "submit": _("保存"),
        },
    )


def _activity_context(request: HttpRequest, activity: Any, photo_form: Any = None) -> dict[str, Any]:
    can = request.user.has_perm(RECORD_SERVICES)
    return {
        "activity": activity,
        "photos": list(activity.photos.all()),
        "can_record": can,
        "photo_form": photo_form or (PhotoForm() if can else None),
    }


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for_user(user=request.user, pk=pk)
    return render(request, "casework/activity_detail.html", _activity_context(request, activity))


@login_required
@require_POST
def activity_photo_add(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.get_activity_for_user(user=request.user, pk=pk)
    require_perm(request.user, RECORD_SERVICES)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.activity_photo_add(
                acting_user=request.user,
                activity=activity,
                fileobj=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已上传照片"))
            return redirect("casework:activity_detail", pk=activity.pk)
    return render(
        request, "casework/activity_detail.html", _activity_context(request, activity, form), status=400
    )


@login_required
@require_GET
def activity_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = selectors.get_photo_for_user(user=request.user, pk=pk)
    response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    return response
