"""The household pages: the list of households (户, on the generic ``ListPage``, with its export), one household with everything about it (its sections, ``core.sections``),
opening a household, managing its members (add, new head, relation, leaving, moving to another
household), its tags, and a person without a household joining or opening one.

Reads go through ``selectors`` (a household out of scope is the same 404 as a missing one);
writes through ``services``, which check the capability and the scope again. A household is
found by its head's name or pinyin, never by an ID number in a URL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import EXPORT_LEDGER, MANAGE_PERSONS, READ_REGISTRY
from wushe.core.listing import Empty, Listing, ListPage, Sort, page_params
from wushe.core.permissions import require_perm
from wushe.core.sections import HOUSEHOLD, build
from wushe.core.web import AuthedRequest, form_error_messages, service_error_messages

from . import household_tags, selectors, services
from .household_columns import household_columns, with_columns
from .household_forms import (
    HeadForm,
    HouseholdCreateForm,
    HouseholdFilterForm,
    HouseholdTagsForm,
    JoinForm,
    LeaveForm,
    MemberAddForm,
    MoveForm,
    RelationForm,
)
from .listing import filtered_region, list_export
from .models import Household, Person, PersonStatus
from .picker import person_picker

# ---- the list of households --------------------------------------------------------------------


def _household_context(request: HttpRequest, listing: Listing) -> dict[str, Any]:
    """A page's households with their colours and the columns other apps add; the query the
    export link carries never holds a refused number (the form refused it, the export would log it)."""
    extra: dict[str, Any] = {"columns": household_columns(), "params": _safe_params(request)}
    if listing.page is not None:
        listing.page.object_list = with_columns(list(listing.page.object_list))
    return extra


def _safe_params(request: HttpRequest) -> QueryDict:
    params = page_params(request)
    if selectors.is_sensitive_query(params.get("q", "")):
        params.pop("q")
    return params


HOUSEHOLDS = ListPage(
    permission=READ_REGISTRY,
    template="registry/household_list.html",
    fragment="registry/_household_table.html",
    form=HouseholdFilterForm,
    records=selectors.household_list,
    export=list_export(pgettext_lazy("list", "户"), "households", obj=filtered_region),
    context=_household_context,
    sorts=(
        Sort("region", gettext_lazy("所属社区/网格"), ("region__code",)),
        Sort("address", gettext_lazy("住址"), ("address",)),
        Sort("members", gettext_lazy("在册成员"), ("active_members",), descending_first=True),
    ),
    empty=Empty(
        gettext_lazy("还没有登记户。新建一户，再把居民添加为成员。"),
        action=gettext_lazy("新建户"),
        url="registry:household_create",
        permission=MANAGE_PERSONS,
    ),
)
household_list = HOUSEHOLDS.page_view()
_household_export = HOUSEHOLDS.export_view()


@login_required
@permission_required(EXPORT_LEDGER, raise_exception=True)
def household_export(request: HttpRequest) -> HttpResponseBase:
    """The list's export; a query holding an ID or phone number is not exported (the access event
    would record the number): back to the list without it."""
    if selectors.is_sensitive_query(request.GET.get("q", "")):
        return redirect(f"{reverse('registry:household_list')}?{_safe_params(request).urlencode()}")
    return _household_export(request)


def _done(request: AuthedRequest, form: Form, write: Callable[[], Any], success: str) -> bool:
    """Run a service with a valid form's data; a rule's failure is a message on the page."""
    if not form.is_valid():
        form_error_messages(request, form)
        return False
    try:
        write()
    except ValidationError as exc:
        service_error_messages(request, exc)
        return False
    messages.success(request, success)
    return True


# ---- one household ---------------------------------------------------------------------------


@login_required
@require_GET
def household_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    household = selectors.get_household_for_user(user=request.user, pk=pk)
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "sections": build(request, HOUSEHOLD, household),
            "changes": selectors.household_changes(household=household, limit=10),
            "can_manage": request.user.has_perm(MANAGE_PERSONS),
        },
    )


@login_required
@permission_required(MANAGE_PERSONS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def household_create(request: AuthedRequest) -> HttpResponse:
    """Open a household: choose its head (a registered person without one) by name."""
    picker = person_picker(request, title=_("选择户主（按姓名或拼音检索在册居民）"), param="head")
    head: Person | None = picker["chosen"]
    form = HouseholdCreateForm(request.POST or None)
    if request.method == "POST" and head is not None:
        done: dict[str, Household] = {}

        def write() -> None:
            done["household"] = services.household_create(
                acting_user=request.user,
                head=head,
                address=form.cleaned_data["address"],
                note=form.cleaned_data["note"],
            )

        if _done(request, form, write, _("已新建%(name)s户") % {"name": head.name}):
            return redirect("registry:household_detail", pk=done["household"].pk)
    return render(request, "registry/household_create.html", {"picker": picker, "head": head, "form": form})


# ---- its members ----------------------------------------------------------------------------


def _household(request: AuthedRequest, pk: int) -> Household:
    household = selectors.get_household_for_user(user=request.user, pk=pk)
    require_perm(request.user, MANAGE_PERSONS)  # after the read: a foreign household stays a 404
    return household


def _others(request: AuthedRequest, household: Household) -> list[Person]:
    return [
        m
        for m in selectors.household_members(user=request.user, household=household)
        if m.status == PersonStatus.ACTIVE
    ]


@login_required
@require_GET
def household_members(request: AuthedRequest, pk: int) -> HttpResponse:
    """Manage the members: add a registered person (moving them from their household if they
    have one), name a new head, correct a relation, record a member leaving, move a member."""
    household = _household(request, pk)
    members = _others(request, household)
    picker = person_picker(request, title=_("按姓名或拼音检索在册居民"), param="member")
    target_q = (request.GET.get("target_q") or "").strip()[:60]
    blocked = bool(target_q) and selectors.is_sensitive_query(target_q)
    targets = (
        [h for h in selectors.household_pick(user=request.user, q=target_q) if h.pk != household.pk]
        if target_q and not blocked
        else []
    )
    chosen = picker["chosen"]
    return render(
        request,
        "registry/household_members.html",
        {
            "household": household,
            "members": members,
            "picker": picker,
            "chosen": chosen,
            "chosen_elsewhere": chosen is not None and chosen.household_id not in (None, household.pk),
            "add_form": MemberAddForm()
            if chosen is not None and chosen.household_id != household.pk
            else None,
            "head_form": HeadForm(members=[m for m in members if m.relation_to_head != "head"]),
            "relation_form": RelationForm(members=[m for m in members if m.relation_to_head != "head"]),
            "leave_form": LeaveForm(members=members),
            "move_form": MoveForm(members=members, targets=targets),
            "target_q": target_q,
            "targets_blocked": blocked,
            "changes": selectors.household_changes(household=household),
        },
    )


def _back(household: Household) -> HttpResponse:
    return redirect("registry:household_members", pk=household.pk)


@login_required
@require_POST
def household_member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add the chosen person; one who belongs to another household moves from it."""
    household = _household(request, pk)
    person = _person(request, request.POST.get("member"))
    form = MemberAddForm(request.POST)
    if person is None:
        messages.error(request, _("所选居民不存在或不在您的管辖范围内"))
        return _back(household)

    def write() -> None:
        d = form.cleaned_data
        if person.household_id and person.household_id != household.pk:
            services.household_move_member(
                acting_user=request.user,
                person=person,
                household=household,
                relation=d["relation"],
                on=d["on"],
                note=d["note"],
            )
        else:
            services.household_add_member(
                acting_user=request.user,
                household=household,
                person=person,
                relation=d["relation"],
                on=d["on"],
                note=d["note"],
            )

    _done(request, form, write, _("%(name)s已加入本户") % {"name": person.name})
    return _back(household)


def _person(request: AuthedRequest, raw: Any) -> Person | None:
    try:
        return selectors.get_person_for_user(user=request.user, pk=int(raw))
    except (TypeError, ValueError, Http404):  # a bad or foreign id chooses nobody
        return None


@login_required
@require_POST
def household_head(request: AuthedRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    form = HeadForm(request.POST, members=_others(request, household))

    def write() -> None:
        d = form.cleaned_data
        services.household_change_head(
            acting_user=request.user,
            household=household,
            head=form.member(),
            former_head_relation=d["former_head_relation"],
            on=d["on"],
            note=d["note"],
        )

    _done(request, form, write, _("已变更户主"))
    return _back(household)


@login_required
@require_POST
def household_relation(request: AuthedRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    form = RelationForm(request.POST, members=_others(request, household))
    _done(
        request,
        form,
        lambda: services.household_set_relation(
            acting_user=request.user, person=form.member(), relation=form.cleaned_data["relation"]
        ),
        _("已修改与户主关系"),
    )
    return _back(household)


@login_required
@require_POST
def household_leave(request: AuthedRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    form = LeaveForm(request.POST, members=_others(request, household))
    _done(
        request,
        form,
        lambda: services.household_remove_member(
            acting_user=request.user,
            person=form.member(),
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
        ),
        _("已记录成员离户"),
    )
    return _back(household)


@login_required
@require_POST
def household_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move a member of this household into another (the one chosen on the page)."""
    household = _household(request, pk)
    target = _target(request, request.POST.get("household"))
    form = MoveForm(request.POST, members=_others(request, household), targets=[target] if target else [])

    def write() -> None:
        d = form.cleaned_data
        services.household_move_member(
            acting_user=request.user,
            person=form.member(),
            household=form.target(),
            relation=d["relation"],
            on=d["on"],
            note=d["note"],
        )

    _done(request, form, write, _("已迁往%(name)s") % {"name": target.name if target else ""})
    return _back(household)


def _target(request: AuthedRequest, raw: Any) -> Household | None:
    try:
        return selectors.with_heads([selectors.get_household_for_user(user=request.user, pk=int(raw))])[0]
    except (TypeError, ValueError, Http404):  # a bad or foreign id chooses none
        return None


@login_required
@require_http_methods(["GET", "POST"])
def household_tags_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The household's tags (低保, 特困 … granted to the household)."""
    household = _household(request, pk)
    current = [
        t.tag.code
        for t in selectors.household_tag_rows(user=request.user, household_id=household.pk)
        if t.valid_to is None
    ]
    form = HouseholdTagsForm(request.POST or None, tags=selectors.tag_list(), initial={"tags": current})
    if request.method == "POST":
        done = _done(
            request,
            form,
            lambda: household_tags.household_tags_set(
                acting_user=request.user,
                household=household,
                tags=form.cleaned_data["tags"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            ),
            _("已保存户类别"),
        )
        if done:
            return redirect("registry:household_detail", pk=household.pk)
    return render(request, "registry/household_tags.html", {"household": household, "form": form})


# ---- a person without a household -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def person_household(request: AuthedRequest, pk: int) -> HttpResponse:
    """A person without a household joins one (found by the head's name or pinyin), or heads a
    new one."""
    person = selectors.get_person_for_user(user=request.user, pk=pk)
    require_perm(request.user, MANAGE_PERSONS)
    if person.household_id:
        return redirect("registry:household_detail", pk=person.household_id)
    source = request.POST if request.method == "POST" else request.GET
    q = (source.get("q") or "").strip()[:60]
    blocked = bool(q) and selectors.is_sensitive_query(q)
    targets = selectors.household_pick(user=request.user, q=q) if q and not blocked else []
    if request.method == "POST" and source.get("open"):
        form = HouseholdCreateForm(request.POST)
        done: dict[str, Household] = {}

        def open_one() -> None:
            done["household"] = services.household_create(
                acting_user=request.user, head=person, address=form.cleaned_data["address"]
            )

        if _done(request, form, open_one, _("已新建%(name)s户") % {"name": person.name}):
            return redirect("registry:household_detail", pk=done["household"].pk)
        return redirect("registry:person_household", pk=person.pk)
    if request.method == "POST":
        chosen = _target(request, request.POST.get("household"))
        join = JoinForm(request.POST, targets=[chosen] if chosen else [])

        def write() -> None:
            d = join.cleaned_data
            services.household_add_member(
                acting_user=request.user,
                household=join.target(),
                person=person,
                relation=d["relation"],
                on=d["on"],
                note=d["note"],
            )

        if _done(request, join, write, _("已加入%(name)s") % {"name": chosen.name if chosen else ""}):
            return redirect("registry:person_detail", pk=person.pk)
    else:
        join = JoinForm(targets=targets)
    return render(
        request,
        "registry/person_household.html",
        {
            "person": person,
            "q": q,
            "blocked": blocked,
            "targets": targets,
            "join_form": join,
            "open_form": HouseholdCreateForm(),
        },
    )
