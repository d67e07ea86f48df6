"""Forms of the household pages: open a household, add a member, name a new head, correct a
relation, record a member leaving, move a member to another household, the household's tags.
They check the shape of the input; the rules live in ``services`` (their errors come back on
the fields they name)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import EVENT, BoundedDateField
from wushe.core.forms import DateInput, StyledForm

from .models import Household, Person, Relation

MEMBER_RELATIONS = [(value, label) for value, label in Relation.choices if value != Relation.HEAD]


def _on() -> BoundedDateField:
    return BoundedDateField(
        within=EVENT, label=_("变动日期"), required=False, widget=DateInput(), help_text=_("留空为今天")
    )


def _note(required: bool = False, label: Any = None) -> forms.CharField:
    return forms.CharField(label=label or _("说明"), required=required, max_length=200)


class _Members(StyledForm):
    """A form that names one of the household's members (``person``, by its pk)."""

    person = forms.ChoiceField(label=_("成员"))

    def __init__(self, *args: Any, members: Sequence[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._members = {str(m.pk): m for m in members}
        self.fields["person"].choices = [("", _("请选择")), *((str(m.pk), m.name) for m in members)]  # type: ignore[attr-defined]

    def member(self) -> Person:
        return self._members[self.cleaned_data["person"]]


class HouseholdCreateForm(StyledForm):
    address = forms.CharField(
        label=_("住址"), required=False, max_length=200, help_text=_("留空则用户主的住址")
    )
    note = _note()


class MemberAddForm(StyledForm):
    relation = forms.ChoiceField(label=_("与户主关系"), choices=MEMBER_RELATIONS)
    on = _on()
    note = _note()


class HeadForm(_Members):
    former_head_relation = forms.ChoiceField(
        label=_("原户主改为"), choices=MEMBER_RELATIONS, initial=Relation.SPOUSE
    )
    on = _on()
    note = _note()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].label = _("新户主")


class RelationForm(_Members):
    relation = forms.ChoiceField(label=_("与户主关系"), choices=MEMBER_RELATIONS)


class LeaveForm(_Members):
    on = _on()
    note = _note(required=True, label=_("离户原因"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = _("如分户、投靠子女。迁出或死亡请在本人页面注销。")


def _target_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, widget=forms.RadioSelect)


class _Target:
    """A form that picks a household among those found by the head's name (``household``)."""

    fields: dict[str, Any]
    cleaned_data: dict[str, Any]

    def _targets(self, targets: Sequence[Household]) -> None:
        self._found = {str(h.pk): h for h in targets}
        self.fields["household"].choices = [(str(h.pk), str(h)) for h in targets]

    def target(self) -> Household:
        return self._found[self.cleaned_data["household"]]


class MoveForm(_Target, _Members):
    household = _target_field(_("迁入的户"))
    relation = forms.ChoiceField(label=_("与新户户主关系"), choices=MEMBER_RELATIONS)
    on = _on()
    note = _note()

    def __init__(self, *args: Any, targets: Sequence[Household], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._targets(targets)


class JoinForm(_Target, StyledForm):
    """A person without a household joins one found by its head's name."""

    household = _target_field(_("加入的户"))
    relation = forms.ChoiceField(label=_("与户主关系"), choices=MEMBER_RELATIONS)
    on = _on()
    note = _note()

    def __init__(self, *args: Any, targets: Sequence[Household], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._targets(targets)


class HouseholdTagsForm(StyledForm):
    tags = forms.MultipleChoiceField(label=_("户类别"), required=False, widget=forms.CheckboxSelectMultiple)
    on = BoundedDateField(
        within=EVENT, label=_("起止日期"), required=False, widget=DateInput(), help_text=_("留空为今天")
    )
    note = _note()

    def __init__(self, *args: Any, tags: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = [(t.code, t.name) for t in tags]  # type: ignore[attr-defined]
