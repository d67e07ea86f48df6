"""Pages of volunteer teams, volunteers, hours and proofs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import LOG_VOLUNTEER_HOURS, READ_VOLUNTEERS
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, Listing, ListPage, SearchForm, Sort, page_params, paginate
from wushe.core.permissions import require_perm
from wushe.core.scoping import granted_paths
from wushe.core.web import AuthedRequest
from wushe.registry.listing import list_export
from wushe.registry.picker import person_picker
from wushe.registry.selectors import get_person_for_user
from wushe.registry.subjects import SearchFilters, SubjectSearchForm

from . import selectors, services
from .forms import EntryForm, ProofForm, RecordForm, VerifyForm, VolunteerForm
from .models import EntryKind, Volunteer
from .records import may_correct, may_manage_entries

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def _team_hours(request: HttpRequest, listing: Listing) -> dict[str, Any]:
    """Each team of the page with its verified hours (one query for the page)."""
    assert listing.page is not None
    hours = selectors.team_hours([t.pk for t in listing.page.object_list])
    for t in listing.page.object_list:
        t.verified_hours = hours.get(t.pk, 0)
    return {}


TEAMS = ListPage(
    permission=READ_VOLUNTEERS,
    template="volunteers/team_list.html",
    fragment="volunteers/_team_table.html",
    form=SearchForm,
    records=selectors.team_list,
    export=list_export(gettext_lazy("志愿服务队"), "teams"),
    context=_team_hours,
    sorts=(
        Sort("name", gettext_lazy("队伍"), ("organization__name",)),
        Sort("region", gettext_lazy("所属区域"), ("region__code",)),
        Sort("leader", gettext_lazy("队长"), ("leader_name",)),
        Sort("volunteers", gettext_lazy("志愿者"), ("volunteer_count",), descending_first=True),
    ),
    empty=Empty(gettext_lazy("没有可查看的志愿服务队。志愿服务队由街道管理员建立档案。")),
)
team_list = TEAMS.page_view()
team_export = TEAMS.export_view()


@login_required
@require_GET
def team_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    team = selectors.get_team_for_user(user=request.user, pk=pk)
    page = paginate(
        request, selectors.volunteer_list(user=request.user, filters=selectors.VolunteerFilters(team=team.pk))
    )
    pending = list(selectors.pending_records(user=request.user, team=team)[:50])
    return render(
        request,
        "volunteers/team_detail.html",
        {
            "team": team,
            "page_obj": page,
            "params": page_params(request),
            "pending": pending,
            "hours": selectors.team_hours([team.pk]).get(team.pk, 0),
            "is_leader": services.leads(request.user, team),
            "verify_form": VerifyForm(),
        },
    )


@login_required
@require_POST
def team_verify_all(request: AuthedRequest, pk: int) -> HttpResponse:
    """全部核实 in two steps: the first POST shows how many records and hours would be verified
    and changes nothing; only the POST with ``confirm`` verifies them."""
    team = selectors.get_team_for_user(user=request.user, pk=pk)
    records = list(selectors.pending_records(user=request.user, team=team))
    confirmed = request.POST.get("confirm") == "1"
    result = services.service_records_verify_bulk(
        acting_user=request.user, team=team, records=records, confirmed=confirmed
    )
    if not confirmed:
        return render(request, "volunteers/team_verify_confirm.html", {"team": team, "result": result})
    messages.success(
        request, _("已核实 %(n)s 条服务记录，共 %(h)s 小时") % {"n": result.count, "h": result.hours}
    )
    if result.own or result.over_day:
        messages.warning(request, _skipped_message(result))
    return redirect("volunteers:team_detail", pk=team.pk)


def _skipped_message(result: services.BulkVerification) -> str:
    return _(
        "未核实：本人填报或本人的记录 %(own)s 条（须由他人核实），当日合计超过每日上限的记录 %(over)s 条（请逐条核对）"
    ) % {"own": result.own, "over": result.over_day}


def _volunteers(*, user: AnyUser, filters: SearchFilters) -> QuerySet[Volunteer]:
    return selectors.volunteer_list(
        user=user, filters=selectors.VolunteerFilters(q=filters.q, subject=filters.subject)
    )


VOLUNTEERS = ListPage(
    permission=READ_VOLUNTEERS,
    template="volunteers/volunteer_list.html",
    fragment="volunteers/_volunteer_table.html",
    form=SubjectSearchForm,
    records=_volunteers,
    export=list_export(gettext_lazy("志愿者"), "volunteers"),
    context=lambda request, listing: {"can_log": request.user.has_perm(LOG_VOLUNTEER_HOURS)},
    sorts=(
        Sort("number", gettext_lazy("志愿者编号"), ("number",)),
        Sort("name", gettext_lazy("姓名"), ("name",)),
        Sort("team", gettext_lazy("志愿服务队"), ("team__organization__name",)),
        Sort("joined", gettext_lazy("加入日期"), ("joined_on",), descending_first=True),
        Sort("hours", gettext_lazy("已核实时长（小时）"), ("verified_hours",), descending_first=True),
    ),
    default_sort="number",
    empty=Empty(
        gettext_lazy("还没有志愿者。登记志愿者后，可以记录服务时长并出具志愿服务记录证明。"),
        action=gettext_lazy("登记志愿者"),
        url="volunteers:volunteer_create",
        permission=LOG_VOLUNTEER_HOURS,
    ),
)
volunteer_list = VOLUNTEERS.page_view()
volunteer_export = VOLUNTEERS.export_view()


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_create(request: AuthedRequest) -> HttpResponse:
    require_perm(request.user, LOG_VOLUNTEER_HOURS)
    teams = list(selectors.team_list(user=request.user)[:500])
    picker = _resident_picker(request, _("是在册居民时先选择居民（可跳过）"), "person")
    person = picker["chosen"] if picker else None
    initial = {"joined_on": timezone.localdate(), **({"name": person.name} if person else {})}
    form = VolunteerForm(request.POST or None, teams=teams, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        team = next((t for t in teams if str(t.pk) == d["team"]), None)
        try:
            if team is None:
                raise ValidationError({"team": _("请选择志愿服务队")})
            volunteer = services.volunteer_create(
                acting_user=request.user,
                team=team,
                name=d["name"],
                joined_on=d["joined_on"],
                skills=d["skills"],
                person=person,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记志愿者，编号 %(n)s") % {"n": volunteer.number})
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(
        request,
        "casework/form_page.html",
        {
            "title": _("登记志愿者"),
            "back_url": reverse("volunteers:volunteer_list"),
            "back_label": _("志愿者"),
            "picker": picker,
            "form": form,
            "submit": _("保存"),
        },
    )


def _resident_picker(request: HttpRequest, title: str, param: str) -> dict[str, Any] | None:
    """Choosing a registered resident, for a user who sees a region's registry (a team leader
    sees no one's: no picker)."""
    if granted_paths(request.user) == []:
        return None
    return person_picker(request, title=title, param=param)


def _may_log(request: HttpRequest, volunteer: Any) -> bool:
    return request.user.has_perm(LOG_VOLUNTEER_HOURS) or volunteer.user_id == request.user.pk


def _volunteer_context(
    request: AuthedRequest,
    volunteer: Any,
    record_form: Any = None,
    proof_form: Any = None,
    entry_form: Any = None,
) -> dict[str, Any]:
    may_log = _may_log(request, volunteer)
    records = selectors.volunteer_records(volunteer)
    for r in records:  # what the list offers on each row: edit (pending) or correct (verified)
        r.can_correct = may_correct(request.user, r)  # type: ignore[attr-defined]  # shown on the row
        r.corrected = hasattr(r, "reversal")  # type: ignore[attr-defined]
    may_manage = request.user.has_perm(LOG_VOLUNTEER_HOURS)
    entries = selectors.volunteer_entries(volunteer)
    picker = (
        _resident_picker(request, _("服务对象是在册居民时选择（可跳过）"), "recipient") if may_log else None
    )
    if record_form is None and may_log:
        record_form = RecordForm(
            initial={
                "on": timezone.localdate(),
                "recipient": picker["chosen"].pk if picker and picker["chosen"] else None,
            }
        )
    return {
        "volunteer": volunteer,
        "recipient_picker": picker,
        "totals": selectors.volunteer_totals(volunteer),
        "records": records,
        "entry_groups": [(label, entries[kind]) for kind, label in EntryKind.choices],
        "can_edit_entries": may_manage and may_manage_entries(request.user, volunteer.team),
        "entry_form": entry_form or (EntryForm(initial={"on": timezone.localdate()}) if may_manage else None),
        "proofs": list(volunteer.proofs.order_by("-issued_on", "-id")),
        "record_form": record_form,
        "proof_form": proof_form or (ProofForm() if request.user.has_perm(LOG_VOLUNTEER_HOURS) else None),
        "is_leader": services.leads(request.user, volunteer.team),
        "verify_form": VerifyForm(),
    }


@login_required
@require_GET
def volunteer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    volunteer = selectors.get_volunteer_for_user(user=request.user, pk=pk)
    return render(request, "volunteers/volunteer_detail.html", _volunteer_context(request, volunteer))


@login_required
@require_POST
def record_log(request: AuthedRequest, pk: int) -> HttpResponse:
    volunteer = selectors.get_volunteer_for_user(user=request.user, pk=pk)
    if not _may_log(request, volunteer):
        raise PermissionDenied
    form = RecordForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            d["recipient"] = _recipient(request, d.get("recipient"))
            record = services.service_record_log(acting_user=request.user, volunteer=volunteer, **d)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已填报服务时长，待队长核实"))
            for warning in getattr(record, "warnings", []):
                messages.warning(request, warning)
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(
        request,
        "volunteers/volunteer_detail.html",
        _volunteer_context(request, volunteer, record_form=form),
        status=400,
    )


def _recipient(request: HttpRequest, pk: int | None) -> Any:
    if not pk:
        return None
    try:
        return get_person_for_user(user=request.user, pk=pk)
    except Http404:
        raise ValidationError({"recipient": _("所选居民不存在或不在您的管辖范围内")}) from None


@login_required
@require_POST
def record_verify(request: AuthedRequest, pk: int) -> HttpResponse:
    record = selectors.get_record_for_user(user=request.user, pk=pk)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("核实结果：请选择通过或不通过"))
    else:
        try:
            services.service_record_verify(
                acting_user=request.user,
                record=record,
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已核实"))
    return redirect(
        request.POST.get("next_team")
        and reverse("volunteers:team_detail", args=[record.team_id])
        or reverse("volunteers:volunteer_detail", args=[record.volunteer_id])
    )


@login_required
@require_POST
def proof_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    volunteer = selectors.get_volunteer_for_user(user=request.user, pk=pk)
    require_perm(request.user, LOG_VOLUNTEER_HOURS)
    form = ProofForm(request.POST)
    if form.is_valid():
        try:
            proof = services.proof_issue(acting_user=request.user, volunteer=volunteer, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("volunteers:proof_detail", pk=proof.pk)
    return render(
        request,
        "volunteers/volunteer_detail.html",
        _volunteer_context(request, volunteer, proof_form=form),
        status=400,
    )


@login_required
@require_GET
def proof_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proof = selectors.get_proof_for_user(user=request.user, pk=pk)
    return render(
        request,
        "volunteers/proof_detail.html",
        {"proof": proof, "proof_entries": selectors.proof_entries(proof)},
    )
