"""Work and income on a person's and a household's pages (``core.sections``): training with its
latest follow-up, micro-factory work, job-fair applications and public-welfare posts, each with
its latest known monthly income; the household's card opens with its figure — members at work
and their known monthly income together."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.core.sections import Row, Section, register
from wushe.registry.subjects import Subject

from .selectors import AT_WORK, HistoryItem, work_history

LIMIT = 8


def _row(item: HistoryItem) -> Row:
    meta = [f"{item.day:%Y-%m-%d}", str(item.kind), item.detail]
    if item.income is not None:
        meta.append(_("月收入%(a)s元") % {"a": item.income})
    return Row(
        title=item.title,
        url=item.url,
        meta=" · ".join(m for m in meta if m),
        status=item.status,
        tone="success" if item.at_work else "secondary",
    )


def household_figure(items: list[HistoryItem]) -> tuple[int, Decimal]:
    """Members at work now (training outcomes, micro-factory, hires, posts) and the monthly income
    known from that work."""
    working = [i for i in items if i.at_work]
    people = {i.person_id for i in working}
    income = sum((i.income for i in working if i.income is not None), Decimal("0.00"))
    return len(people), income


def _reader(kind: str) -> Any:
    def read(subject: Any, user: Any) -> dict[str, Any]:
        items = work_history(user, Subject(**{kind: subject.pk}))
        rows = [_row(i) for i in items[:LIMIT]]
        if kind == "household" and items:
            people, income = household_figure(items)
            rows.insert(
                0,
                Row(
                    title=_("家庭就业：%(n)s人在岗，已知月收入合计%(a)s元") % {"n": people, "a": income},
                    status="",
                ),
            )
        return {"rows": rows, "total": len(items), "more_url": "", "empty": _("没有培训或就业记录。")}

    return read


register(
    Section(
        key="employment",
        title=gettext_lazy("就业增收"),
        order=110,
        person=_reader("person"),
        household=_reader("household"),
    )
)

__all__ = ["AT_WORK", "household_figure"]
