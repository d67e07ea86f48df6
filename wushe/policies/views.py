"""The pages of 政策找人: the catalogue with each policy's figures in the viewer's scope, a policy
(its rule and what narrows it in SQL, the last run, who qualifies and does not receive it — with
the facts — and who qualifies and receives it), starting a run, recording a policy put into
effect for a person, and the list of applications with its export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import READ_REGISTRY, RECORD_OUTREACH
from wushe.core.config import CONFIGURE
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, ListPage, paginate
from wushe.core.permissions import page_permission
from wushe.core.web import AuthedRequest, first_error
from wushe.registry.listing import list_export
from wushe.registry.picker import person_picker

from . import engine, selectors, services
from .forms import ApplicationFilterForm, ApplicationForm, RevokeForm
from .models import RunStatus


@page_permission(READ_REGISTRY)
@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    counts = selectors.counts_by_policy(request.user)
    rows = [(p, counts.get(p.pk, {"applied": 0, "unreached": 0})) for p in selectors.policy_list()]
    return render(
        request,
        "policies/policy_list.html",
        {
            "rows": rows,
            "run": selectors.latest_run(),
            "can_run": request.user.has_perm(RECORD_OUTREACH),
            "can_configure": request.user.has_perm(CONFIGURE),
        },
    )


@page_permission(READ_REGISTRY)
@require_GET
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = selectors.get_policy(pk)
    missing = paginate(request, selectors.unreached(user=request.user, policy=policy), 50)
    receiving = Paginator(selectors.reached(user=request.user, policy=policy), 50).get_page(
        request.GET.get("rpage")
    )
    return render(
        request,
        "policies/policy_detail.html",
        {
            "policy": policy,
            "terms": [engine.describe(t) for t in engine.terms(policy.rule)],
            "result": selectors.latest_result(policy),
            "run": selectors.latest_run(),
            "page_obj": missing,
            "missing": [(m, selectors.match_facts(m)) for m in missing.object_list],
            "receiving": receiving,
            "qualified": missing.paginator.count + receiving.paginator.count,
            "can_record": request.user.has_perm(RECORD_OUTREACH),
            "can_configure": request.user.has_perm(CONFIGURE),
            "RunStatus": RunStatus,
        },
    )


@page_permission(RECORD_OUTREACH)
@require_POST
def run_start(request: AuthedRequest) -> HttpResponse:
    policy = None
    if request.POST.get("policy"):
        try:
            policy = selectors.get_policy(int(request.POST["policy"]))
        except ValueError:
            policy = None
    try:
        services.run_request(acting_user=request.user, policy=policy)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        messages.success(request, _("已提交政策找人计算，完成后刷新本页查看结果"))
    if policy is not None:
        return redirect("policies:policy_detail", pk=policy.pk)
    return redirect("policies:policy_list")


@page_permission(RECORD_OUTREACH)
@require_http_methods(["GET", "POST"])
def application_create(request: AuthedRequest, pk: int) -> HttpResponse:
    policy = selectors.get_policy(pk)
    picker = person_picker(request, title=_("选择享受政策的居民"))
    form = ApplicationForm(request.POST or None, initial={"benefit": policy.benefit})
    if request.method == "POST" and form.is_valid():
        if picker["chosen"] is None:
            form.add_error(None, _("请先选择居民"))
        else:
            d = form.cleaned_data
            try:
                services.application_record(
                    acting_user=request.user,
                    policy=policy,
                    person=picker["chosen"],
                    applied_on=d["applied_on"],
                    benefit=d["benefit"],
                    amount=d["amount"],
                    note=d["note"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("已登记为%(p)s落实%(n)s") % {"p": picker["chosen"].name, "n": policy.name}
                )
                return redirect("policies:policy_detail", pk=policy.pk)
    return render(
        request,
        "policies/application_form.html",
        {"policy": policy, "picker": picker, "form": form if picker["chosen"] else None},
    )


APPLICATIONS = ListPage(
    permission=READ_REGISTRY,
    template="policies/application_list.html",
    fragment="policies/_application_table.html",
    records=selectors.application_list,
    form=ApplicationFilterForm,
    export=list_export(gettext_lazy("政策落实记录"), "policy_applications"),
    empty=Empty(gettext_lazy("没有符合条件的政策落实记录。在政策页面为应享未享的居民登记落实。")),
)
application_list = APPLICATIONS.page_view()
application_export = APPLICATIONS.export_view()


@page_permission(READ_REGISTRY)
@require_http_methods(["GET", "POST"])
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, pk)
    can_revoke = request.user.has_perm(RECORD_OUTREACH) and application.revoked_at is None
    form = RevokeForm(request.POST or None) if can_revoke else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("该记录不能撤销"))
        elif form.is_valid():
            try:
                services.application_revoke(
                    acting_user=request.user, application=application, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已撤销该落实记录"))
                return redirect(reverse("policies:application_detail", args=[application.pk]))
    return render(request, "policies/application_detail.html", {"application": application, "form": form})
