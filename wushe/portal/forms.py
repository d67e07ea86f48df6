"""The public forms (the request, the check, the ratings) and the workers' decisions.

The public forms carry the size limits of the services as ``maxlength``, a honeypot field a
person never sees (``website``: hidden from sight and from screen readers, skipped by the Tab
key; a robot filling it is refused), and after validation tie each field to its error message
(``aria-describedby``, ``aria-invalid``) for screen readers; the page's error summary links to
the fields (``core/_form_errors.html``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wushe.appeals.models import Category
from wushe.core.forms import style
from wushe.core.models import Satisfaction
from wushe.core.validators import normalise_phone

from . import selectors
from .models import RejectReason
from .services import ADDRESS_MAX, CODE_LENGTH, CONSENT_TEXT, CONTENT_MAX, NAME_MAX, NOTE_MAX, WORDS_MAX

YES_NO = [("no", _("不需要")), ("yes", _("需要，请上门"))]


class PublicForm(forms.Form):
    """Styled like every wushe form, with each error tied to its field for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def describe_errors(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            described = [f"{bound.auto_id}_helptext"] if field.help_text else []
            if self.errors.get(name):
                described.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class RequestForm(PublicForm):
    content = forms.CharField(
        label=_("您遇到了什么事，需要什么帮助？"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请用自己的话写清楚，最多%(n)s字。") % {"n": CONTENT_MAX},
    )
    category = forms.ChoiceField(
        label=_("这是哪一类事情？"), choices=Category.choices, widget=forms.RadioSelect
    )
    address = forms.CharField(
        label=_("在什么地方？"),
        max_length=ADDRESS_MAX,
        help_text=_("例如：利民社区 3 号楼 2 单元。写上社区的名字，我们可以帮您选社区。"),
    )
    community = forms.ChoiceField(
        label=_("所在社区"),
        required=False,
        help_text=_("不知道可以不选，我们会根据地点为您推荐。"),
    )
    requester_name = forms.CharField(
        label=_("怎么称呼您？"), max_length=NAME_MAX, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    requester_phone = forms.CharField(
        label=_("您的电话"),
        max_length=20,
        help_text=_("只用于联系您办理这件事，页面上不会显示完整号码。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    wants_visit = forms.ChoiceField(
        label=_("需要工作人员上门吗？"), choices=YES_NO, initial="no", widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT, error_messages={"required": _("请阅读并同意联系信息的使用范围，才能提交")}
    )
    # the honeypot: hidden from people (and their screen readers); robots fill every field
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", _("请选择（可不选）")), *selectors.community_choices()]  # type: ignore[attr-defined]
        self.fields["content"].widget.attrs["maxlength"] = str(CONTENT_MAX)

    def clean_requester_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["requester_phone"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class CheckForm(PublicForm):
    number = forms.CharField(
        label=_("诉求编号"),
        max_length=20,
        help_text=_("提交后拿到的编号，例如 WS2026-001234；受理后也可以用 SQ 开头的诉求编号。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    code = forms.CharField(
        label=_("查询码"),
        max_length=CODE_LENGTH + 4,
        help_text=_("提交时显示的 8 位查询码（字母和数字）。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class RateForm(PublicForm):
    satisfaction = forms.ChoiceField(
        label=_("您对办理结果满意吗？"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    words = forms.CharField(
        label=_("想说的话（可不填）"),
        required=False,
        max_length=WORDS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("不予受理的原因"), choices=RejectReason.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=NOTE_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)
