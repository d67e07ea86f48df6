"""Charity money on a person's and a household's pages (``core.sections``): donations arranged
straight to the household, and fund payments requested or made for them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.core.sections import Row, Section, listed, register
from wushe.registry.subjects import Subject

from .models import Disbursement, DisbursementStatus, Donation
from .selectors import charity_for, donations_received


def _payment(d: Disbursement) -> Row:
    return Row(
        title=f"{d.requested_at:%Y-%m-%d} {d.fund.name} · {d.purpose}",
        url=reverse("funds:disbursement_detail", args=[d.pk]),
        meta=_("%(a)s元") % {"a": d.amount},
        status=str(d.get_status_display()),
        tone="success" if d.status == DisbursementStatus.PAID else "secondary",
    )


def _gift(d: Donation) -> Row:
    return Row(
        title=f"{d.donated_on:%Y-%m-%d} {d.donor_name or _('匿名')}",
        url=reverse("funds:donation_detail", args=[d.pk]),
        meta=" · ".join(
            [_("%(a)s元") % {"a": d.amount}, str(d.get_channel_display())]
            + ([_("牵线人：%(u)s") % {"u": d.intermediary}] if d.intermediary else [])
        ),
        status="",
        tone="secondary",
    )


def _reader(kind: str) -> Any:
    def read(subject: Any, user: Any) -> dict[str, Any]:
        about = Subject(**{kind: subject.pk})
        payments = listed(charity_for(user=user, subject=about), row=_payment, empty=_("没有基金支出记录。"))
        gifts = listed(donations_received(user=user, subject=about), row=_gift)
        return {
            **payments,
            "rows": gifts["rows"] + payments["rows"],
            "total": gifts["total"] + payments["total"],
        }

    return read


register(
    Section(
        key="charity",
        title=gettext_lazy("慈善帮扶"),
        order=105,
        person=_reader("person"),
        household=_reader("household"),
    )
)
