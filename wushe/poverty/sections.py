"""The poverty work on a household's page (``core.sections``): the latest check and its history,
and the household's monitoring status; actions to check it and to print its booklet and card."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import READ_REGISTRY, RECORD_OUTREACH
from wushe.core.sections import Action, Row, Section, listed, register

from . import selectors
from .models import HouseholdCheck, ObjectStatus


def _row(check: HouseholdCheck) -> Row:
    failed = [i.get_item_display() for i in check.items.all() if not i.passed]
    return Row(
        title=_("%(d)s 入户核查") % {"d": check.checked_on},
        url=reverse("poverty:check_detail", args=[check.pk]),
        meta=_("人均纯收入%(p)s元") % {"p": check.income_per_person}
        + ("；" + _("未达标：%(i)s") % {"i": "、".join(str(f) for f in failed)} if failed else ""),
        status=_("%(n)s项未达标") % {"n": len(failed)} if failed else _("全部达标"),
        tone="warning" if failed else "success",
    )


def _household(household: Any, user: Any) -> dict[str, Any]:
    context = listed(
        selectors.check_list(user=user, household=household),
        row=_row,
        more_url=reverse("poverty:check_list") + f"?household={household.pk}",
        empty=_("还没有入户核查。"),
    )
    obj = selectors.object_list(user=user, status=ObjectStatus.MONITORED).filter(household=household).first()
    if obj is not None:
        context["rows"].insert(
            0,
            Row(
                title=_("监测对象：%(k)s（%(r)s）")
                % {"k": obj.get_kind_display(), "r": obj.get_risk_type_display()},
                url=reverse("poverty:object_detail", args=[obj.pk]),
                meta=_("%(d)s纳入监测") % {"d": obj.started_on},
                status=str(obj.get_status_display()),
                tone="danger",
            ),
        )
    return context


def _check_url(kind: str, subject: Any) -> str:
    return reverse("poverty:check_create") + f"?household={subject.pk}"


register(
    Section(
        key="poverty",
        title=gettext_lazy("两不愁三保障核查与防返贫监测"),
        order=35,
        household=_household,
        permission=READ_REGISTRY,
        actions=(
            Action(gettext_lazy("入户核查"), url=_check_url, permission=RECORD_OUTREACH),
            Action(
                gettext_lazy("一户一册"),
                url=lambda kind, s: reverse("poverty:booklet", args=[s.pk]),
                permission=READ_REGISTRY,
            ),
            Action(
                gettext_lazy("一户一卡"),
                url=lambda kind, s: reverse("poverty:card", args=[s.pk]),
                permission=READ_REGISTRY,
            ),
        ),
    )
)
