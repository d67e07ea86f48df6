"""修改 what was registered of a request (``editing.appeal_update``); its steps move on its page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from wushe.core.editing import edit_page, reason_field
from wushe.core.forms import StyledForm

from . import editing, selectors
from .models import Category, Channel, TeamKind


class AppealEditForm(StyledForm):
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    team = forms.ChoiceField(label=_("接待队伍"), required=False, choices=[("", "—"), *TeamKind.choices])
    requester_name = forms.CharField(label=_("诉求人"), max_length=50)
    requester_phone = forms.CharField(label=_("联系电话"), required=False, max_length=30)
    content = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, masked_phone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requester_phone"].help_text = (
            _("留空则不改；现为 %(p)s") % {"p": masked_phone} if masked_phone else _("留空则不改")
        )
        self.fields["reason"] = reason_field()
        self.fields["reason"].widget.attrs["class"] = "form-control"


@login_required
@require_http_methods(["GET", "POST"])
def appeal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.get_appeal_for_user(user=request.user, pk=pk)
    form = AppealEditForm(
        request.POST or None,
        initial=editing.appeal_values(appeal),
        masked_phone=appeal.requester_phone_masked,
    )

    def save(d: dict[str, Any]) -> None:
        editing.appeal_update(
            acting_user=request.user,
            appeal=appeal,
            reason=d["reason"],
            channel=d["channel"],
            category=d["category"],
            team=d["team"],
            requester_name=d["requester_name"],
            requester_phone=d["requester_phone"] or None,  # blank: the phone stays as it is
            content=d["content"],
        )

    return edit_page(
        request,
        obj=appeal,
        may_edit=editing.may_edit(request.user, appeal),
        form=form,
        save=save,
        title=_("修改诉求登记"),
        back_url=reverse("appeals:appeal_detail", args=[appeal.pk]),
        back_label=appeal.number,
        done=_("已修改诉求登记"),
    )
