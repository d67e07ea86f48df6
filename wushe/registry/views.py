"""The registry's person pages: the list, its search and export, a person's page and its actions.
Households are ``household_views``, the four-colour ledger ``ledger_views``.

Every read goes through ``selectors`` (scoped to the user; an object out of scope is the same
404 as a missing one) and every write through ``services``. ID, phone and certificate numbers
never travel in a URL: the search box POSTs, and a sensitive query is answered in the POST
response and recorded as an access event.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url

from wushe.accounts.roles import EXPORT_LEDGER, MANAGE_PERSONS, READ_REGISTRY, REVEAL_IDENTIFIERS
from wushe.core.exports import wants_reveal, xlsx_response
from wushe.core.forms import region_label
from wushe.core.listing import is_fragment, paginate
from wushe.core.models import AccessEventKind, Region, RegionLevel
from wushe.core.permissions import page_permission
from wushe.core.sections import PERSON, build
from wushe.core.services import access_event_record
from wushe.core.web import AuthedRequest, form_error_messages, service_error_messages

from . import exports, selectors, services
from .forms import DeregisterForm, MoveForm, PersonFilterForm, PersonForm
from .models import Household, Person, PersonStatus

PERSON_LEVELS = (RegionLevel.COMMUNITY, RegionLevel.GRID)
FILTER_LEVELS = tuple(RegionLevel.values)


# ---- the person list and search ---------------------------------------------------------


def _filter_form(
    request: HttpRequest, data: QueryDict | None, choices: tuple[Any, Any] | None = None
) -> PersonFilterForm:
    regions, tags = choices or _filter_choices(request)
    return PersonFilterForm(data, regions=regions, tags=tags)


def _filter_choices(request: HttpRequest) -> tuple[list[Region], list[Any]]:
    return selectors.region_picker(user=request.user, levels=FILTER_LEVELS), selectors.tag_list()


def _render_persons(
    request: HttpRequest,
    form: PersonFilterForm,
    *,
    persons: list[Person] | None = None,
    page: Page | None = None,
    params: QueryDict | None = None,
    sensitive: bool = False,
    blocked: bool = False,
) -> HttpResponse:
    context = {
        "form": form,
        "page_obj": page,
        "persons": persons if persons is not None else (list(page.object_list) if page else []),
        "params": params if params is not None else QueryDict(),
        "base_url": reverse("registry:person_list"),
        "sensitive": sensitive,
        "blocked": blocked,
        "colour_labels": selectors.colour_labels(),
        "can_manage": request.user.has_perm(MANAGE_PERSONS),
        "can_export": request.user.has_perm(EXPORT_LEDGER),
        "can_reveal": request.user.has_perm(REVEAL_IDENTIFIERS),
    }
    template = "registry/_person_results.html" if is_fragment(request) else "registry/person_list.html"
    return render(request, template, context)


def _list_page(request: HttpRequest, form: PersonFilterForm, params: QueryDict) -> HttpResponse:
    filters = form.to_filters()
    page = paginate(request, selectors.person_list(user=request.user, filters=filters))
    page.object_list = selectors.with_current_certificates(list(page.object_list))
    return _render_persons(request, form, page=page, params=params)


@page_permission(READ_REGISTRY)
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    data.pop("page", None)
    choices = _filter_choices(request)
    q = data.get("q", "")
    if q and selectors.is_sensitive_query(q):
        # the number is already in this URL (and maybe a log): do not search with it, and
        # do not echo it back into the page
        data.pop("q")
        form = _filter_form(request, data, choices)
        form.is_valid()
        return _render_persons(request, form, blocked=True, params=form.query(with_q=False))
    if not data:
        data = QueryDict("status=" + PersonStatus.ACTIVE)
    form = _filter_form(request, data, choices)
    if not form.is_valid():
        return _render_persons(request, form)
    return _list_page(request, form, form.query())


@page_permission(READ_REGISTRY)
@require_POST
def person_search(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request, request.POST)
    if not form.is_valid():
        return _render_persons(request, form)
    filters = form.to_filters()
    if filters.q and selectors.is_sensitive_query(filters.q):
        access_event_record(
            kind=AccessEventKind.SEARCH_SENSITIVE,
            user=request.user,
            request=request,
            detail={"filters": form.query(with_q=False).dict(), "page": "person_search"},
        )
        found = list(selectors.person_list(user=request.user, filters=filters)[: settings.WUSHE_PAGE_SIZE])
        return _render_persons(
            request, form, persons=selectors.with_current_certificates(found), sensitive=True
        )
    params = form.query()
    url = f"{reverse('registry:person_list')}?{params.urlencode()}"
    if is_fragment(request):
        return push_url(_list_page(request, form, params), url)
    return redirect(url)


# ---- one person --------------------------------------------------------------------------


def _detail_context(request: HttpRequest, person: Person, **extra: Any) -> dict[str, Any]:
    can_manage = request.user.has_perm(MANAGE_PERSONS)
    active = person.status == PersonStatus.ACTIVE
    context = {
        "person": person,
        "region_path": person.region.full_name,
        "sections": build(request, PERSON, person),
        "history": selectors.person_history(person=person),
        "can_manage": can_manage,
        "can_reveal": request.user.has_perm(REVEAL_IDENTIFIERS),
        "revealed": None,
    }
    if can_manage and active:
        context["deregister_form"] = DeregisterForm()
        context["move_form"] = MoveForm(
            regions=selectors.region_picker(user=request.user, levels=PERSON_LEVELS), current=person.region
        )
    context.update(extra)
    return context


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(user=request.user, pk=pk)
    return render(request, "registry/person_detail.html", _detail_context(request, person))


@login_required
@require_POST
def person_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(user=request.user, pk=pk)
    revealed = services.person_reveal(user=request.user, person=person, request=request)  # 403 without perm
    if is_fragment(request):
        return render(
            request,
            "registry/_identifiers.html",
            {"person": person, "revealed": revealed, "can_reveal": True},
        )
    return render(request, "registry/person_detail.html", _detail_context(request, person, revealed=revealed))


@login_required
@require_POST
def person_deregister(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(MANAGE_PERSONS):
        raise PermissionDenied
    form = DeregisterForm(request.POST)
    if form.is_valid():
        try:
            services.person_deregister(
                acting_user=request.user,
                person=person,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            service_error_messages(request, exc)
        else:
            messages.success(
                request,
                _("已将%(name)s登记为%(status)s")
                % {"name": person.name, "status": person.get_status_display()},
            )
    else:
        form_error_messages(request, form)
    return redirect("registry:person_detail", pk=person.pk)


@login_required
@require_POST
def person_move(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(MANAGE_PERSONS):
        raise PermissionDenied
    form = MoveForm(request.POST, regions=selectors.region_picker(user=request.user, levels=PERSON_LEVELS))
    if form.is_valid():
        try:
            services.person_move(acting_user=request.user, person=person, region=form.region_obj())
        except ValidationError as exc:
            service_error_messages(request, exc)
        else:
            messages.success(request, _("已迁至%(region)s") % {"region": region_label(form.region_obj())})
    else:
        form_error_messages(request, form)
    return redirect("registry:person_detail", pk=person.pk)


def _form_households(request: HttpRequest) -> tuple[list[Household], Household | None]:
    """The households the person form offers to join: the one its link named (``?household=``),
    the one posted, and those found by the head's name (``household_q``); all in scope."""
    source = request.POST if request.method == "POST" else request.GET
    found: list[Household] = []
    named = None
    raw = source.get("household", "")
    if raw:
        try:
            named = selectors.get_household_for_user(user=request.user, pk=int(raw))
            found.append(named)
        except (ValueError, Http404):
            named = None
    q = (source.get("household_q") or "").strip()[:60]
    if q and not selectors.is_sensitive_query(q):
        found += [h for h in selectors.household_pick(user=request.user, q=q) if h not in found]
    return selectors.with_heads(found), named


def _person_form_page(request: AuthedRequest, person: Person | None) -> HttpResponse:
    regions = selectors.region_picker(user=request.user, levels=PERSON_LEVELS)
    tags = selectors.tag_list()
    households, named = _form_households(request)

    def person_form(data: QueryDict | None = None, initial: dict[str, Any] | None = None) -> PersonForm:
        kwargs: dict[str, Any] = {"initial": initial} if initial else {}
        return PersonForm(data, regions=regions, tags=tags, person=person, households=households, **kwargs)

    if request.method == "POST" and "find_household" not in request.POST:
        form = person_form(request.POST)
        if form.is_valid():
            result = form.save(acting_user=request.user)
            if result is not None:
                for warning in result.warnings:
                    messages.warning(request, warning)
                done = _("已登记居民%(name)s") if person is None else _("已保存%(name)s的档案")
                messages.success(request, done % {"name": result.person.name})
                return redirect("registry:person_detail", pk=result.person.pk)
    elif request.method == "POST":  # looking a household up: the form again as typed, not checked
        typed: dict[str, Any] = {k: request.POST.get(k) for k in request.POST if k != "csrfmiddlewaretoken"}
        typed["tags"] = request.POST.getlist("tags")
        typed["household_mode"] = "join"
        form = person_form(initial=typed)
    else:
        initial = {"household_mode": "join", "household": str(named.pk)} if named else {}
        if named is not None and person is None:
            initial.update(region=named.region.code, address=named.address)
        form = person_form(initial=initial)
    return render(request, "registry/person_form.html", {"form": form, "person": person})


@login_required
@permission_required(MANAGE_PERSONS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_create(request: AuthedRequest) -> HttpResponse:
    return _person_form_page(request, None)


@login_required
@permission_required(MANAGE_PERSONS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(user=request.user, pk=pk)
    return _person_form_page(request, person)


@login_required
@permission_required(EXPORT_LEDGER, raise_exception=True)
@require_http_methods(["GET", "POST"])
def person_export(request: HttpRequest) -> HttpResponseBase:
    """The person list as .xlsx with the list page's own filters (one filter definition). A
    search by ID or phone number is not exported (it would put the number in the audit record);
    full numbers only on a POST asking ``reveal=1`` by a user who may see them."""
    params = (request.POST if request.method == "POST" else request.GET).copy()
    for key in ("page", "reveal", "csrfmiddlewaretoken"):
        params.pop(key, None)
    q = params.get("q", "")
    if q and selectors.is_sensitive_query(q):
        params.pop("q")
    if not params:
        params = QueryDict("status=" + PersonStatus.ACTIVE, mutable=True)
    form = _filter_form(request, params)
    if not form.is_valid():
        messages.error(request, _("导出条件有误，请检查后重试"))
        return redirect("registry:person_list")
    filters = form.to_filters()
    reveal = wants_reveal(request, perm=REVEAL_IDENTIFIERS)
    rows = exports.persons_for_export(
        selectors.person_list(user=request.user, filters=filters), reveal=reveal
    )
    day = timezone.localdate()
    # "甲社区 居民名单（…）"; without a region simply "居民名单（…）", never "居民 居民名单"
    where = f"{filters.region.name} " if filters.region else ""
    return xlsx_response(
        request,
        count=rows.count(),
        rows=rows.iterator(chunk_size=2000),
        columns=exports.person_columns(),
        title=f"{where}{_('居民名单（%(day)s）') % {'day': day.isoformat()}}",
        sheet=_("居民名单"),
        filename=f"{where.strip() + '-' if where else ''}{_('居民名单')}-{day:%Y%m%d}.xlsx",
        export="persons",
        obj=filters.region,
        filters=form.query(with_q=False).dict() | ({"q": filters.q} if filters.q else {}),
        reveal=reveal,
    )
