"""The four-colour ledger (四色台账): its page (counts by colour, category, level and community,
and the certificates filed under them) and its .xlsx export, the rows filled by colour. Full ID
numbers only on a POST asking ``reveal=1`` by a user who may see them; every export is an access
event."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts.roles import EXPORT_LEDGER, READ_REGISTRY, REVEAL_IDENTIFIERS
from wushe.core.exports import wants_reveal, xlsx_response
from wushe.core.listing import paginate
from wushe.core.models import Region, RegionLevel
from wushe.core.permissions import page_permission
from wushe.core.selectors import get_region_for_user, region_roots_for_user

from . import exports, selectors
from .forms import LedgerFilterForm
from .models import DisabilityCategory, DisabilityLevel, LedgerColour

LEDGER_LEVELS = (
    RegionLevel.PROVINCE,
    RegionLevel.CITY,
    RegionLevel.COUNTY,
    RegionLevel.STREET,
    RegionLevel.COMMUNITY,
)


# ---- the four-colour ledger --------------------------------------------------------------


def _ledger_scope(request: HttpRequest, params: QueryDict) -> tuple[Region | None, LedgerFilterForm]:
    """The region of the ledger (``?region=CODE`` in scope, else the user's first region) and the
    filter form; an out-of-scope code is the same 404 as an unknown one."""
    code = params.get("region", "")
    region: Region | None
    if code:
        region = get_region_for_user(user=request.user, code=code)
    else:
        roots = region_roots_for_user(user=request.user)
        region = roots[0] if roots else None
    pickable = selectors.region_picker(user=request.user, levels=LEDGER_LEVELS)
    if region is not None and region not in pickable:
        pickable = [region, *pickable]
    communities = [
        r
        for r in pickable
        if r.level == RegionLevel.COMMUNITY and region is not None and r.path.startswith(region.path)
    ]
    data = params.copy()
    if region is not None:
        data["region"] = region.code
    form = LedgerFilterForm(data, regions=pickable, communities=communities)
    return region, form


def _ledger_filters(request: HttpRequest, region: Region, form: LedgerFilterForm) -> dict[str, Any]:
    d = form.cleaned_data
    community = get_region_for_user(user=request.user, code=d["community"]) if d.get("community") else None
    return {
        "region": region,
        "community": community,
        "colour": d.get("colour") or "",
        "category": d.get("category"),
        "level": d.get("level"),
        "as_of": d.get("as_of"),
    }


@page_permission(READ_REGISTRY)
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    region, form = _ledger_scope(request, request.GET)
    context: dict[str, Any] = {"form": form, "region": region, "colour_labels": selectors.colour_labels()}
    if region is None:
        context["no_region"] = True
        return render(request, "registry/ledger.html", context)
    if not form.is_valid():
        context["invalid"] = True
        return render(request, "registry/ledger.html", context)
    filters = _ledger_filters(request, region, form)
    counts = selectors.ledger_counts(user=request.user, region=region, as_of=filters["as_of"])
    page = paginate(request, selectors.ledger_rows(user=request.user, **filters))
    colours = selectors.colour_map()
    rows = list(page.object_list)
    for cert in rows:
        cert.ledger_colour = colours.get(cert.category, "")
    page.object_list = rows
    base = QueryDict(mutable=True)
    base["region"] = region.code
    if filters["as_of"]:
        base["as_of"] = filters["as_of"].isoformat()
    params = request.GET.copy()
    params.pop("page", None)
    labels = selectors.colour_labels()
    context.update(
        {
            "filters": filters,
            "counts": counts,
            "page_obj": page,
            "rows": rows,
            "base_query": base.urlencode(),
            "params": params,
            "base_url": reverse("registry:ledger"),
            "colour_rows": [
                (
                    c.value,
                    labels[c.value],
                    counts.by_colour[c.value],
                    _("、").join(
                        str(cat.label) for cat in DisabilityCategory if colours.get(cat.value) == c.value
                    ),
                )
                for c in LedgerColour
            ],
            "category_rows": [
                (c.value, c.label, counts.by_category.get(c.value, 0)) for c in DisabilityCategory
            ],
            "level_rows": [(lv.value, lv.label, counts.by_level.get(lv.value, 0)) for lv in DisabilityLevel],
            "community_rows": [
                (community, [(c.value, labels[c.value], by_colour[c.value]) for c in LedgerColour], total)
                for community, by_colour, total in counts.by_community
            ],
            "colours": [(c.value, labels[c.value]) for c in LedgerColour],
            "can_export": request.user.has_perm(EXPORT_LEDGER),
            "can_reveal": request.user.has_perm(REVEAL_IDENTIFIERS),
            "export_params": [(k, v) for k, v in params.items() if k not in ("reveal", "region")],
        }
    )
    return render(request, "registry/ledger.html", context)


@login_required
@permission_required(EXPORT_LEDGER, raise_exception=True)
@require_http_methods(["GET", "POST"])
def ledger_export(request: HttpRequest) -> HttpResponseBase:
    """The ledger as .xlsx. Full ID numbers only on a POST (CSRF-checked) asking ``reveal=1`` by a
    user who may see them; every export is an access event."""
    params = request.POST if request.method == "POST" else request.GET
    region, form = _ledger_scope(request, params)
    if region is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("导出条件有误，请检查后重试"))
        return redirect(f"{reverse('registry:ledger')}?region={region.code}")
    filters = _ledger_filters(request, region, form)
    reveal = wants_reveal(request, perm=REVEAL_IDENTIFIERS)
    rows = exports.ledger_rows_for_export(selectors.ledger_rows(user=request.user, **filters), reveal=reveal)
    day = filters["as_of"] or timezone.localdate()
    scope_name = filters["community"].name if filters["community"] else region.name
    title = _("%(region)s 四色台账（%(day)s）") % {"region": scope_name, "day": day.isoformat()}
    return xlsx_response(
        request,
        count=rows.count(),
        rows=exports.with_colours(rows.iterator(chunk_size=2000), selectors.colour_map()),
        columns=exports.ledger_columns(),
        style=exports.ledger_style(),
        title=title,
        sheet=_("四色台账"),
        filename=f"{scope_name}-四色台账-{day:%Y%m%d}.xlsx",
        export="ledger",
        obj=filters["community"] or region,
        filters={
            "region": region.code,
            "community": filters["community"].code if filters["community"] else "",
            "colour": filters["colour"],
            "category": filters["category"],
            "level": filters["level"],
            "as_of": filters["as_of"].isoformat() if filters["as_of"] else "",
        },
        reveal=reveal,
    )
