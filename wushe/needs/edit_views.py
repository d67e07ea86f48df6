"""修改 a need's recorded fields (``editing.need_update``); its status moves on its own page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core.dates import BoundedDateField
from wushe.core.editing import edit_page, reason_field
from wushe.core.forms import DateInput, StyledForm, set_choices
from wushe.core.scoping import covers

from . import editing, selectors
from .models import Urgency


class NeedEditForm(StyledForm):
    category = forms.ChoiceField(label=_("需求类别"))
    description = forms.CharField(label=_("需求描述"), max_length=300)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    reported_on = BoundedDateField(label=_("登记日期"), widget=DateInput())
    responsible_person = forms.CharField(label=_("责任人"), required=False, max_length=50)
    deadline = BoundedDateField(label=_("办结期限"), widget=DateInput())

    def __init__(self, *args: Any, categories: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", [(c.code, c.name) for c in categories])
        self.fields["reason"] = reason_field()
        self.fields["reason"].widget.attrs["class"] = "form-control"


def may_edit(user: Any, need: Any) -> bool:
    return bool(user.has_perm(RECORD_OUTREACH)) and covers(user, need.region)


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.get_need_for_user(user=request.user, pk=pk)
    categories = selectors.category_list()
    if need.category not in categories:  # a category since retired stays choosable for its needs
        categories = [need.category, *categories]
    initial = editing.need_values(need) | {"category": need.category.code}
    form = NeedEditForm(request.POST or None, initial=initial, categories=categories)

    def save(d: dict[str, Any]) -> None:
        editing.need_update(
            acting_user=request.user,
            need=need,
            reason=d["reason"],
            category=next(c for c in categories if c.code == d["category"]),
            description=d["description"],
            urgency=d["urgency"],
            reported_on=d["reported_on"],
            responsible_person=d["responsible_person"],
            deadline=d["deadline"],
        )

    return edit_page(
        request,
        obj=need,
        may_edit=may_edit(request.user, need),
        form=form,
        save=save,
        title=_("修改需求"),
        back_url=reverse("needs:need_detail", args=[need.pk]),
        back_label=_("需求"),
        done=_("已修改需求"),
    )
