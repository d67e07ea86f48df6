"""Forms of the household pages: open a household, add a member, name a new head, correct a
relation, record a member leaving, move a member to another household, the household's tags.
They check the shape of the input; the rules live in ``services`` (their errors come back on
the fields they name)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import EVENT, BoundedDateField
from wushe.core.forms import DateInput, StyledForm, region_choices, set_choices
from wushe.core.listing import ListFilterForm
from wushe.core.models import AREA_LEVELS

from .models import Household, Person, Relation
from .selectors import HouseholdFilters, is_sensitive_query, region_picker

if TYPE_CHECKING:
    from wushe.core.types import AnyUser

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


class HouseholdFilterForm(ListFilterForm):
    """The household list's one filter definition (page and export): the head's name or pinyin,
    a street, community or grid in scope (by its code), and whether households without a
    registered member are listed too. An ID or phone number is refused here: it would travel in
    the URL (the person list's search box takes it in a POST)."""

    q = forms.CharField(label=_("户主姓名或拼音"), required=False, max_length=60)
    region = forms.ChoiceField(label=_("社区/网格"), required=False)
    all = forms.BooleanField(label=_("含无在册成员的户"), required=False)

    def setup(self, user: AnyUser | None) -> None:
        regions = region_picker(user=user, levels=AREA_LEVELS)
        self._regions = {r.code: r for r in regions}
        set_choices(self, "region", [("", _("全部")), *region_choices(regions)])

    def clean_q(self) -> str:
        q = str(self.cleaned_data.get("q") or "").strip()
        if q and is_sensitive_query(q):
            raise forms.ValidationError(
                _("为保护个人信息，身份证号码和电话号码不能放在网址中检索。请按户主姓名或拼音检索。")
            )
        return q

    def to_filters(self, data: dict[str, Any]) -> HouseholdFilters:
        return HouseholdFilters(
            q=data.get("q") or "",
            region=self._regions.get(data.get("region") or ""),
            active_only=not data.get("all"),
        )
