"""Form helpers every app's pages share: Bootstrap styling, a service's errors on the fields, the
date input, and region choices (keyed on the code or on the pk)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from wushe.core.models import Region, RegionLevel

__all__ = [
    "BootstrapMixin",
    "DateInput",
    "StyledForm",
    "apply_service_errors",
    "region_choices",
    "region_label",
    "region_pk_choices",
    "set_choices",
    "set_queryset",
    "style",
]


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's errors on the fields they name; others go to the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def style(form: forms.BaseForm) -> None:
    """Give the form's widgets Bootstrap's classes (templates render fields with core/_field.html)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("class", "form-control")
            widget.attrs.setdefault("rows", "3")
        else:
            widget.attrs.setdefault("class", "form-control")


class BootstrapMixin:
    """Give widgets Bootstrap's classes (:func:`style`); the form calls ``self._style()``. Mixed
    into forms only."""

    def _style(self) -> None:
        style(cast("forms.BaseForm", self))


class StyledForm(forms.Form):
    """A form styled on creation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def set_choices(form: forms.BaseForm, name: str, choices: Sequence[tuple[Any, Any]]) -> None:
    """Give the choice field ``name`` its choices (read at run time: the user's regions …)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def set_queryset(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Give the model choice field ``name`` its queryset (the records the user may pick)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # ModelMultipleChoiceField included
    field.queryset = queryset


def region_label(region: Region) -> str:
    """``市西街道 · 甲社区`` / ``甲社区 · 第一网格``: a name with its parent, enough to tell apart."""
    if region.level in (RegionLevel.COMMUNITY, RegionLevel.GRID) and region.parent is not None:
        return f"{region.parent.name} · {region.name}"
    return region.name


def region_choices(regions: Sequence[Region]) -> list[tuple[str, str]]:
    """Regions keyed on their code (filters: the code travels in the URL)."""
    return [(r.code, region_label(r)) for r in regions]


def region_pk_choices(regions: Sequence[Region]) -> list[tuple[str, str]]:
    """Regions keyed on their pk (the service-work forms)."""
    return [(str(r.pk), region_label(r)) for r in regions]
