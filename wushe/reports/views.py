"""The home page: the figures of a region in the user's scope, from the metric registry."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wushe.core.models import Region, RegionLevel
from wushe.core.selectors import get_region_for_user, region_roots_for_user
from wushe.registry.forms import region_label
from wushe.registry.models import DisabilityCategory, LedgerColour
from wushe.registry.selectors import colour_map, person_counts_by_community, region_picker

from .metrics import Scope, compute

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
    return ""


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    roots = region_roots_for_user(user=request.user)
    region = _region(request, roots)
    if region is None:
        return render(request, "reports/home.html", {"region": None})
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
    return render(
        request,
        "reports/home.html",
        {
            "region": region,
            "region_path": region.full_name,
            "picker": [(r.code, region_label(r), r.pk == region.pk) for r in picker],
            "cards": [{"figure": figures[k], "url": _drilldown(k, region)} for k in CARD_KEYS],
            "colours": colours,
            "per_community": per_community,
            "ledger_chart": ledger_chart,
            "community_chart": community_chart,
        },
    )
