"""A person's requests (诉求) on their page and their household's (``core.sections``): the
latest with the step they wait at (an overdue one says so), and registering one from there."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import HANDLE_APPEALS
from wushe.core.sections import Action, Row, Section, listed, register
from wushe.registry.subjects import Subject, subject_url

from .models import Appeal, Step
from .selectors import AppealFilters, appeal_list


def _row(appeal: Appeal) -> Row:
    archived = appeal.step == Step.ARCHIVE
    late = not archived and appeal.due_on is not None and appeal.due_on < timezone.localdate()
    where = appeal.studio.organization.name if appeal.studio_id else appeal.region.name  # type: ignore[union-attr]
    details = [f"{timezone.localdate(appeal.registered_at):%Y-%m-%d}", appeal.requester_name, where]
    status = appeal.get_step_display()
    return Row(
        title=f"{appeal.number} · {appeal.get_category_display()}：{appeal.content[:40]}",
        url=reverse("appeals:appeal_detail", args=[appeal.pk]),
        meta=" · ".join(details),
        status=f"{status} · {_('逾期')}" if late else str(status),
        tone="secondary" if archived else "danger" if late else "info",
    )


def _reader(kind: str) -> Any:
    def read(subject: Any, user: Any) -> dict[str, Any]:
        return listed(
            appeal_list(user=user, filters=AppealFilters(subject=Subject(**{kind: subject.pk}))),
            row=_row,
            more_url=subject_url(reverse("appeals:appeal_list"), kind, subject),
            empty=_("没有诉求。"),
        )

    return read


def _register_url(kind: str, subject: Any) -> str | None:
    if kind != "person" or subject.status != "active":
        return None  # a request is a person's
    return f"{reverse('appeals:appeal_create')}?person={subject.pk}"


register(
    Section(
        key="appeals",
        title=gettext_lazy("诉求办理"),
        order=90,
        person=_reader("person"),
        household=_reader("household"),
        actions=(Action(gettext_lazy("登记诉求"), url=_register_url, permission=HANDLE_APPEALS),),
    )
)
