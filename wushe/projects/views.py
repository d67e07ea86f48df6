"""The 项目清单 pages: the list, one project with its linked needs and resources, a new project."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts.roles import MANAGE_LISTS, READ_PROJECTS
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, ListPage, Sort
from wushe.core.models import AREA_LEVELS
from wushe.core.web import AuthedRequest
from wushe.needs.models import Need
from wushe.needs.selectors import category_list
from wushe.partners.selectors import organization_list
from wushe.registry.listing import list_export
from wushe.registry.selectors import region_picker

from . import selectors, services
from .forms import ProjectForm

PROJECTS = ListPage(
    permission=READ_PROJECTS,
    template="projects/project_list.html",
    fragment="projects/_project_table.html",
    records=selectors.project_list,
    export=list_export(gettext_lazy("项目清单"), "projects"),
    context=lambda request, listing: {"can_manage": request.user.has_perm(MANAGE_LISTS)},
    sorts=(
        Sort("name", gettext_lazy("项目名称"), ("name",)),
        Sort("kind", gettext_lazy("项目类型"), ("kind",)),
        Sort("organization", gettext_lazy("承接组织"), ("organization__name",)),
        Sort("budget", gettext_lazy("预算（元）"), ("budget",), descending_first=True),
        Sort("period", gettext_lazy("周期"), ("start_on", "end_on"), descending_first=True),
        Sort("needs", gettext_lazy("对接需求"), ("need_count",), descending_first=True),
    ),
    default_sort="-period",
    empty=Empty(
        gettext_lazy("还没有项目。登记项目的承接组织、经费和周期，需求可以对接到项目。"),
        action=gettext_lazy("登记项目"),
        url="projects:project_create",
        permission=MANAGE_LISTS,
    ),
)
project_list = PROJECTS.page_view()
project_export = PROJECTS.export_view()


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_for_user(user=request.user, pk=pk)
    needs = list(
        Need.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("category")
        .order_by("-reported_on")[:50]
    )
    return render(request, "projects/project_detail.html", {"project": project, "needs": needs})


@login_required
@permission_required(MANAGE_LISTS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def project_create(request: AuthedRequest) -> HttpResponse:
    form = ProjectForm(
        request.POST or None,
        regions=region_picker(user=request.user, levels=AREA_LEVELS),
        organizations=list(organization_list(user=request.user)[:500]),
        categories=category_list(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(acting_user=request.user, **form.values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记项目%(name)s") % {"name": project.name})
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form}, status=400 if form.errors else 200)
