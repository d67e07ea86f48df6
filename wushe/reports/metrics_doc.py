"""docs/metrics.md, generated from the registry (``manage.py metrics_doc --out docs/metrics.md``)."""

from __future__ import annotations

from django.utils import translation

from wushe.core.metrics import CHART_GROUPS, FAMILIES, REGISTRY, Metric

PERIOD_TEXT = {
    "range": "records dated in the period / 统计期内的记录",
    "as_of": "state on the period's last day / 统计期末的状态",
    "none": "today's head count / 当前在册数",
}


EXAMPLE = """\
def visit_records(scope: Scope) -> QuerySet[Visit]:
    return scope.in_period(scope.of(Visit.objects.all()), "visited_on").select_related("person")


@metric(
    "visits",
    label=_("入户走访"),
    unit=pgettext_lazy("unit", "次"),
    definition=_("统计期内的入户走访次数"),
    records=visit_records,
    trend=True,
    date_field="visited_on",
)
def visits(scope: Scope) -> int:
    return visit_records(scope).count()


drill_columns(Visit, [Column(_("居民"), lambda v: v.person.name), Column(_("日期"), lambda v: v.visited_on)])
"""


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _both(text: object) -> tuple[str, str]:
    with translation.override("zh-hans"):
        zh = str(text)
    with translation.override("en"):
        en = str(text)
    return _cell(zh), _cell(en)


def _made_of(m: Metric) -> str:
    if m.parts is not None:
        return "parts" + (" (rate)" if m.rate else "")
    if m.records is None:
        return "—"
    if m.sum_of:
        return f"sum of `{m.sum_of}`"
    if m.numerator is not None:
        return "rate"
    if m.value_from is not None:
        return "computed"
    return "count"


def metrics_markdown() -> str:
    lines = [
        "# Metrics / 指标",
        "",
        "Generated from the metric registry by `python manage.py metrics_doc --out docs/metrics.md`;",
        "do not edit by hand (`wushe/reports/tests/test_metrics_doc.py` fails when this file is out of date).",
        "Every figure of the dashboard, the work report, `GET /api/v1/stats` and `manage.py stats` is one",
        "of these. *Period* says how `from`/`to` apply; *made of* says how the figure comes from the",
        "records its drill-down (`/reports/drill/<key>/`) lists: their count, the sum of a field",
        "over them, the rate of those that count among them (the records are the denominator), a",
        "value computed from them, or the sum of other figures (whose drill-downs the page links);",
        "*chart* names the dashboard chart the figure is a segment of (figures without one are",
        "cards). A rate is a percentage with one decimal, empty (`null`) when its denominator is zero.",
        "",
        "| key | 名称 | name | unit | period | made of | chart | 定义 / definition |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, m in REGISTRY.items():
        zh, en = _both(m.label)
        dzh, den = _both(m.definition)
        unit = "%" if m.rate else _both(m.unit)[0]
        lines.append(
            f"| `{key}` | {zh} | {en} | {unit} | {m.period} | {_made_of(m)} | {m.chart} | {dzh} / {den} |"
        )
    for prefix, fam in FAMILIES.items():
        zh, en = _both(fam.label)
        dzh, den = _both(fam.definition)
        unit = "%" if fam.rate else _both(fam.unit)[0]
        lines.append(
            f"| `{prefix}.<code>` | {zh} | {en} | {unit} | {fam.period} | {'count' if fam.records else '—'} | "
            f"{fam.chart} | {dzh} / {den} (one figure per member) |"
        )
    lines += [
        "",
        "## Registering a metric",
        "",
        'In an app\'s `metrics.py` (found by `autodiscover_modules("metrics")`):',
        "",
        "```python",
        *EXAMPLE.splitlines(),
        "```",
        "",
        'A segment of a chart names its group: `chart="needs.category"`; a percentage is',
        "`rate=True` and returns `rate(numerator, denominator)`, with `numerator=` naming the records",
        'that count; a sum is `sum_of="field"`; a figure of other figures is `parts=`. The tests',
        "compute every figure again from its records (`core.metrics.recompute`) and compare. The",
        "work report already has sentences",
        "for the keys in `reports/narrative.py`; a registered key with data appears in it.",
    ]
    lines += ["", "## Periods", ""]
    lines += [f"- `{k}`: {v}" for k, v in PERIOD_TEXT.items()]
    lines += ["", "## Chart groups / 图表", "", "| chart | 名称 | name | kind |", "|---|---|---|---|"]
    for key, g in sorted(CHART_GROUPS.items(), key=lambda kv: (kv[1].order, kv[0])):
        zh, en = _both(g.label)
        lines.append(f"| `{key}` | {zh} | {en} | {g.kind} |")
    return "\n".join(lines) + "\n"
