"""The policy catalogue on the settings pages (``/settings/``): administrators with ``CONFIGURE``
add and change policies; the model's own validation checks the rule when a policy is saved, so a
rule that does not parse is a form error on ``rule``. The API saves through the same section."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.config import ConfigSection, register

from .models import Policy

register(
    ConfigSection(
        key="policies",
        title=_("政策目录（政策找人）"),
        model=Policy,
        fields=(
            "name",
            "name_en",
            "department",
            "benefit",
            "legal_basis",
            "how_to_apply",
            "rule",
            "receipt_tag",
            "active",
            "sort",
        ),
        help=_(
            "每项政策的享受条件写成 CEL 规则，保存时检查；政策找人按规则在居民和户的信息中查找符合条件而未享受的人"
        ),
        widgets={"rule": forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "font-monospace"})},
    )
)
