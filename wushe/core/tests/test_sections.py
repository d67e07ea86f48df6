"""The registry of page sections (``core.sections``): apps register sections for a person and a
household page; the page reads them in order, each with the actions the viewer may take."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import RequestFactory

from wushe.core import sections
from wushe.core.sections import Action, Row, Section, listed


class Viewer:
    def __init__(self, *perms: str) -> None:
        self.perms = set(perms)
        self.pk = 1

    def has_perm(self, perm: str) -> bool:
        return perm in self.perms


@pytest.fixture
def registry(monkeypatch: Any) -> dict[str, Section]:
    """An empty registry for the test (the apps' own sections are put back afterwards)."""
    fresh: dict[str, Section] = {}
    monkeypatch.setattr(sections, "SECTIONS", fresh)
    return fresh


def _reader(subject: Any, user: Any) -> dict[str, Any]:
    return {"rows": [Row(title=f"{subject.name} 的记录")], "total": 1}


def test_sections_are_read_in_order_for_their_kind(registry: dict[str, Section]) -> None:
    sections.register(Section(key="late", title="后", order=90, person=_reader, household=_reader))
    sections.register(Section(key="early", title="先", order=10, person=_reader))
    sections.register(Section(key="households", title="户", order=5, household=_reader))
    assert [s.key for s in sections.sections_for("person")] == ["early", "late"]
    assert [s.key for s in sections.sections_for("household")] == ["households", "late"]
    with pytest.raises(ValueError):
        sections.sections_for("team")
    with pytest.raises(ValueError):
        sections.register(Section(key="nothing", title="无", order=1))
    # registering a key again replaces the section
    sections.register(Section(key="late", title="后来", order=1, person=_reader))
    assert [s.key for s in sections.sections_for("person")] == ["late", "early"]


def test_actions_need_their_permission_and_an_address(registry: dict[str, Section]) -> None:
    sections.register(
        Section(
            key="needs",
            title="需求",
            order=1,
            person=_reader,
            actions=(
                Action(
                    "登记需求", url=lambda kind, s: f"/needs/new/?{kind}={s.pk}", permission="needs.record"
                ),
                Action("只给户", url=lambda kind, s: None),  # not offered for a person
                Action("查看", url=lambda kind, s: "/needs/"),
            ),
        )
    )
    subject = SimpleNamespace(pk=7, name="祝长连")
    [shown] = sections.read("person", subject, Viewer("needs.record"))
    assert shown.actions == [("登记需求", "/needs/new/?person=7"), ("查看", "/needs/")]
    assert shown.context["rows"][0].title == "祝长连 的记录"
    [reader_only] = sections.read("person", subject, Viewer())
    assert reader_only.actions == [("查看", "/needs/")]


def test_a_section_with_a_permission_is_left_out_for_others(registry: dict[str, Section]) -> None:
    sections.register(Section(key="money", title="资金", order=1, person=_reader, permission="funds.view"))
    subject = SimpleNamespace(pk=1, name="甲")
    assert sections.read("person", subject, Viewer()) == []
    assert [s.key for s in sections.read("person", subject, Viewer("funds.view"))] == ["money"]


def test_build_renders_each_section_in_its_frame(registry: dict[str, Section]) -> None:
    sections.register(
        Section(
            key="visits",
            title="走访",
            order=1,
            person=lambda s, u: {
                "rows": [Row(title="2026-06-01", url="/visits/1/", status="已入户")],
                "total": 9,
                "more_url": "/visits/?person=3",
            },
            actions=(Action("记录走访", url=lambda kind, s: "/visits/new/?person=3"),),
        )
    )
    request = RequestFactory().get("/")
    request.user = Viewer()  # type: ignore[assignment]
    [shown] = sections.build(request, "person", SimpleNamespace(pk=3, name="甲"))
    html = str(shown.html)
    assert 'id="section-visits"' in html and "走访" in html
    assert 'href="/visits/1/"' in html and "已入户" in html
    assert 'href="/visits/new/?person=3"' in html and "记录走访" in html
    assert 'href="/visits/?person=3"' in html  # 9 records, one shown: the full list is linked


def test_listed_reads_the_latest_and_the_count() -> None:
    class Records(list[int]):
        def count(self) -> int:  # type: ignore[override]
            return len(self)

    context = listed(Records(range(12)), row=lambda n: Row(title=str(n)), more_url="/all/", empty="无")
    assert [r.title for r in context["rows"]] == ["0", "1", "2", "3", "4"]
    assert (context["total"], context["more_url"], context["empty"]) == (12, "/all/", "无")
    assert listed(Records(), row=lambda n: Row(title=str(n)))["rows"] == []


def test_the_apps_register_their_sections_at_start_up() -> None:
    """What issue 16 lists for the whole view; later apps (funds, subsidies, care, rentals,
    employment, policies) add theirs the same way."""
    person = [s.key for s in sections.sections_for("person")]
    household = [s.key for s in sections.sections_for("household")]
    expected = ["household", "tags", "certificate", "visits", "needs", "problems", "cases", "groups"]
    expected += ["activities", "appeals", "volunteering"]
    assert [k for k in person if k in expected] == expected
    assert [k for k in household if k in expected] == expected
