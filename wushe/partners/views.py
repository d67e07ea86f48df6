"""The partners pages: organizations, the resources list (资源清单) and the responsibility
list (责任清单) with a page per unit showing its open, overdue and done needs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts.roles import MANAGE_LISTS, READ_LISTS
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, Listing, ListPage, Sort, page_params, paginate
from wushe.core.models import AREA_LEVELS
from wushe.core.web import AuthedRequest
from wushe.needs.selectors import category_list, unit_needs, unit_work, unit_work_counts
from wushe.registry.listing import list_export
from wushe.registry.selectors import region_picker

from . import selectors, services
from .forms import OrganizationFilterForm, ResourceFilterForm, ResourceForm

SHOW = ("open", "overdue", "done")


ORGANIZATIONS = ListPage(
    permission=READ_LISTS,
    template="partners/organization_list.html",
    fragment="partners/_organization_table.html",
    form=OrganizationFilterForm,
    records=selectors.organization_list,
    export=list_export(gettext_lazy("社会组织与单位"), "organizations"),
    sorts=(
        Sort("name", gettext_lazy("名称"), ("name",)),
        Sort("kind", gettext_lazy("类型"), ("kind",)),
        Sort("region", gettext_lazy("所属区域"), ("region__code",)),
        Sort("code", gettext_lazy("统一社会信用代码"), ("credit_code",)),
    ),
    empty=Empty(gettext_lazy("还没有登记的社会组织和单位。")),
)
organization_list = ORGANIZATIONS.page_view()
organization_export = ORGANIZATIONS.export_view()


@login_required
@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.get_organization_for_user(user=request.user, pk=pk)
    resources = list(
        selectors.resource_list(user=request.user, filters=selectors.ResourceFilters(provider=org.pk))[:50]
    )
    return render(request, "partners/organization_detail.html", {"org": org, "resources": resources})


RESOURCES = ListPage(
    permission=READ_LISTS,
    template="partners/resource_list.html",
    fragment="partners/_resource_table.html",
    form=ResourceFilterForm,
    records=selectors.resource_list,
    export=list_export(gettext_lazy("资源清单"), "resources"),
    context=lambda request, listing: {"can_manage": request.user.has_perm(MANAGE_LISTS)},
    sorts=(
        Sort("name", gettext_lazy("资源名称"), ("name",)),
        Sort("provider", gettext_lazy("提供方"), ("provider__name",)),
        Sort("region", gettext_lazy("服务区域"), ("region__code",)),
        Sort("remaining", gettext_lazy("剩余容量"), ("remaining",), descending_first=True),
        Sort("period", gettext_lazy("可用期限"), ("available_to",)),
    ),
    empty=Empty(
        gettext_lazy("还没有资源。登记社会组织、企业和单位能提供的服务，需求才能对接到它们。"),
        action=gettext_lazy("登记资源"),
        url="partners:resource_create",
        permission=MANAGE_LISTS,
    ),
)
resource_list = RESOURCES.page_view()
resource_export = RESOURCES.export_view()


@login_required
@require_GET
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.get_resource_for_user(user=request.user, pk=pk)
    return render(request, "partners/resource_detail.html", {"resource": resource})


@login_required
@permission_required(MANAGE_LISTS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def resource_create(request: AuthedRequest) -> HttpResponse:
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


def _unit_rows(request: HttpRequest, listing: Listing) -> dict[str, Any]:
    """Each unit of the page with its open, overdue and done needs (one query for the page)."""
    assert listing.page is not None
    units = list(listing.page.object_list)
    work = unit_work_counts(user=request.user, unit_ids=[u.pk for u in units])
    return {"rows": [(u, work[u.pk]) for u in units]}


RESPONSIBILITIES = ListPage(
    permission=READ_LISTS,
    template="partners/responsibility_list.html",
    fragment="partners/_responsibility_table.html",
    records=selectors.responsibility_unit_list,
    export=list_export(gettext_lazy("责任清单"), "responsibilities"),
    context=_unit_rows,
    sorts=(
        Sort("name", gettext_lazy("单位名称"), ("name",)),
        Sort("kind", gettext_lazy("单位类型"), ("kind",)),
        Sort("region", gettext_lazy("所属区域"), ("region__code",)),
    ),
    empty=Empty(gettext_lazy("还没有责任单位。需求和诉求要由责任单位办理：请街道管理员设立。")),
)
responsibility_list = RESPONSIBILITIES.page_view()
responsibility_export = RESPONSIBILITIES.export_view()


@login_required
@require_GET
def responsibility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.get_responsibility_unit_for_user(user=request.user, pk=pk)
    show = request.GET.get("show", "open")
    if show not in SHOW:
        show = "open"
    page = paginate(request, unit_needs(user=request.user, unit=unit, show=show))
    return render(
        request,
        "partners/responsibility_detail.html",
        {
            "unit": unit,
            "work": unit_work(user=request.user, unit=unit),
            "show": show,
            "page_obj": page,
            "params": page_params(request),
            "today": timezone.localdate(),
        },
    )
