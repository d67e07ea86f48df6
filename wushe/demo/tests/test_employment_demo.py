"""Work and income in the demo (issue 18: wushe/demo/employment_demo.py): the articles' figures
come out of the records, for all time and, for 云门山街道's posts, for the quarter they were
placed in; the work reports state them."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.demo, pytest.mark.xdist_group("demo")]  # seeded once: conftest.py


def stats(region: str, *period: str) -> dict[str, Any]:
    out = StringIO()
    args = ["--from", period[0], "--to", period[1]] if period else []
    call_command("stats", "--region", region, *args, "--json", stdout=out)
    return dict(json.loads(out.getvalue())["metrics"])


def test_the_employment_figures_of_the_articles(demo: str) -> None:
    from wushe.core.metrics import Scope, recompute
    from wushe.core.models import Region
    from wushe.employment.models import Investment, MicroFactory, Worker

    m = stats("市西街道")
    assert m["trainees.employed"] == 13
    assert (m["microfactories"], m["microfactories.families"]) == (3, 77)
    assert str(m["microfactories.investment"]) in ("180000.00", "180000.0", "180000")
    assert sorted(MicroFactory.objects.values_list("region__name", flat=True)) == sorted(
        ["利民社区", "碧林花园社区", "彩虹湖社区"]
    )
    assert set(Investment.objects.values_list("source", flat=True)) == {"government", "fund", "project"}
    disabled_families = Worker.objects.filter(household__members__certificates__valid_to__isnull=True).values(
        "household"
    )
    assert disabled_families.distinct().count() == 77  # every family employed has a disabled member
    y = stats("云门山街道")
    assert y["welfare_posts.families"] >= 20
    assert stats("云门山街道", "2026-10-01", "2026-12-31")["welfare_posts.families"] >= 20
    t = stats("杨柳雪镇")
    assert t["jobfairs.enterprises"] >= 30 and t["jobfairs.positions"] >= 200
    assert Region.objects.get(name="杨柳雪镇").parent.name == "滨城区"  # type: ignore[union-attr]
    shixi = Region.objects.get(name="市西街道")
    for key in ("trainees.employed", "microfactories.investment", "microfactories.families"):
        assert recompute(key, Scope(region=shixi)) == m[key] or str(
            recompute(key, Scope(region=shixi))
        ) == str(m[key])


def test_the_work_reports_state_them(demo: str, tmp_path: Any) -> None:
    import docx

    def text(region: str) -> str:
        out = tmp_path / f"{region}.docx"
        call_command("work_report", "--region", region, "--out", str(out), stdout=StringIO())
        return "\n".join(p.text for p in docx.Document(str(out)).paragraphs)

    shixi = text("市西街道")
    assert "13人实现就业或灵活就业" in shixi
    assert "投入资金180000元，建设微工厂3个，为77户家庭成员提供就近灵活就业" in shixi
    assert "推荐22户困难家庭到公益岗位就业" in text("云门山街道")
    assert "32家（次）企业参会，提供就业岗位224个" in text("杨柳雪镇")
