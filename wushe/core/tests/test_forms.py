"""The one form styler (core.forms.style) and the shared field template (core/_field.html):
radio buttons and checkboxes are Bootstrap's form-check inputs, never a form-control box."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory

from wushe.core.forms import StyledForm


class Sample(StyledForm):
    name = forms.CharField(label="姓名")
    kind = forms.ChoiceField(label="类别", choices=[("a", "甲"), ("b", "乙")])
    reached = forms.ChoiceField(
        label="是否敲开家门", choices=[("1", "是"), ("0", "否")], widget=forms.RadioSelect, initial="1"
    )
    agreed = forms.BooleanField(label="同意", required=False)
    services = forms.MultipleChoiceField(
        label="服务",
        choices=[("x", "助餐"), ("y", "助洁")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(label="说明", widget=forms.Textarea, required=False)


def test_each_widget_gets_its_bootstrap_class() -> None:
    form = Sample()
    classes = {name: field.widget.attrs.get("class") for name, field in form.fields.items()}
    assert classes == {
        "name": "form-control",
        "kind": "form-select",
        "reached": "form-check-input",
        "agreed": "form-check-input",
        "services": "form-check-input",
        "note": "form-control",
    }


def test_radio_buttons_render_as_form_checks_in_a_fieldset() -> None:
    form = Sample()
    html = render_to_string("core/_field.html", {"field": form["reached"]}, request=RequestFactory().get("/"))
    assert "form-control" not in html
    assert html.count('class="form-check-input"') == 2
    assert html.count('class="form-check"') == 2
    assert "<fieldset" in html and "<legend" in html and "是否敲开家门" in html
    assert 'type="radio"' in html and "checked" in html  # the initial choice is checked
