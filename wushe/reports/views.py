"""The home page (the user's to-do list; a 领导's also the region's figures), the dashboard, the
large screen, the drill-down and the work report."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wushe.accounts.roles import EXPORT_LEDGER, READ_FIGURES, Role
from wushe.accounts.selectors import own_grants
from wushe.core.drill import prepared_rows, presenter_for, rows_for
from wushe.core.exports import Column as XColumn
from wushe.core.exports import xlsx_response
from wushe.core.forms import region_label
from wushe.core.listing import page_params, paginate
from wushe.core.metrics import (
    Scope,
    compute,
    compute_known,
    is_known,
    metric_definition,
    numerator_of,
    parts_for,
    records_for,
    sum_field,
)
from wushe.core.models import Region, RegionLevel
from wushe.core.permissions import page_permission
from wushe.core.replica import reads_from_replica
from wushe.core.selectors import get_region_for_user, region_roots_for_user
from wushe.core.todos import holds, todos_for
from wushe.core.web import AuthedRequest
from wushe.registry.models import DisabilityCategory, LedgerColour
from wushe.registry.selectors import colour_map, person_counts_by_community, region_picker

from .dashboard import drill_url, period_query
from .docx import DOCX, write_docx
from .forms import PeriodForm
from .narrative import WorkReport, work_report
from .periods import Period, describe, quick_choices, this_year
from .screen import wall_for
from .services import dashboard_served

CARD_KEYS = ["persons", "households", "disabled", "communities", "grids"]
COLOUR_KEYS = [f"ledger.{c.value}" for c in LedgerColour]
PICKER_LEVELS = (
    RegionLevel.PROVINCE,
    RegionLevel.CITY,
    RegionLevel.COUNTY,
    RegionLevel.STREET,
    RegionLevel.COMMUNITY,
)


def _region(request: HttpRequest, roots: list[Region]) -> Region | None:
    """``?region=CODE`` (404 if missing or out of scope, like every object), else the first
    region of the user's grants."""
    code = request.GET.get("region", "").strip()
    if code:
        return get_region_for_user(user=request.user, code=code)
    return roots[0] if roots else None


def _drilldown(key: str, region: Region) -> str:
    """Where a figure's records are listed."""
    if key == "persons":
        return f"{reverse('registry:person_list')}?region={region.code}"
    if key == "disabled":
        return f"{reverse('registry:ledger')}?region={region.code}"
    return f"{reverse('reports:drill', args=[key])}?region={region.code}"


def _figures(request: HttpRequest, region: Region) -> dict[str, Any]:
    """The region's figures: cards, the four-colour ledger, residents per community."""
    picker = region_picker(user=request.user, levels=PICKER_LEVELS)
    if region not in picker:
        picker = [region, *picker]
    figures = compute(Scope(region=region, user=request.user), keys=CARD_KEYS + COLOUR_KEYS)
    mapping = colour_map()
    labels = dict(DisabilityCategory.choices)
    colours: list[dict[str, Any]] = []
    for colour in LedgerColour:
        categories = _("、").join(str(labels[c]) for c in sorted(mapping) if mapping[c] == colour.value)
        colours.append(
            {
                "colour": colour.value,
                "label": str(colour.label),
                "categories": categories,
                "value": figures[f"ledger.{colour.value}"].value,
            }
        )
    per_community = person_counts_by_community(user=request.user, region=region)
    ledger_chart = {
        "kind": "pie",
        "series": _("四色台账"),
        # the colour named in words on the chart; the table beside it names the categories
        "items": [{"label": c["label"], "value": c["value"], "colour": c["colour"]} for c in colours],
    }
    community_chart = {
        "kind": "bar",
        "series": _("在册居民"),
        "items": [{"label": r.name, "value": n, "colour": "default"} for r, n in per_community],
    }
    return {
        "region_path": region.full_name,
        "picker": [(r.code, region_label(r), r.pk == region.pk) for r in picker],
        "cards": [{"figure": figures[k], "url": _drilldown(k, region)} for k in CARD_KEYS],
        "colours": colours,
        "per_community": per_community,
        "ledger_chart": ledger_chart,
        "community_chart": community_chart,
    }


def shows_figures(user: Any) -> bool:
    """A 领导 (read-only) has the region's figures on the home page, under what is overdue; the
    others have their to-do list there and the figures one click away (统计看板)."""
    return holds(user, Role.LEADER) and not user.is_superuser


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The user's work today: every to-do that applies to the user's roles and grants
    (``core.todos``, registered by the apps), each counted, with its first records and the link
    to its list; a 领导's home also shows the region's figures."""
    roots = region_roots_for_user(user=request.user)
    region = _region(request, roots)  # ?region= out of scope: the same 404 as a missing one
    items = todos_for(request.user)
    context: dict[str, Any] = {
        "region": region,
        "todos": [i for i in items if i.count],
        "idle": [i for i in items if not i.count],
        "grants": own_grants(user=request.user) if request.user.is_authenticated else [],
        "today": timezone.localdate(),
        "figures": region is not None and shows_figures(request.user),
    }
    if context["figures"]:
        context.update(_figures(request, region))  # type: ignore[arg-type]
    return render(request, "reports/home.html", context)


# ---- the dashboard, the large screen and the drill-down ---------------------------------------

DASHBOARD_LEVELS = (*PICKER_LEVELS, RegionLevel.GRID)


def _period_form(request: HttpRequest) -> tuple[PeriodForm | None, Region | None]:
    """The region (``?region=CODE`` in scope — else the same 404 as an unknown code — or the
    user's first region) and the bound period form, or ``(None, None)`` without any grant."""
    data = request.GET.copy()
    code = data.get("region", "").strip()
    if code:
        region = get_region_for_user(user=request.user, code=code)
    else:
        roots = region_roots_for_user(user=request.user)
        if not roots:
            return None, None
        region = roots[0]
    data["region"] = region.code
    if not data.get("from") and not data.get("to"):  # the default period, shown in the form
        default = this_year(timezone.localdate())
        data["from"], data["to"] = default.start.isoformat(), default.end.isoformat()
    picker = region_picker(user=request.user, levels=DASHBOARD_LEVELS)
    if region not in picker:
        picker = [region, *picker]
    return PeriodForm(data, regions=picker), region


def _dashboard_context(request: AuthedRequest, *, screen: bool) -> tuple[dict[str, Any], int]:
    form, region = _period_form(request)
    if form is None or region is None:
        return {"region": None}, 200
    if not form.is_valid():
        return {"region": region, "form": form, "invalid": True}, 400
    period = form.period()
    served = dashboard_served(
        acting_user=request.user, region=region, period=period, fresh=request.GET.get("fresh") == "1"
    )
    board = served.board
    today = timezone.localdate()
    return {
        "served": served,
        "region": region,
        "region_path": region.full_name,
        "form": form,
        "board": board,
        "period_text": describe(period),
        "previous_text": describe(board.previous),
        "last_year_text": describe(board.last_year),
        "quick": [(label, period_query(region, p)) for label, p in quick_choices(today)],
        "query": period_query(region, period),
        "screen": screen,
    }, 200


@page_permission(READ_FIGURES)
@require_GET
@reads_from_replica
def dashboard(request: AuthedRequest) -> HttpResponse:
    context, status = _dashboard_context(request, screen=False)
    return render(request, "reports/dashboard.html", context, status=status)


@page_permission(READ_FIGURES)
@require_GET
@reads_from_replica
def screen(request: AuthedRequest) -> HttpResponse:
    """数据大屏: the key figures and charts, large, on one screen of the street office's wall,
    refreshing themselves (reports.screen)."""
    context, status = _dashboard_context(request, screen=True)
    if "board" in context:
        context["wall"] = wall_for(context["board"])
        context["updated_at"] = timezone.localtime()
    return render(request, "reports/screen.html", context, status=status)


def _drill(request: HttpRequest, key: str) -> tuple[dict[str, Any], Any]:
    """The drill-down's context and records: the records behind the figure (a rate's: its
    denominator; with ``?counted=1`` only those its numerator counts), or ``None`` with the
    figure's parts in the context when the figure adds up other figures."""
    if not is_known(key):
        raise Http404
    form, region = _period_form(request)
    if form is None or region is None:
        raise Http404
    if not form.is_valid():
        return {"form": form, "region": region, "invalid": True, "key": key}, None
    period = form.period()
    scope = Scope(region=region, user=request.user, start=period.start, end=period.end)
    try:
        figure = compute_known(scope, [key])[key]
        parts = parts_for(key, scope)
        records = records_for(key, scope) if parts is None else None
    except KeyError:
        raise Http404 from None
    context: dict[str, Any] = {
        "form": form,
        "region": region,
        "key": key,
        "figure": figure,
        "definition": metric_definition(key),
        "period": period,
        "period_text": describe(period),
        "query": period_query(region, period),
    }
    if parts is not None:
        context["parts"] = [_part(part_key, part_scope, region) for part_key, part_scope in parts]
        return context, None
    if records is None:  # a figure with neither parts nor records has no page
        raise Http404
    defer = presenter_for(records.model).defer
    if defer:  # the page and the export leave the records' encrypted fields unread
        records = records.defer(*defer)
    if not records.ordered:  # pages of an unordered queryset may repeat or skip records
        records = records.order_by("pk")
    sum_of = sum_field(key)
    if sum_of:
        context["sum_label"] = records.model._meta.get_field(sum_of).verbose_name
    counted = numerator_of(key, records, scope)
    if counted is not None:
        context["denominator"] = records.count()
        context["numerator"] = counted.count()
        context["counted"] = request.GET.get("counted") == "1"
        if context["counted"]:
            records = counted
    return context, records


def _part(key: str, scope: Scope, region: Region) -> dict[str, Any]:
    """One part of a figure that adds up others: its figure and where its records are listed."""
    start = scope.start or datetime.date(2000, 1, 1)
    end = scope.end or timezone.localdate()
    return {
        "figure": compute_known(scope, [key])[key],
        "definition": metric_definition(key),
        "period_text": describe(Period(start, end)),
        "url": drill_url(key, region, Period(start, end)),
    }


@page_permission(READ_FIGURES)
@require_GET
@reads_from_replica
def drill(request: HttpRequest, key: str) -> HttpResponse:
    """The records behind one figure, in the user's scope: exactly those the figure is made of."""
    context, records = _drill(request, key)
    if "parts" in context:
        return render(request, "reports/drill.html", context)
    if records is None:
        return render(request, "reports/drill.html", context, status=400)
    page = paginate(request, records)
    headings, rows = rows_for(list(page.object_list), records.model)
    params = page_params(request)
    context.update(
        {
            "page_obj": page,
            "headings": headings,
            "rows": rows,
            "params": params,
            "base_url": reverse("reports:drill", args=[key]),
            "can_export": request.user.has_perm(EXPORT_LEDGER),
        }
    )
    return render(request, "reports/drill.html", context)


# ---- the work report -------------------------------------------------------------------------


def _report(request: HttpRequest) -> tuple[dict[str, Any], WorkReport | None, int]:
    form, region = _period_form(request)
    if form is None or region is None:
        return {"region": None}, None, 200
    if not form.is_valid():
        return {"region": region, "form": form, "invalid": True}, None, 400
    period = form.period()
    report = work_report(region=region, period=period, user=request.user)
    today = timezone.localdate()
    return (
        {
            "region": region,
            "form": form,
            "report": report,
            "query": period_query(region, period),
            "quick": [(label, period_query(region, p)) for label, p in quick_choices(today)],
            "sections": [
                {
                    "heading": section.heading,
                    "segments": [
                        {
                            "text": seg.text,
                            "key": seg.key,
                            "url": drill_url(seg.key, region, period)
                            if seg.key and report.figures[seg.key].drill
                            else "",
                        }
                        for seg in section.segments
                    ],
                }
                for section in report.sections
            ],
        },
        report,
        200,
    )


@page_permission(READ_FIGURES)
@require_GET
@reads_from_replica
def work_report_page(request: HttpRequest) -> HttpResponse:
    """工作总结: the narrative for a region and period, each figure linked to its records; printable."""
    context, _report_obj, status = _report(request)
    return render(request, "reports/work_report.html", context, status=status)


@page_permission(READ_FIGURES)
@require_GET
@reads_from_replica
def work_report_docx(request: HttpRequest) -> HttpResponseBase:
    context, report, status = _report(request)
    if report is None:
        return render(request, "reports/work_report.html", context, status=status if status != 200 else 404)
    filename = f"{report.region.name}-工作总结-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.docx"
    return FileResponse(write_docx(report), as_attachment=True, filename=filename, content_type=DOCX)


@page_permission(READ_FIGURES)
@permission_required(EXPORT_LEDGER, raise_exception=True)
@require_GET
@reads_from_replica
def drill_export(request: HttpRequest, key: str) -> HttpResponseBase:
    """The drill-down's records as .xlsx, with the drill-down's own (masked) columns."""
    context, records = _drill(request, key)
    if "parts" in context:
        raise Http404  # a figure of parts: each part exports its own records
    if records is None:
        return render(request, "reports/drill.html", context, status=400)
    presenter = presenter_for(records.model)
    region, figure = context["region"], context["figure"]
    columns = [XColumn(c.label, c.value, c.width) for c in presenter.columns]
    rows = prepared_rows(records.iterator(chunk_size=2000), presenter)
    return xlsx_response(
        request,
        count=records.count(),
        rows=rows,
        columns=columns,
        title=f"{region.name} · {figure.label}（{context['period_text']}）",
        sheet=figure.label,
        filename=f"{region.name}-{figure.label}.xlsx",
        export=f"drill:{key}",
        obj=region,
        filters={
            "region": region.code,
            "from": context["period"].start.isoformat(),
            "to": context["period"].end.isoformat(),
            **({"counted": "1"} if context.get("counted") else {}),
        },
    )
