"""The requests' configuration sections: the working calendar and the step limits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.config import ConfigSection, register

from . import calendar
from .models import CalendarDay, StepLimit

register(
    ConfigSection(
        key="calendar",
        title=_("工作日历（节假日与调休）"),
        model=CalendarDay,
        fields=("date", "working", "name", "name_en"),
        help=_(
            "法定节假日和调休上班日已内置；这里记录本系统的更正和补充（工作日放假，或周末调休上班），"
            "它们优先于内置的日历；诉求时限按工作日计算"
        ),
        on_change=calendar.invalidate,
        notes=calendar.page_notes,
        widgets={"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
    )
)
register(
    ConfigSection(
        key="step-limits",
        title=_("办理时限"),
        model=StepLimit,
        fields=("step", "category", "working_days"),
        help=_("每一步可用的工作日数；不选类别的规则适用于所有类别"),
        on_change=calendar.invalidate,
    )
)
