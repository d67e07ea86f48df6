"""The visit pages: the list, one visit, recording a visit (with its needs and problems) and
the coverage list of households not visited for N days."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts.roles import READ_VISITS, RECORD_OUTREACH
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, Listing, ListPage, Sort
from wushe.core.web import AuthedRequest
from wushe.needs.selectors import category_list
from wushe.registry.listing import filtered_region, list_export
from wushe.registry.selectors import get_household_for_user, get_person_for_user, with_heads

from . import selectors, services
from .forms import CoverageForm, NeedFormSet, ProblemFormSet, VisitFilterForm, VisitForm

VISIT_SORTS = (
    Sort("day", gettext_lazy("走访日期"), ("visited_on",), descending_first=True),
    Sort("region", gettext_lazy("所属社区/网格"), ("region__code",)),
    Sort("channel", gettext_lazy("走访方式"), ("channel",)),
    Sort("reached", gettext_lazy("敲开家门"), ("reached",)),
    Sort("leaflets", gettext_lazy("发放宣传资料（份）"), ("leaflets",), descending_first=True),
    Sort("recorder", gettext_lazy("记录人"), ("created_by__username",)),
)

VISITS = ListPage(
    permission=READ_VISITS,
    template="visits/visit_list.html",
    fragment="visits/_visit_table.html",
    form=VisitFilterForm,
    records=selectors.visit_list,
    export=list_export(gettext_lazy("走访记录"), "visits", obj=filtered_region),
    context=lambda request, listing: {"can_record": request.user.has_perm(RECORD_OUTREACH)},
    sorts=VISIT_SORTS,
    default_sort="-day",
    empty=Empty(
        gettext_lazy("还没有走访记录。从待走访名单选一户，记录第一次走访。"),
        action=gettext_lazy("查看待走访名单"),
        url="visits:coverage",
        permission=RECORD_OUTREACH,
    ),
)
visit_list = VISITS.page_view()
visit_export = VISITS.export_view()


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.get_visit_for_user(user=request.user, pk=pk)
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "needs": list(visit.needs.select_related("category").order_by("id")),
            "problems": list(visit.problems.order_by("id")),
        },
    )


def _subject(request: HttpRequest) -> tuple[Any, Any]:
    source = request.POST if request.method == "POST" else request.GET
    household_id, person_id = source.get("household", ""), source.get("person", "")
    if not household_id and not person_id:
        raise Http404
    household = get_household_for_user(user=request.user, pk=household_id) if household_id else None
    person = get_person_for_user(user=request.user, pk=person_id) if person_id else None
    return household, person


@login_required
@permission_required(RECORD_OUTREACH, raise_exception=True)
@require_http_methods(["GET", "POST"])
def visit_create(request: AuthedRequest) -> HttpResponse:
    household, person = _subject(request)
    categories = category_list()
    if request.method == "POST":
        form = VisitForm(request.POST)
        need_rows = NeedFormSet(request.POST, prefix="needs", form_kwargs={"categories": categories})
        problem_rows = ProblemFormSet(request.POST, prefix="problems")
        if form.is_valid() and need_rows.is_valid() and problem_rows.is_valid():
            d = form.cleaned_data
            needs = [
                {"category": r["category"], "description": r["description"], "urgency": r["urgency"]}
                for r in need_rows.cleaned_data
                if r.get("category")
            ]
            problems = [
                {"description": r["description"]} for r in problem_rows.cleaned_data if r.get("description")
            ]
            try:
                with transaction.atomic():
                    visit = services.visit_record(
                        acting_user=request.user,
                        data=services.VisitInput(
                            household=household, person=person, needs=needs, problems=problems, **d
                        ),
                    )
            except ValidationError as exc:
                _apply(exc, form, need_rows, problem_rows)
            else:
                messages.success(
                    request,
                    _("已记录走访，新增需求%(n)s项、问题%(p)s项") % {"n": len(needs), "p": len(problems)},
                )
                return redirect("visits:visit_detail", pk=visit.pk)
    else:
        form = VisitForm()
        need_rows = NeedFormSet(prefix="needs", form_kwargs={"categories": categories})
        problem_rows = ProblemFormSet(prefix="problems")
    return render(
        request,
        "visits/visit_form.html",
        {
            "form": form,
            "need_rows": need_rows,
            "problem_rows": problem_rows,
            "household": household,
            "person": person,
            "subject_members": list(household.members.all()) if household is not None else [],
        },
    )


def _apply(exc: ValidationError, form: Any, need_rows: Any, problem_rows: Any) -> None:
    """A service error names its field (``leaflets``, ``needs.0.description`` …): put it there."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    plain: dict[str, Any] = {}
    for key, errors in exc.error_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] in ("needs", "problems") and parts[1].isdigit():
            rows = need_rows if parts[0] == "needs" else problem_rows
            filled = [f for f in rows.forms if f.has_changed()]
            index = int(parts[1])
            target = filled[index] if index < len(filled) else None
            if target is not None:
                target.add_error(parts[2] if parts[2] in target.fields else None, errors)
                continue
        plain[key] = errors
    if plain:
        apply_service_errors(form, ValidationError(plain))


def _coverage_context(request: HttpRequest, listing: Listing) -> dict[str, Any]:
    """The page's households with their heads, and the summary of the region's coverage."""
    assert listing.page is not None and listing.form is not None
    filters = listing.filters
    rows = with_heads(list(listing.page.object_list))  # each named by its head, in one query
    return {
        "rows": rows,
        "days": filters.days,
        "summary": selectors.coverage_summary(user=request.user, region=filters.region, days=filters.days),
        "can_record": request.user.has_perm(RECORD_OUTREACH),
        "invalid": listing.form.is_bound and not listing.form.is_valid(),
    }


COVERAGE = ListPage(
    permission=READ_VISITS,
    template="visits/coverage.html",
    fragment="visits/_coverage_table.html",
    form=CoverageForm,
    records=selectors.coverage_list,
    export=list_export(gettext_lazy("待走访名单"), "coverage", obj=filtered_region),
    context=_coverage_context,
    empty=Empty(
        gettext_lazy("所选区域的每一户都在期限内走访过。"),
        filtered=gettext_lazy("所选区域和天数内没有待走访的户。"),
    ),
)
coverage = COVERAGE.page_view()
coverage_export = COVERAGE.export_view()
