"""Forms of the users-and-grants page: a new account with its first grant, and another grant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.forms import BootstrapMixin, set_queryset
from wushe.core.listing import ListFilterForm
from wushe.core.models import AccessEventKind, Region

from .roles import ORGANIZATION_ROLES, Role
from .selectors import AuditFilters

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


class GrantForm(BootstrapMixin, forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    region = forms.ModelChoiceField(label=_("区域"), queryset=Region.objects.none(), required=False)
    organization = forms.ModelChoiceField(
        label=_("组织"), queryset=Region.objects.none(), required=False,
        help_text=_("社会组织人员、志愿服务队队长、代表委员工作室授权到组织"),
    )  # fmt: skip

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        from django.apps import apps

        super().__init__(*args, **kwargs)
        regions = Region.objects.visible_to(user).order_by("path")
        set_queryset(self, "region", regions)
        Organization = apps.get_model("partners", "Organization")
        set_queryset(
            self,
            "organization",
            Organization.objects.filter(region__in=regions.values("pk")).order_by("name"),
        )
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role in ORGANIZATION_ROLES:
            if data.get("organization") is None:
                self.add_error("organization", _("该角色须授权到一个组织"))
            data["region"] = None
        else:
            data["organization"] = None
            if data.get("region") is None:
                self.add_error("region", _("请选择区域"))
        return data


class UserCreateForm(GrantForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput(render_value=False), strip=False,
        help_text=_("至少 8 位，不能全是数字，不能与用户名相近"),
    )  # fmt: skip
    field_order = ["username", "display_name", "password", "role", "region", "organization"]


class AuditFilterForm(ListFilterForm):
    """The access log's one filter definition (``core.listing``)."""

    kind = forms.ChoiceField(
        label=_("事件"), choices=[("", _("全部"))] + AccessEventKind.choices, required=False
    )
    q = forms.CharField(label=_("用户名"), max_length=150, required=False)

    def to_filters(self, data: dict[str, Any]) -> AuditFilters:
        return AuditFilters(kind=data.get("kind") or "", q=data.get("q") or "")
