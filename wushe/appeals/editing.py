"""Editing what was registered of a resident's request — channel, category, receiving team,
the requester's name and phone, the content — by the side that registered it (the region's
workers who handle requests, or the studio the request came to), with the change history naming
who and why. The steps (接待 → … → 归档) move only through ``services``; an archived request
is closed and no longer edited. The quotable number never changes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.roles import HANDLE_APPEALS
from wushe.core import checks
from wushe.core.history import record_actor
from wushe.core.permissions import require_perm
from wushe.core.scoping import covers, granted_organization_ids
from wushe.core.validators import mask_phone, normalise_phone
from wushe.registry.identity import normalise_name

from .models import Appeal, Category, Channel, Step, TeamKind

EDITABLE = ("channel", "category", "team", "requester_name", "requester_phone", "content")
SHOWN = (
    "channel",
    "category",
    "team",
    "requester_name",
    "content",
)  # a form's initial values: never the full phone


def appeal_values(appeal: Appeal) -> dict[str, Any]:
    return {f: getattr(appeal, f) for f in SHOWN}


def may_edit(user: Any, appeal: Appeal) -> bool:
    """The region's workers who handle requests there, or the studio the request came to (the
    unit it was referred to works it through the steps, it does not rewrite it)."""
    if user is None:
        return True
    if not user.has_perm(HANDLE_APPEALS) or appeal.step == Step.ARCHIVE:
        return False
    if covers(user, appeal.region):
        return True
    studio = appeal.studio
    return studio is not None and studio.organization_id in granted_organization_ids(user)


@transaction.atomic
def appeal_update(
    *,
    acting_user: Any,
    appeal: Appeal,
    reason: str,
    channel: str | None = None,
    category: str | None = None,
    team: str | None = None,
    requester_name: str | None = None,
    requester_phone: str | None = None,
    content: str | None = None,
) -> Appeal:
    """Correct the registered fields given (``None``: unchanged); ``reason`` goes into the history."""
    require_perm(acting_user, HANDLE_APPEALS)
    appeal = (
        Appeal.objects.select_for_update(of=("self",)).select_related("region", "studio").get(pk=appeal.pk)
    )
    if appeal.step == Step.ARCHIVE:
        raise ValidationError({"step": _("诉求已归档，不能再修改")})
    if not may_edit(acting_user, appeal):
        raise PermissionDenied(_("只有登记诉求的工作室或所在区域的工作人员可以修改诉求"))
    reason = checks.text(reason, "reason", max_length=100, required=True)
    changed: list[str] = []

    def put(field: str, value: Any) -> None:
        if value != getattr(appeal, field):
            setattr(appeal, field, value)
            changed.append(field)

    if channel is not None:
        if channel not in Channel.values:
            raise ValidationError({"channel": _("请选择诉求渠道")})
        put("channel", channel)
    if category is not None:
        if category not in Category.values:
            raise ValidationError({"category": _("请选择诉求类别")})
        put("category", category)
    if team is not None:
        if team and team not in TeamKind.values:
            raise ValidationError({"team": _("未知的接待队伍")})
        put("team", team)
    if requester_name is not None:
        put(
            "requester_name",
            checks.text(
                normalise_name(requester_name),
                "requester_name",
                max_length=50,
                required=True,
                message=_("请填写诉求人姓名或选择在册居民"),
            ),
        )
    if requester_phone is not None:
        phone = ""
        if requester_phone.strip():
            try:
                phone = normalise_phone(requester_phone)
            except ValidationError as exc:
                raise ValidationError({"requester_phone": exc.messages}) from None
        if phone != appeal.requester_phone:
            appeal.requester_phone, appeal.requester_phone_masked = phone, mask_phone(phone) if phone else ""
            changed += ["requester_phone", "requester_phone_masked"]
    if content is not None:
        put("content", checks.text(content, "content", required=True, message=_("请填写诉求内容")))
    if changed:
        record_actor(appeal, user=acting_user)
        appeal._change_reason = reason  # type: ignore[attr-defined]  # django-simple-history
        appeal.save(update_fields=changed)
    return appeal
