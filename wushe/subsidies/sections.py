"""The subsidies on a person's page (``core.sections``): eligibility for both subsidies this month
with the facts and conditions, and the person's applications."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import MANAGE_PERSONS
from wushe.core.checks import today
from wushe.core.sections import Action, Row, Section, register

from .eligibility import person_eligibility
from .models import Application, Status


def _row(a: Application) -> Row:
    return Row(
        title=f"{a.applied_on:%Y-%m-%d} {a.get_kind_display()}",
        url=reverse("subsidies:application_detail", args=[a.pk]),
        meta=_("申请人：%(n)s") % {"n": a.applicant_name},
        status=str(a.get_status_display()),
        tone="success" if a.status == Status.APPROVED else "secondary",
    )


def _person(person: Any, user: Any) -> dict[str, Any]:
    apps = list(Application.objects.visible_to(user).filter(person=person).order_by("-applied_on", "-pk")[:5])
    return {
        "eligibility": person_eligibility(person, month=today()),
        "rows": [_row(a) for a in apps],
        "total": 0,
    }


register(
    Section(
        key="subsidies",
        title=gettext_lazy("残疾人两项补贴"),
        order=35,
        template="subsidies/section.html",
        person=_person,
        actions=(
            Action(
                gettext_lazy("申请补贴"),
                lambda kind, subject: reverse("subsidies:application_create", args=[subject.pk]),
                permission=MANAGE_PERSONS,
            ),
        ),
    )
)
