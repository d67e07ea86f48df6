"""Forms of the registry pages. They validate the shape of the input; the rules live in the
services, whose ``ValidationError`` (keyed by field) is mapped back onto the form's fields."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import EVENT, BoundedDateField
from wushe.core.forms import BootstrapMixin, DateInput, apply_service_errors, region_choices, set_choices
from wushe.core.models import Region
from wushe.core.validators import normalise_phone, parse_certificate_number, parse_id_number

from . import basis, services
from .household_forms import MEMBER_RELATIONS
from .models import DisabilityCategory, DisabilityLevel, Household, LedgerColour, Person, PersonStatus
from .selectors import PersonFilters, current_certificate

if TYPE_CHECKING:
    from wushe.accounts.models import User

STATUS_ALL = "all"
HOUSEHOLD_NONE, HOUSEHOLD_NEW, HOUSEHOLD_JOIN = "", "new", "join"


class CertificateFilterFields(forms.Form):
    """The ledger's three filters, shared by the person list and the ledger page."""

    colour = forms.ChoiceField(
        label=_("台账颜色"), required=False, choices=[("", _("全部")), *LedgerColour.choices]
    )
    category = forms.TypedChoiceField(
        label=_("残疾类别"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部")), *DisabilityCategory.choices],
    )
    level = forms.TypedChoiceField(
        label=_("残疾等级"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部")), *DisabilityLevel.choices],
    )


class PersonFilterForm(BootstrapMixin, CertificateFilterFields):
    field_order = ["q", "region", "status", "tag", "colour", "category", "level", "changed"]

    q = forms.CharField(
        label=_("检索"),
        required=False,
        max_length=60,
        help_text=_("姓名、姓名拼音或首字母；也可输入身份证号码、残疾人证号或电话号码（不会出现在网址中）"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "type": "search"}),
    )
    region = forms.ChoiceField(label=_("区域"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[*PersonStatus.choices, (STATUS_ALL, _("全部"))],
    )
    tag = forms.ChoiceField(label=_("人员类别"), required=False)
    changed = forms.TypedChoiceField(
        label=_("登记或状态变动"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("不限")), (7, _("近7天")), (30, _("近30天")), (90, _("近90天"))],
    )

    def __init__(self, *args: Any, regions: Sequence[Region], tags: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        set_choices(self, "region", [("", _("全部")), *region_choices(regions)])
        set_choices(self, "tag", [("", _("全部")), *((t.code, t.label) for t in tags)])
        self._style()

    def to_filters(self) -> PersonFilters:
        d = self.cleaned_data
        status = d.get("status") or PersonStatus.ACTIVE
        return PersonFilters(
            q=(d.get("q") or "").strip(),
            region=self._regions.get(d.get("region") or ""),
            status="" if status == STATUS_ALL else status,
            tag=d.get("tag") or "",
            colour=d.get("colour") or "",
            category=d.get("category"),
            level=d.get("level"),
            changed_days=d.get("changed"),
        )

    def query(self, *, with_q: bool = True) -> QueryDict:
        """The filters as GET parameters (never a sensitive ``q``: the caller decides)."""
        params = QueryDict(mutable=True)
        for name in self.fields:
            if name == "q" and not with_q:
                continue
            value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
            if value not in (None, ""):
                params[name] = str(value)
        return params


# ---- creating and editing a person ----------------------------------------------------------


class PersonForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=40,
        help_text=_("18位居民身份证号码（15位旧号码会自动转换）；出生日期和性别由号码得出"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "form-control mono"}
        ),
    )
    region = forms.ChoiceField(label=_("所属社区/网格"))
    phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "tel", "class": "form-control mono"}
        ),
    )
    address = forms.CharField(label=_("住址"), required=False, max_length=200)
    contact_name = forms.CharField(label=_("监护人/联系人"), required=False, max_length=50)
    contact_phone = forms.CharField(
        label=_("联系人电话"),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "tel", "class": "form-control mono"}
        ),
    )
    tags = forms.MultipleChoiceField(label=_("人员类别"), required=False, widget=forms.CheckboxSelectMultiple)
    disability_certificate = forms.CharField(
        label=_("残疾人证号"),
        required=False,
        max_length=40,
        help_text=_("第二代残疾人证号，20位：身份证号码18位 + 残疾类别1位 + 残疾等级1位"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "form-control mono"}
        ),
    )
    certificate_issued_on = BoundedDateField(label=_("发证日期"), required=False, widget=DateInput())
    # the household: opened with this person as its head, or joined (found by the head's name)
    household_mode = forms.ChoiceField(
        label=_("户"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (HOUSEHOLD_NONE, _("暂不登记户")),
            (HOUSEHOLD_NEW, _("新建一户，本人为户主")),
            (HOUSEHOLD_JOIN, _("加入已有的户")),
        ],
    )
    household_q = forms.CharField(label=_("按户主姓名或拼音查找户"), required=False, max_length=60)
    household = forms.ChoiceField(label=_("加入的户"), required=False, widget=forms.RadioSelect)
    relation_to_head = forms.ChoiceField(
        label=_("与户主关系"), required=False, choices=[("", "—"), *MEMBER_RELATIONS]
    )

    def __init__(
        self,
        *args: Any,
        regions: Sequence[Region],
        tags: Sequence[Any],
        person: Person | None = None,
        households: Sequence[Household] = (),
        **kwargs: Any,
    ) -> None:
        self.person = person
        if person is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": person.name,
                "region": person.region.code,
                "address": person.address,
                "contact_name": person.contact_name,
                "tags": [pt.tag.code for pt in person.tags.all() if pt.valid_to is None],
            }
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        set_choices(self, "region", [("", "—"), *region_choices(regions)])
        set_choices(self, "tags", [(t.code, t.label) for t in tags])
        self._households = {str(h.pk): h for h in households}
        set_choices(self, "household", [(str(h.pk), str(h)) for h in households])
        if person is not None and person.household_id:  # its household is managed on its page
            for name in ("household_mode", "household_q", "household", "relation_to_head"):
                del self.fields[name]
        if person is not None:
            # full numbers are never put in a page unasked: blank means "unchanged"
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("当前：%(masked)s。留空则不修改。") % {
                "masked": person.id_masked
            }
            self.fields["phone"].help_text = _("当前：%(masked)s。留空则不修改。") % {
                "masked": person.phone_masked or _("无")
            }
            self.fields["contact_phone"].help_text = _("留空则不修改。")
            cert = current_certificate(person)
            if cert is not None:
                self.fields["disability_certificate"].help_text = _(
                    "当前：%(category)s%(level)s。留空则不修改；输入新的证号记录类别或等级的变化。"
                ) % {"category": cert.get_category_display(), "level": cert.get_level_display()}
        self._style()

    # The same rules the services apply, checked here too so that every field's error shows at
    # once; the services check again (and check what needs the database, such as duplicates).
    def clean_id_number(self) -> str:
        value: str = self.cleaned_data.get("id_number", "")
        if value.strip():
            parse_id_number(value)
        return value

    def _clean_phone(self, name: str) -> str:
        value: str = self.cleaned_data.get(name, "")
        if value.strip():
            normalise_phone(value)
        return value

    def clean_phone(self) -> str:
        return self._clean_phone("phone")

    def clean_contact_phone(self) -> str:
        return self._clean_phone("contact_phone")

    def clean_disability_certificate(self) -> str:
        value: str = self.cleaned_data.get("disability_certificate", "")
        if value.strip():
            parse_certificate_number(value)
        return value

    def region_obj(self) -> Region:
        return self._regions[self.cleaned_data["region"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("household_mode") == HOUSEHOLD_JOIN:
            if not data.get("household"):
                self.add_error("household", _("请先按户主姓名查找，再选择要加入的户"))
            if not data.get("relation_to_head"):
                self.add_error("relation_to_head", _("请选择与户主关系"))
        return data

    def household_obj(self) -> Household | None:
        return self._households.get(self.cleaned_data.get("household") or "")

    def _household(self, acting_user: User | None, person: Person) -> None:
        """Open or join the household the form names (creating: in the same transaction)."""
        mode = self.cleaned_data.get("household_mode")
        if mode == HOUSEHOLD_NEW:
            services.household_create(acting_user=acting_user, head=person)
        elif mode == HOUSEHOLD_JOIN and (household := self.household_obj()) is not None:
            services.household_add_member(
                acting_user=acting_user,
                household=household,
                person=person,
                relation=self.cleaned_data["relation_to_head"],
            )

    def save(self, *, acting_user: User | None) -> services.PersonResult | None:
        """Write through the services; on a rule's failure put the error on its field, return None."""
        try:
            with transaction.atomic():
                result = self._create(acting_user) if self.person is None else self._update(acting_user)
                if "household_mode" in self.fields:
                    self._household(acting_user, result.person)
                return result
        except ValidationError as exc:
            apply_service_errors(self, exc)
            return None

    def _create(self, acting_user: User | None) -> services.PersonResult:
        d = self.cleaned_data
        result = services.person_create(
            acting_user=acting_user,
            region=self.region_obj(),
            name=d["name"],
            id_number=d["id_number"],
            phone=d["phone"],
            address=d["address"],
            contact_name=d["contact_name"],
            contact_phone=d["contact_phone"],
            tags=d["tags"],
            disability_certificate=d["disability_certificate"],
            certificate_issued_on=d["certificate_issued_on"],
        )
        kinds = [
            *([basis.DISABILITY] if d["disability_certificate"].strip() else []),
            *basis.tag_code_kinds(d["tags"]),
        ]
        result.warnings.extend(basis.warnings_for(result.person, kinds))
        return result

    def _update(self, acting_user: User | None) -> services.PersonResult:
        person = self.person
        assert person is not None
        d = self.cleaned_data
        changes: dict[str, Any] = {
            "name": d["name"],
            "address": d["address"],
            "contact_name": d["contact_name"],
        }
        for key in ("id_number", "phone", "contact_phone"):
            if d[key].strip():
                changes[key] = d[key]
        with transaction.atomic():
            result = services.person_update(acting_user=acting_user, person=person, **changes)
            region = self.region_obj()
            if region.pk != person.region_id:
                services.person_move(acting_user=acting_user, person=person, region=region)
            kinds: list[str] = []
            if sorted(d["tags"]) != sorted(_open_tag_codes(person)):
                added = set(d["tags"]) - set(_open_tag_codes(person))
                services.person_tags_set(acting_user=acting_user, person=person, tags=d["tags"])
                kinds += basis.tag_code_kinds(sorted(added))
            if d["disability_certificate"].strip():
                kinds.append(basis.DISABILITY)
                services.certificate_set(
                    acting_user=acting_user,
                    person=person,
                    number=d["disability_certificate"],
                    issued_on=d["certificate_issued_on"],
                )
        result.warnings.extend(basis.warnings_for(person, kinds))
        return result


def _open_tag_codes(person: Person) -> list[str]:
    return [pt.tag.code for pt in person.tags.all() if pt.valid_to is None]


# ---- small actions on the detail page -------------------------------------------------------


class DeregisterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("注销原因"),
        choices=[
            (PersonStatus.MOVED.value, PersonStatus.MOVED.label),
            (PersonStatus.DECEASED.value, PersonStatus.DECEASED.label),
        ],
    )
    on = BoundedDateField(
        within=EVENT, label=_("日期"), required=False, widget=DateInput(), help_text=_("留空为今天")
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class MoveForm(BootstrapMixin, forms.Form):
    region = forms.ChoiceField(label=_("迁往社区/网格"))

    def __init__(
        self, *args: Any, regions: Sequence[Region], current: Region | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        others = [r for r in regions if current is None or r.pk != current.pk]
        set_choices(self, "region", [("", _("请选择")), *region_choices(others)])
        self._style()

    def region_obj(self) -> Region:
        return self._regions[self.cleaned_data["region"]]


# ---- the ledger ---------------------------------------------------------------------------


class LedgerFilterForm(BootstrapMixin, CertificateFilterFields):
    field_order = ["region", "community", "colour", "category", "level", "as_of"]

    region = forms.ChoiceField(label=_("区域"), required=False)
    community = forms.ChoiceField(label=_("社区"), required=False)
    as_of = BoundedDateField(
        label=_("统计日期"),
        required=False,
        widget=DateInput(),
        help_text=_("留空为今天；可查看过去某日的台账"),
    )

    def __init__(
        self, *args: Any, regions: Sequence[Region], communities: Sequence[Region], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", region_choices(regions))
        set_choices(self, "community", [("", _("全部")), *region_choices(communities)])
        self._style()

    def clean_as_of(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("as_of")
        if day is not None and day > timezone.localdate():
            raise ValidationError(_("统计日期不能晚于今天"))
        return day
