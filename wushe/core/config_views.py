"""The settings pages (系统设置): every configuration section of ``core.config``, listed,
added, changed and deleted through ``core.services.config_save`` / ``config_delete``.

Everyone signed in may read a section (they are the lists wushe's forms offer); only holders of
``CONFIGURE`` see the buttons and may write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .config import CONFIGURE, SECTIONS, ConfigSection, section_for
from .forms import BootstrapMixin, apply_service_errors
from .web import AuthedRequest


def _section(key: str) -> ConfigSection:
    section = section_for(key)
    if section is None:
        raise Http404
    return section


def _row(section: ConfigSection, pk: Any) -> Model:
    try:
        return section.model._default_manager.get(pk=int(pk))
    except (ValueError, TypeError, ObjectDoesNotExist) as exc:
        raise Http404 from exc


def _require_configure(request: HttpRequest) -> None:
    if not request.user.has_perm(CONFIGURE):
        raise PermissionDenied(_("您没有修改配置的权限"))


def _form_class(section: ConfigSection) -> type[forms.ModelForm[Any]]:
    # ModelForm is generic only in the stubs (at run time it takes no type argument)
    class SectionForm(BootstrapMixin, forms.ModelForm):  # type: ignore[type-arg]
        class Meta:
            model = section.model
            fields = section.fields
            widgets = section.widgets

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._style()

        def validate_unique(self) -> None:
            pass  # the service validates the whole row (uniqueness included) once, on save

    return SectionForm


def _values(section: ConfigSection, obj: Model) -> list[Any]:
    out = []
    for name in section.fields:
        display = getattr(obj, f"get_{name}_display", None)
        out.append(display() if callable(display) else getattr(obj, name))
    return out


@login_required
@require_GET
def config_index(request: HttpRequest) -> HttpResponse:
    sections = sorted(SECTIONS.values(), key=lambda s: str(s.title))
    return render(request, "core/config/index.html", {"sections": sections})


@login_required
@require_GET
def config_list(request: HttpRequest, key: str) -> HttpResponse:
    section = _section(key)
    model = section.model
    # a section lists its model's own fields (a reverse relation has no verbose name)
    headers = [getattr(model._meta.get_field(name), "verbose_name", name) for name in section.fields]
    page = Paginator(model._default_manager.all(), 50).get_page(request.GET.get("page"))
    rows = [(obj, _values(section, obj)) for obj in page.object_list]
    return render(
        request,
        "core/config/list.html",
        {
            "section": section,
            "headers": headers,
            "rows": rows,
            "page_obj": page,
            "can_configure": request.user.has_perm(CONFIGURE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def config_edit(request: AuthedRequest, key: str, pk: int | None = None) -> HttpResponse:
    section = _section(key)
    _require_configure(request)
    instance = _row(section, pk) if pk is not None else None
    form_class = _form_class(section)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in section.fields if name in form.cleaned_data}
        try:
            fresh = _row(section, pk) if pk is not None else None
            services.config_save(
                acting_user=request.user, section=section, data=data, instance=fresh, request=request
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("config:list", key=section.key)
    return render(request, "core/config/form.html", {"section": section, "form": form, "instance": instance})


@login_required
@require_http_methods(["GET", "POST"])
def config_delete(request: AuthedRequest, key: str, pk: int) -> HttpResponse:
    section = _section(key)
    _require_configure(request)
    instance = _row(section, pk)
    error = None
    if request.method == "POST":
        try:
            services.config_delete(
                acting_user=request.user, section=section, instance=instance, request=request
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("已删除"))
            return redirect("config:list", key=section.key)
    return render(
        request, "core/config/delete.html", {"section": section, "instance": instance, "error": error}
    )
