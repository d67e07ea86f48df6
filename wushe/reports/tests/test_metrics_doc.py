"""docs/metrics.md is generated from the registry and kept up to date."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from wushe.core.metrics import FAMILIES, REGISTRY
from wushe.reports.metrics_doc import metrics_markdown

DOC = Path(settings.BASE_DIR) / "docs" / "metrics.md"


def test_docs_metrics_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == metrics_markdown(), (
        "docs/metrics.md is out of date: run `python manage.py metrics_doc --out docs/metrics.md`"
    )


def test_every_metric_is_documented() -> None:
    text = metrics_markdown()
    for key in REGISTRY:
        assert f"| `{key}` |" in text
    for prefix in FAMILIES:
        assert f"| `{prefix}.<code>` |" in text


def test_command_prints_or_writes(tmp_path: Path) -> None:
    out = StringIO()
    call_command("metrics_doc", stdout=out)
    assert out.getvalue() == metrics_markdown()
    target = tmp_path / "metrics.md"
    call_command("metrics_doc", "--out", str(target))
    assert target.read_text(encoding="utf-8") == metrics_markdown()
