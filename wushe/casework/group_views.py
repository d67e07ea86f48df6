"""Pages of group work (小组): the list and its export, a new group, its page, members and
sessions. Reads through ``selectors``, writes through ``services``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import READ_CASES, RECORD_SERVICES
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, ListPage, Sort
from wushe.core.permissions import require_perm
from wushe.core.web import AuthedRequest, by_pk
from wushe.registry.listing import list_export
from wushe.registry.picker import person_picker
from wushe.registry.selectors import get_person_for_user
from wushe.registry.subjects import SearchFilters, SubjectSearchForm

from . import selectors, services
from .forms import (
    GroupForm,
    SessionForm,
)
from .pages import area_regions, can_record
from .services import SERVICE_ORG_KINDS

if TYPE_CHECKING:
    pass


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
    context=can_record,
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
    regions = area_regions(request)
    form = GroupForm(
        request.POST or None, orgs=orgs, regions=regions, initial={"starts_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            group = services.group_create(
                acting_user=request.user,
                region=by_pk(regions, d["region"]),
                name=d["name"],
                goal=d["goal"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                organization=by_pk(orgs, d["organization"]),
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
