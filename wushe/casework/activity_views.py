"""Pages of activities (社区活动/宣传活动): the list and its export, a new activity, its page,
its photos (served only by the scoped view). Reads through ``selectors``, writes through
``services``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

from wushe.accounts.roles import READ_ACTIVITIES, RECORD_SERVICES
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, ListPage, SearchForm, Sort
from wushe.core.permissions import require_perm
from wushe.core.web import AuthedRequest, by_pk
from wushe.registry.listing import list_export

from . import selectors, services
from .forms import (
    ActivityForm,
    PhotoForm,
)
from .models import Activity
from .pages import area_regions, can_record
from .services import ORGANIZER_ORG_KINDS

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


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
    context=can_record,
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
    regions = area_regions(request)
    form = ActivityForm(
        request.POST or None, orgs=orgs, regions=regions, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            activity = services.activity_create(
                acting_user=request.user,
                region=by_pk(regions, d["region"]),
                kind=d["kind"],
                title=d["title"],
                on=d["on"],
                place=d["place"],
                organizer_kind=d["organizer_kind"],
                organizer=by_pk(orgs, d["organizer"]),
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
