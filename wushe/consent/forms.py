"""The consent pages' forms: a consent, a statutory basis, a withdrawal, the report's filters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.checks import today
from wushe.core.forms import DateInput, StyledForm, region_choices, set_choices
from wushe.core.listing import ListFilterForm
from wushe.core.models import Region

from .models import STATUTORY, Basis, DataKind, Method, Party, Purpose
from .selectors import REPORT_KINDS, ReportFilters
from .services import GIVEN_METHODS

if TYPE_CHECKING:
    from wushe.core.types import AnyUser

METHOD_CHOICES = [(m.value, m.label) for m in Method if m in GIVEN_METHODS]


class ConsentForm(StyledForm):
    kinds = forms.MultipleChoiceField(
        label=_("同意处理的信息"), choices=DataKind.choices, widget=forms.CheckboxSelectMultiple
    )
    purpose_kind = forms.ChoiceField(label=_("处理目的类别"), choices=Purpose.choices)
    purpose = forms.CharField(label=_("处理目的"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    given_by = forms.ChoiceField(
        label=_("同意人"), choices=Party.choices, widget=forms.RadioSelect, initial=Party.SELF
    )
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50, required=False)
    guardian_relation = forms.CharField(label=_("与本人关系"), max_length=20, required=False)
    method = forms.ChoiceField(label=_("同意方式"), choices=METHOD_CHOICES, widget=forms.RadioSelect)
    scan = forms.FileField(
        label=_("签字同意书扫描件"),
        required=False,
        help_text=_("纸质同意书必传：JPEG、PNG、WebP 或 PDF，不超过 5 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    given_on = forms.DateField(label=_("同意日期"), widget=DateInput(), initial=today, required=False)


class BasisForm(StyledForm):
    kinds = forms.MultipleChoiceField(
        label=_("依法处理的信息"), choices=DataKind.choices, widget=forms.CheckboxSelectMultiple
    )
    basis = forms.ChoiceField(
        label=_("法定依据"), choices=[(b.value, b.label) for b in Basis if b in STATUTORY]
    )
    basis_text = forms.CharField(
        label=_("依据说明"),
        max_length=300,
        help_text=_("写明法律法规条款或部门职责，如《社会救助暂行办法》第十一条"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    purpose_kind = forms.ChoiceField(label=_("处理目的类别"), choices=Purpose.choices)
    purpose = forms.CharField(label=_("处理目的"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("起始日期"), widget=DateInput(), initial=today, required=False)


class WithdrawForm(StyledForm):
    by_party = forms.ChoiceField(
        label=_("撤回人"), choices=Party.choices, widget=forms.RadioSelect, initial=Party.SELF
    )
    method = forms.ChoiceField(label=_("撤回方式"), choices=METHOD_CHOICES, widget=forms.RadioSelect)
    stops = forms.CharField(
        label=_("撤回后停止的处理"),
        max_length=300,
        initial=_("停止为上述目的处理所列信息；已依法留存的记录不再使用，法定职责所需的除外"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    on = forms.DateField(label=_("撤回日期"), widget=DateInput(), initial=today, required=False)

    def __init__(self, *args: Any, consent: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not consent:  # the end of a statutory basis: no party, no method
            del self.fields["by_party"]
            del self.fields["method"]


class ReportFilterForm(ListFilterForm):
    region = forms.ChoiceField(label=_("区域"), required=False)
    kind = forms.ChoiceField(label=_("信息种类"), required=False)

    def setup(self, user: AnyUser | None) -> None:
        self._regions: dict[str, Region] = {}
        if user is not None:
            regions = list(Region.objects.visible_to(user).order_by("path")[:500])
            self._regions = {r.code: r for r in regions}
            set_choices(self, "region", [("", _("全部")), *region_choices(regions)])
        labels = dict(DataKind.choices)
        set_choices(self, "kind", [("", _("全部")), *((str(k), labels[k]) for k in REPORT_KINDS)])

    def to_filters(self, data: dict[str, Any]) -> ReportFilters:
        return ReportFilters(region=self._regions.get(data.get("region") or ""), kind=data.get("kind") or "")
