"""A person's requests (诉求) on their page and their household's (``core.sections``): the
latest with the step they are at (an overdue one says so), and registering one from there."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import HANDLE_APPEALS
from wushe.core.sections import Action, Row, register
from wushe.registry.subjects import action_url, records_section

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


register(
    records_section(
        key="appeals",
        title=gettext_lazy("诉求办理"),
        order=90,
        records=lambda user, subject: appeal_list(user=user, filters=AppealFilters(subject=subject)),
        row=_row,
        list_name="appeals:appeal_list",
        empty=gettext_lazy("没有诉求。"),
        # a request is a person's: registered from the member's page
        actions=(
            Action(
                gettext_lazy("登记诉求"),
                url=action_url("appeals:appeal_create", households=False),
                permission=HANDLE_APPEALS,
            ),
        ),
    )
)
