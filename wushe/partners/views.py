"""The partners pages: organizations, the resources list (资源清单) and the responsibility
list (责任清单) with a page per unit showing its open, overdue and done needs."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts.roles import EXPORT_LEDGER, MANAGE_LISTS
from wushe.core.exports import records_response
from wushe.core.forms import apply_service_errors
from wushe.core.models import AREA_LEVELS
from wushe.needs.selectors import category_list, unit_needs, unit_work, unit_work_counts
from wushe.registry.selectors import region_picker

from . import selectors, services
from .forms import OrganizationFilterForm, ResourceFilterForm, ResourceForm
from .models import Organization, Resource, ResponsibilityUnit

SHOW = ("open", "overdue", "done")


def _params(request: HttpRequest) -> QueryDict:
    params = request.GET.copy()
    params.pop("page", None)
    return params


def _page(request: HttpRequest, qs: object) -> object:
    return Paginator(qs, settings.WUSHE_PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]


def _organization_records(request: HttpRequest) -> tuple[OrganizationFilterForm, QuerySet[Organization]]:
    """The organization list's filter form and its records: one definition for the page and its export."""
    form = OrganizationFilterForm(request.GET or None)
    filters = selectors.OrganizationFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.OrganizationFilters(q=form.cleaned_data["q"], kind=form.cleaned_data["kind"])
    return form, selectors.organization_list(user=request.user, filters=filters)


@login_required
@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    form, records = _organization_records(request)
    page = _page(request, records)
    return render(
        request,
        "partners/organization_list.html",
        {"form": form, "page_obj": page, "params": _params(request)},
    )


@login_required
@permission_required(EXPORT_LEDGER, raise_exception=True)
@require_GET
def organization_export(request: HttpRequest) -> HttpResponseBase:
    """The organization list as .xlsx, with the list's own filters."""
    _form, records = _organization_records(request)
    return records_response(request, records=records, name=_("社会组织与单位"), export="organizations")


@login_required
@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.get_organization_for_user(user=request.user, pk=pk)
    resources = list(
        selectors.resource_list(user=request.user, filters=selectors.ResourceFilters(provider=org.pk))[:50]
    )
    return render(request, "partners/organization_detail.html", {"org": org, "resources": resources})


def _resource_records(request: HttpRequest) -> tuple[ResourceFilterForm, QuerySet[Resource]]:
    """The resource list's filter form and its records: one definition for the page and its export."""
    form = ResourceFilterForm(request.GET or None, categories=category_list())
    filters = selectors.ResourceFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.ResourceFilters(
            q=d["q"], category=d["category"], kind=d["kind"], available=d["available"]
        )
    return form, selectors.resource_list(user=request.user, filters=filters)


@login_required
@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    form, records = _resource_records(request)
    page = _page(request, records)
    return render(
        request,
        "partners/resource_list.html",
        {
            "form": form,
            "page_obj": page,
            "params": _params(request),
            "can_manage": request.user.has_perm(MANAGE_LISTS),
        },
    )


@login_required
@permission_required(EXPORT_LEDGER, raise_exception=True)
@require_GET
def resource_export(request: HttpRequest) -> HttpResponseBase:
    """The resource list as .xlsx, with the list's own filters."""
    _form, records = _resource_records(request)
    return records_response(request, records=records, name=_("资源清单"), export="resources")


@login_required
@require_GET
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.get_resource_for_user(user=request.user, pk=pk)
    return render(request, "partners/resource_detail.html", {"resource": resource})


@login_required
@permission_required(MANAGE_LISTS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def resource_create(request: HttpRequest) -> HttpResponse:
    providers = list(selectors.organization_list(user=request.user)[:500])
    regions = region_picker(user=request.user, levels=AREA_LEVELS)
    form = ResourceForm(
        request.POST or None, providers=providers, regions=regions, categories=category_list()
    )
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(acting_user=request.user, **form.values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记资源%(name)s") % {"name": resource.name})
            return redirect("partners:resource_detail", pk=resource.pk)
    return render(request, "partners/resource_form.html", {"form": form}, status=400 if form.errors else 200)


def _responsibility_records(request: HttpRequest) -> QuerySet[ResponsibilityUnit]:
    """The responsibility list's units (the page's and its export's; the list has no filters)."""
    return selectors.responsibility_unit_list(user=request.user)


@login_required
@require_GET
def responsibility_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, _responsibility_records(request))
    units = list(page.object_list)  # type: ignore[attr-defined]
    work = unit_work_counts(user=request.user, unit_ids=[u.pk for u in units])
    rows = [(u, work[u.pk]) for u in units]
    return render(
        request,
        "partners/responsibility_list.html",
        {"page_obj": page, "rows": rows, "params": _params(request)},
    )


@login_required
@permission_required(EXPORT_LEDGER, raise_exception=True)
@require_GET
def responsibility_export(request: HttpRequest) -> HttpResponseBase:
    """The responsibility list as .xlsx."""
    records = _responsibility_records(request)
    return records_response(request, records=records, name=_("责任清单"), export="responsibilities")


@login_required
@require_GET
def responsibility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.get_responsibility_unit_for_user(user=request.user, pk=pk)
    show = request.GET.get("show", "open")
    if show not in SHOW:
        show = "open"
    page = _page(request, unit_needs(user=request.user, unit=unit, show=show))
    return render(
        request,
        "partners/responsibility_detail.html",
        {
            "unit": unit,
            "work": unit_work(user=request.user, unit=unit),
            "show": show,
            "page_obj": page,
            "params": _params(request),
            "today": timezone.localdate(),
        },
    )
