"""The poverty work's pages: household checks, leads and their steps (overdue listed), monitoring
objects with measures, monthly income and elimination, warnings (run, confirm, dismiss), the
一户一册 and 一户一卡 (HTML for the printer and PDF), and booklet batches made in the background."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import READ_REGISTRY, RECORD_OUTREACH
from wushe.core.forms import apply_service_errors
from wushe.core.listing import Empty, ListPage
from wushe.core.pdf import content_disposition, pdf_response
from wushe.core.permissions import page_permission
from wushe.core.regions import ancestor_ids
from wushe.core.web import AuthedRequest, first_error, form_error_messages
from wushe.partners.models import ResponsibilityUnit
from wushe.registry.models import Household, Person, PersonStatus
from wushe.registry.selectors import get_household_for_user, region_picker
from wushe.registry.selectors.households import MEMBER_ORDER

from . import documents, selectors, services
from .forms import (
    BatchForm,
    CheckFilter,
    CheckForm,
    ConfirmForm,
    DismissForm,
    IncomeForm,
    LeadFilter,
    LeadForm,
    MeasureForm,
    ObjectFilter,
    StepForm,
    WarningFilter,
)
from .models import STEPS, BatchStatus, Stage
from .services.batches import BATCH_LEVELS

CHECKS = ListPage(
    permission=READ_REGISTRY,
    template="poverty/check_list.html",
    records=selectors.checks_page,
    form=CheckFilter,
    empty=Empty(gettext_lazy("还没有入户核查。在户的页面上点“入户核查”登记。")),
)
check_list = CHECKS.page_view()

LEADS = ListPage(
    permission=READ_REGISTRY,
    template="poverty/lead_list.html",
    records=selectors.leads_page,
    form=LeadFilter,
    context=lambda request, listing: {"today": selectors.today()},
    empty=Empty(gettext_lazy("没有监测线索。")),
)
lead_list = LEADS.page_view()

OBJECTS = ListPage(
    permission=READ_REGISTRY,
    template="poverty/object_list.html",
    records=selectors.objects_page,
    form=ObjectFilter,
    empty=Empty(gettext_lazy("没有监测对象。线索经县级审定后纳入监测。")),
)
object_list = OBJECTS.page_view()

WARNINGS = ListPage(
    permission=READ_REGISTRY,
    template="poverty/warning_list.html",
    records=selectors.warnings_page,
    form=WarningFilter,
    context=lambda request, listing: {
        "last_run": selectors.last_warning_run(),
        "can_act": request.user.has_perm(RECORD_OUTREACH),
        "confirm_form": ConfirmForm(),
        "dismiss_form": DismissForm(),
    },
    empty=Empty(gettext_lazy("没有返贫预警。")),
)
warning_list = WARNINGS.page_view()


def _household(request: HttpRequest) -> Household:
    source = request.POST if request.method == "POST" else request.GET
    pk = source.get("household", "")
    if not pk.isdigit():
        raise Http404
    return get_household_for_user(user=request.user, pk=pk)


@page_permission(RECORD_OUTREACH)
@require_http_methods(["GET", "POST"])
def check_create(request: AuthedRequest) -> HttpResponse:
    household = _household(request)
    members = list(
        Person.objects.filter(household=household, status=PersonStatus.ACTIVE).order_by(*MEMBER_ORDER)
    )
    units = list(
        ResponsibilityUnit.objects.filter(region_id__in=ancestor_ids(household.region), active=True).order_by(
            "-region__depth", "name"
        )[:50]
    )
    form = CheckForm(
        request.POST or None, members=members, units=units, initial={"members": len(members) or 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            check = services.household_check_record(
                acting_user=request.user,
                household=household,
                **form.values(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            failed = sum(1 for i in check.items.all() if not i.passed)
            messages.success(
                request,
                _("已登记入户核查，%(n)s项未达标已转为需求") % {"n": failed}
                if failed
                else _("已登记入户核查，全部达标"),
            )
            return redirect("poverty:check_detail", pk=check.pk)
    return render(request, "poverty/check_form.html", {"form": form, "household": household})


@page_permission(READ_REGISTRY)
@require_GET
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.get_check_for_user(request.user, pk)
    return render(request, "poverty/check_detail.html", {"check": check, "items": list(check.items.all())})


@page_permission(RECORD_OUTREACH)
@require_http_methods(["GET", "POST"])
def lead_create(request: AuthedRequest) -> HttpResponse:
    household = _household(request)
    form = LeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.lead_create(acting_user=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已登记监测线索"))
            return redirect("poverty:lead_detail", pk=lead.pk)
    return render(request, "poverty/lead_form.html", {"form": form, "household": household})


@page_permission(READ_REGISTRY)
@require_GET
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.get_lead_for_user(request.user, pk)
    form = StepForm(initial={"step": lead.stage}) if lead.is_open else None
    context = {
        "lead": lead,
        "steps": list(lead.steps.all()),
        "form": form,
        "is_notice": lead.stage == Stage.NOTICE,
        "is_county": lead.stage == Stage.COUNTY,
        "all_steps": STEPS,
        "can_act": request.user.has_perm(RECORD_OUTREACH),
        "overdue": lead.is_open and lead.deadline < selectors.today(),
    }
    return render(request, "poverty/lead_detail.html", context)


@page_permission(RECORD_OUTREACH)
@require_POST
def lead_step(request: AuthedRequest, pk: int) -> HttpResponse:
    lead = selectors.get_lead_for_user(request.user, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect("poverty:lead_detail", pk=pk)
    try:
        services.lead_step(acting_user=request.user, lead=lead, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        messages.success(request, _("已办理：%(s)s") % {"s": Stage(form.cleaned_data["step"]).label})
    return redirect("poverty:lead_detail", pk=pk)


@page_permission(READ_REGISTRY)
@require_GET
def object_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.get_object_for_user(request.user, pk)
    context = {
        "obj": obj,
        "measures": list(obj.measures.all()),
        "incomes": sorted(obj.incomes.all(), key=lambda i: i.month),
        "blockers": services.elimination_blockers(obj, selectors.today()),
        "measure_form": MeasureForm(),
        "income_form": IncomeForm(),
        "can_act": request.user.has_perm(RECORD_OUTREACH),
    }
    return render(request, "poverty/object_detail.html", context)


@page_permission(RECORD_OUTREACH)
@require_POST
def measure_add(request: AuthedRequest, pk: int) -> HttpResponse:
    obj = selectors.get_object_for_user(request.user, pk)
    form = MeasureForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
    else:
        try:
            services.measure_add(acting_user=request.user, monitored=obj, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, first_error(exc))
        else:
            messages.success(request, _("已登记帮扶措施"))
    return redirect("poverty:object_detail", pk=pk)


@page_permission(RECORD_OUTREACH)
@require_POST
def income_add(request: AuthedRequest, pk: int) -> HttpResponse:
    obj = selectors.get_object_for_user(request.user, pk)
    form = IncomeForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
    else:
        try:
            services.income_record(acting_user=request.user, monitored=obj, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, first_error(exc))
        else:
            messages.success(request, _("已登记月度收入"))
    return redirect("poverty:object_detail", pk=pk)


@page_permission(RECORD_OUTREACH)
@require_POST
def object_eliminate(request: AuthedRequest, pk: int) -> HttpResponse:
    obj = selectors.get_object_for_user(request.user, pk)
    try:
        services.object_eliminate(acting_user=request.user, monitored=obj)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        messages.success(request, _("已标注风险消除"))
    return redirect("poverty:object_detail", pk=pk)


@page_permission(RECORD_OUTREACH)
@require_POST
def warning_run(request: AuthedRequest) -> HttpResponse:
    from .tasks import run_early_warning

    run_early_warning.enqueue(requested_by=request.user.pk)
    messages.success(request, _("已开始运行预警规则，稍后刷新本页查看"))
    return redirect("poverty:warning_list")


@page_permission(RECORD_OUTREACH)
@require_POST
def warning_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    warning = selectors.get_warning_for_user(request.user, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect("poverty:warning_list")
    try:
        lead = services.warning_confirm(acting_user=request.user, warning=warning, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
        return redirect("poverty:warning_list")
    messages.success(request, _("已确认预警并转为监测线索"))
    return redirect("poverty:lead_detail", pk=lead.pk)


@page_permission(RECORD_OUTREACH)
@require_POST
def warning_dismiss(request: AuthedRequest, pk: int) -> HttpResponse:
    warning = selectors.get_warning_for_user(request.user, pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
    else:
        try:
            services.warning_dismiss(
                acting_user=request.user, warning=warning, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, first_error(exc))
        else:
            messages.success(request, _("已排除预警"))
    return redirect("poverty:warning_list")


# ---- 一户一册 and 一户一卡 ----------------------------------------------------------------------


@page_permission(READ_REGISTRY)
@require_GET
def booklet(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(user=request.user, pk=pk)
    if request.GET.get("format") == "pdf":
        return pdf_response(
            "poverty/print/booklet.html",
            {"pages": [documents.context_for(household, request.user)]},
            filename=_("一户一册-%(h)s.pdf") % {"h": household.pk},
            request=request,
        )
    context = {
        "pages": [documents.context_for(household, request.user)],
        "screen": True,
        "household": household,
    }
    return render(request, "poverty/print/booklet.html", context)


@page_permission(READ_REGISTRY)
@require_GET
def card(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_for_user(user=request.user, pk=pk)
    context = {"pages": [documents.context_for(household, request.user, with_sections=False)]}
    if request.GET.get("format") == "pdf":
        return pdf_response(
            "poverty/print/card.html",
            context,
            filename=_("一户一卡-%(h)s.pdf") % {"h": household.pk},
            request=request,
        )
    return render(request, "poverty/print/card.html", {**context, "screen": True, "household": household})


@page_permission(READ_REGISTRY)
@require_http_methods(["GET", "POST"])
def batch_list(request: AuthedRequest) -> HttpResponse:
    form = BatchForm(request.POST or None, regions=region_picker(user=request.user, levels=BATCH_LEVELS))
    if request.method == "POST" and form.is_valid():
        region = form.region_obj()
        assert region is not None
        try:
            batch = services.booklet_batch_request(acting_user=request.user, region=region)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已开始生成，完成后可下载"))
            return redirect("poverty:batch_detail", pk=batch.pk)
    batches = list(selectors.batch_list(user=request.user)[:20])
    return render(request, "poverty/batch_list.html", {"form": form, "batches": batches})


@page_permission(READ_REGISTRY)
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.get_batch_for_user(request.user, pk)
    from wushe.core.taskstate import waiting_for_worker

    context = {
        "batch": batch,
        "waiting": batch.status == BatchStatus.WAITING and waiting_for_worker(batch.task_id),
        "running": batch.status in (BatchStatus.WAITING, BatchStatus.RUNNING),
    }
    return render(request, "poverty/batch_detail.html", context)


@page_permission(READ_REGISTRY)
@require_GET
def batch_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.get_batch_for_user(request.user, pk, with_pdf=True)
    if batch.status != BatchStatus.DONE or not batch.pdf:
        raise Http404
    response = HttpResponse(bytes(batch.pdf), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(_("一户一册-%(r)s.pdf") % {"r": batch.region.name})
    response["Cache-Control"] = "private, no-store"
    return response
