"""The one summary of a form's errors (core/_form_errors.html), used by every form page."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.template.loader import render_to_string

import wushe


class Sample(forms.Form):
    name = forms.CharField(label="姓名")
    age = forms.IntegerField(label="年龄", required=False)

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("整张表不对")


def test_each_error_is_listed_and_linked_to_its_field() -> None:
    html = render_to_string("core/_form_errors.html", {"form": Sample({"age": "x"})})
    assert 'id="form-errors"' in html and 'tabindex="-1"' in html and 'role="alert"' in html
    assert "没有保存。请改正以下问题：" in html
    assert '<a href="#id_name" class="alert-link">姓名</a>：' in html
    assert '<a href="#id_age" class="alert-link">年龄</a>：' in html
    assert "<li>整张表不对</li>" in html


def test_nothing_without_errors_and_a_page_may_name_its_own_sentence() -> None:
    assert render_to_string("core/_form_errors.html", {"form": Sample()}).strip() == ""
    assert render_to_string("core/_form_errors.html", {}).strip() == ""
    html = render_to_string("core/_form_errors.html", {"form": Sample({}), "errors_heading": "没有上传。"})
    assert "没有上传。" in html and "没有保存" not in html


def test_the_visit_form_adds_its_rows_errors_to_the_same_summary() -> None:
    class Row(forms.Form):
        count = forms.IntegerField(label="人数")

    rows = forms.formset_factory(Row, extra=0)(
        {"n-TOTAL_FORMS": "1", "n-INITIAL_FORMS": "0", "n-0-count": "x"}, prefix="n"
    )
    rows.is_valid()
    empty = forms.formset_factory(Row, extra=0)({"p-TOTAL_FORMS": "0", "p-INITIAL_FORMS": "0"}, prefix="p")
    context = {"form": forms.Form({}), "need_rows": rows, "problem_rows": empty, "more_errors": 1}
    html = render_to_string("visits/_form_errors.html", context)
    assert 'id="form-errors"' in html
    assert '<a href="#id_n-0-count" class="alert-link">需求 1 · 人数</a>：' in html


def test_no_form_page_writes_the_summary_again() -> None:
    """A form page includes the summary; it does not copy it (the copies had drifted: some
    without the focusable id, some without the heading). The list pages' one-line filter errors
    are another thing (no heading, no links)."""
    root = Path(wushe.__file__).parent
    copies = [
        str(p.relative_to(root))
        for p in root.glob("*/templates/**/*.html")
        if re.search(r"没有保存|class=\"alert-link\">\{\{ field\.label", p.read_text())
    ]
    assert sorted(copies) == ["core/templates/core/_form_errors.html"]
