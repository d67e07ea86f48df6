"""Case work on a person's and a household's pages (``core.sections``): their cases (and opening
one), the groups they belong to, and the group sessions they attended."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import RECORD_SERVICES
from wushe.core.sections import Action, Row, register
from wushe.registry.subjects import action_url, records_section

from .models import Case, CaseStage, Group, GroupSession
from .selectors import CaseFilters, case_list, group_list, sessions_attended


def _case_row(case: Case) -> Row:
    details = [_("接案 %(day)s") % {"day": f"{case.opened_on:%Y-%m-%d}"}]
    if case.organization_id:
        details.append(case.organization.name)  # type: ignore[union-attr]
    if case.worker_id:
        details.append(str(case.worker))
    due = case.next_due is not None and case.stage != CaseStage.CLOSED
    if due:
        details.append(_("下次待办 %(day)s") % {"day": f"{case.next_due:%Y-%m-%d}"})
    late = due and case.next_due < timezone.localdate()  # type: ignore[operator]
    return Row(
        title=f"{case.number} · {case.person.name}",
        url=reverse("casework:case_detail", args=[case.pk]),
        meta=" · ".join(details),
        status=str(case.get_stage_display()),
        tone="secondary" if case.stage == CaseStage.CLOSED else "danger" if late else "info",
    )


register(
    records_section(
        key="cases",
        title=gettext_lazy("个案服务"),
        order=70,
        records=lambda user, subject: case_list(user=user, filters=CaseFilters(subject=subject)),
        row=_case_row,
        list_name="casework:case_list",
        empty=gettext_lazy("没有个案。"),
        # a case is a person's: opened from the member's page
        actions=(
            Action(
                gettext_lazy("开个案"),
                url=action_url("casework:case_create", households=False),
                permission=RECORD_SERVICES,
            ),
        ),
    )
)


def _group_row(group: Group) -> Row:
    period = f"{group.starts_on:%Y-%m-%d}" + (f" – {group.ends_on:%Y-%m-%d}" if group.ends_on else "")
    counts = _("%(n)s名组员 · %(s)s节") % {"n": group.member_count, "s": group.session_count}  # type: ignore[attr-defined]
    return Row(
        title=group.name, url=reverse("casework:group_detail", args=[group.pk]), meta=f"{period} · {counts}"
    )


register(
    records_section(
        key="groups",
        title=gettext_lazy("参加的小组"),
        order=80,
        records=lambda user, subject: group_list(user=user, subject=subject),
        row=_group_row,
        list_name="casework:group_list",
        empty=gettext_lazy("没有参加小组。"),
    )
)


def _session_row(session: GroupSession) -> Row:
    return Row(
        title=f"{session.group.name} · "
        + _("第%(n)s节：%(topic)s") % {"n": session.number, "topic": session.topic},
        url=reverse("casework:group_detail", args=[session.group_id]),
        meta=f"{session.on:%Y-%m-%d} · {session.group.region.name}",
    )


register(
    records_section(
        key="activities",
        title=gettext_lazy("参加的活动"),
        order=85,
        # the full list: the groups whose sessions these are
        records=lambda user, subject: sessions_attended(user=user, subject=subject),
        row=_session_row,
        list_name="casework:group_list",
        empty=gettext_lazy("没有参加活动的记录。"),
    )
)
