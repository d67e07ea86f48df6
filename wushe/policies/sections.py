"""政策落实 on a person's and a household's pages (``core.sections``): the policies put into effect
for them, and — for those who may record one — the policies they qualify for and do not receive."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.core.sections import Row, Section, listed, register
from wushe.registry.subjects import Subject, subject_url

from .models import PolicyApplication
from .selectors import ApplicationFilters, application_list, unreached


def _row(a: PolicyApplication) -> Row:
    return Row(
        title=f"{a.applied_on:%Y-%m-%d} {a.policy.name}",
        url=reverse("policies:application_detail", args=[a.pk]),
        meta=" · ".join([a.person.name, a.benefit]),
        status=str(a.policy.get_department_display()),
        tone="success",
    )


def _reader(kind: str) -> Any:
    def read(subject: Any, user: Any) -> dict[str, Any]:
        about = Subject(**{kind: subject.pk})
        shown = listed(
            application_list(user=user, filters=ApplicationFilters(subject=about)),
            row=_row,
            more_url=subject_url(reverse("policies:application_list"), kind, subject),
            empty=_("没有政策落实记录。"),
        )
        missing = list(unreached(user=user, subject=about)[:5])
        shown["rows"] += [
            Row(
                title=_("应享未享：%(p)s") % {"p": m.policy.name},
                url=reverse("policies:policy_detail", args=[m.policy_id]),
                meta=m.person.name,
                status=_("待落实"),
                tone="warning",
            )
            for m in missing
        ]
        return shown

    return read


register(
    Section(
        key="policies",
        title=gettext_lazy("政策落实"),
        order=150,
        person=_reader("person"),
        household=_reader("household"),
    )
)
