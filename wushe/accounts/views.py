"""Users and role grants, and the access log, on wushe's own pages (the admin is for
superusers): a street administrator creates accounts, grants and revokes roles inside the street
and reads the access events of the street's users and records. Every write goes through
``accounts.services`` and is an access event."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.core.forms import apply_service_errors
from wushe.core.listing import ListPage
from wushe.core.web import AuthedRequest

from . import selectors, services
from .forms import AuditFilterForm, GrantForm, UserCreateForm
from .models import User
from .roles import MANAGE_USERS, VIEW_AUDIT

if TYPE_CHECKING:
    from wushe.core.types import AnyUser

ADMIN_PAGE_SIZE = 50  # the account and access-log tables are short rows: twice a list's page


def _users(*, user: AnyUser) -> QuerySet[User]:
    return selectors.user_list(user=user).prefetch_related("grants__region")


USERS = ListPage(
    permission=MANAGE_USERS, template="accounts/user_list.html", records=_users, per_page=ADMIN_PAGE_SIZE
)
user_list = USERS.page_view()


@login_required
@permission_required(MANAGE_USERS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def user_create(request: AuthedRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.user_register(
                acting_user=request.user,
                username=data["username"],
                display_name=data["display_name"],
                password=data["password"],
                role=data["role"],
                region=data.get("region"),
                organization=data.get("organization"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("账号已创建"))
            return redirect("accounts:user_detail", pk=created.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@permission_required(MANAGE_USERS, raise_exception=True)
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.get_user_for_user(user=request.user, pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "grants": selectors.grant_list(user=request.user, target=target),
            "form": GrantForm(user=request.user),
            "whole": selectors.user_is_wholly_in_scope(user=request.user, target=target),
        },
    )


@login_required
@permission_required(MANAGE_USERS, raise_exception=True)
@require_POST
def user_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    target = selectors.get_user_for_user(user=request.user, pk=pk)
    form = GrantForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.role_grant(
                acting_user=request.user,
                user=target,
                role=data["role"],
                region=data.get("region"),
                organization=data.get("organization"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已授权"))
            return redirect("accounts:user_detail", pk=target.pk)
    context = {
        "target": target,
        "grants": selectors.grant_list(user=request.user, target=target),
        "form": form,
        "whole": selectors.user_is_wholly_in_scope(user=request.user, target=target),
    }
    return render(request, "accounts/user_detail.html", context, status=400)


@login_required
@permission_required(MANAGE_USERS, raise_exception=True)
@require_POST
def grant_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    grant = selectors.get_grant_for_user(user=request.user, pk=pk)
    target = grant.user
    services.role_revoke(acting_user=request.user, grant=grant)
    messages.success(request, _("已撤销授权"))
    if selectors.user_list(user=request.user).filter(pk=target.pk).exists():
        return redirect("accounts:user_detail", pk=target.pk)
    return redirect("accounts:user_list")


@login_required
@permission_required(MANAGE_USERS, raise_exception=True)
@require_POST
def user_active(request: AuthedRequest, pk: int) -> HttpResponse:
    target = selectors.get_user_for_user(user=request.user, pk=pk)
    try:
        services.user_set_active(
            acting_user=request.user,
            user=target,
            active=request.POST.get("active") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已保存"))
    return redirect("accounts:user_detail", pk=target.pk)


AUDIT = ListPage(
    permission=VIEW_AUDIT,
    template="accounts/audit.html",
    form=AuditFilterForm,
    records=selectors.audit_list,
    per_page=ADMIN_PAGE_SIZE,
)
audit = AUDIT.page_view()
