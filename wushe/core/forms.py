"""Form helpers every app's pages share: Bootstrap styling and a service's errors on the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

__all__ = ["BootstrapMixin", "apply_service_errors"]


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors on the fields they name; others go to the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class BootstrapMixin:
    """Give widgets Bootstrap's classes (templates render fields with core/_field.html)."""

    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
