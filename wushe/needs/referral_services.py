"""The writes of referrals (the services layer of needs, beside ``services.py``): a social worker
refers a need by hand when no suggestion fits; the organization accepts a referral or returns it
with a reason; the organization's staff reveal the resident's phone to reach them.

Accepting a suggestion is ``services.need_accept``; both end in ``services._refer``. The
organization's side is for the users who act for it (``services.acts_for``: granted on the
organization; a superuser; the system). Every reveal of a phone is an ``AccessEvent``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wushe.accounts.roles import RECORD_OUTREACH, REVEAL_IDENTIFIERS, WORK_NEEDS
from wushe.core import checks
from wushe.core.models import AccessEventKind
from wushe.core.permissions import require_perm
from wushe.core.services import access_event_record
from wushe.partners.models import Organization, Resource
from wushe.partners.selectors import usable_organizations

from .models import Need, NeedStatus, Referral, ReferralState
from .selectors import need_contact_person
from .services import REFERABLE, _answer, _refer, _require_visible, _save, _step, acts_for, resource_take_one


@transaction.atomic
def need_refer(
    *,
    acting_user: Any,
    need: Need,
    organization: Organization | None,
    reason: str,
    resource: Resource | None = None,
    at: datetime.datetime | None = None,
    purpose: str = "",
    impact: str = "",
) -> Need:
    """Refer a need by hand to an organization (and optionally one of its resources, whose
    capacity is taken) when no suggestion fits: the reason is required. The organization must be
    one the user may pick for work (``partners.selectors.usable_organizations``)."""
    require_perm(acting_user, RECORD_OUTREACH)
    need = Need.objects.select_for_update(of=("self",)).select_related("region", "category").get(pk=need.pk)
    _require_visible(acting_user, need)
    if need.status not in REFERABLE:
        raise ValidationError({"need": _("只有待评估或待对接的需求才能转介")})
    reason = checks.text(reason, "reason", max_length=300, required=True, message=_("请说明转介理由"))
    if resource is not None:
        organization = organization or resource.provider
        if resource.provider_id != organization.pk:
            raise ValidationError({"resource": _("所选资源不是该组织提供的")})
        if (
            acting_user is not None
            and not Resource.objects.visible_to(acting_user).filter(pk=resource.pk).exists()
        ):
            raise ValidationError({"resource": _("所选对象不存在或不在您的管辖范围内")})
    if organization is None:
        raise ValidationError({"organization": _("请选择转介的组织")})
    if not usable_organizations(acting_user).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("该组织已停用或不在您的工作范围内")})
    if resource is not None:
        resource_take_one(resource=resource)
    moment = checks.moment(at)
    target = f"{organization.name}（{resource.name}）" if resource is not None else organization.name
    return _refer(
        acting_user=acting_user,
        need=need,
        org=organization,
        moment=moment,
        resource=resource,
        manual=True,
        purpose=purpose,
        impact=impact,
        reasons=_("手动转介：%(r)s") % {"r": reason},
        note=_("手动转介至%(t)s：%(r)s") % {"t": target, "r": reason},
    )


def _for_organization(acting_user: Any, referral: Referral) -> Referral:
    """The referral, locked, answered by someone acting for its organization."""
    require_perm(acting_user, WORK_NEEDS)
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("need", "organization")
        .get(pk=referral.pk)
    )
    if not acts_for(acting_user, referral.organization_id):
        raise PermissionDenied(_("只有被转介机构的工作人员才能接收或退回转介"))
    return referral


@transaction.atomic
def referral_accept(
    *, acting_user: Any, referral: Referral, note: str = "", at: datetime.datetime | None = None
) -> Referral:
    """The organization accepts a waiting referral: it will serve the resident."""
    referral = _for_organization(acting_user, referral)
    if referral.state != ReferralState.WAITING or referral.need.status != NeedStatus.MATCHED:
        raise ValidationError({"referral": _("该转介已经答复过")})
    moment = checks.moment(at)
    note = checks.text(note, "note", max_length=300)
    _answer(referral, state=ReferralState.ACCEPTED, acting_user=acting_user, moment=moment, note=note)
    _step(
        referral.need,
        from_status=NeedStatus.MATCHED,
        to_status=NeedStatus.MATCHED,
        by=acting_user,
        at=moment,
        note=_("%(org)s接收转介") % {"org": referral.organization.name} + (f"：{note}" if note else ""),
    )
    return referral


@transaction.atomic
def referral_return(
    *, acting_user: Any, referral: Referral, reason: str, at: datetime.datetime | None = None
) -> Referral:
    """The organization returns a referral it cannot take (waiting, or accepted before the service
    started), with a reason: the need goes back to 待对接 for the social worker to refer
    elsewhere, the organization no longer sees it, and the resource's capacity is released."""
    referral = _for_organization(acting_user, referral)
    need = Need.objects.select_for_update().get(pk=referral.need_id)
    if referral.state == ReferralState.RETURNED or need.status != NeedStatus.MATCHED:
        raise ValidationError({"referral": _("只能退回尚未开始服务的转介")})
    reason = checks.text(reason, "reason", max_length=300, required=True, message=_("请说明退回原因"))
    moment = checks.moment(at)
    _answer(referral, state=ReferralState.RETURNED, acting_user=acting_user, moment=moment, note=reason)
    if referral.resource_id is not None:
        Resource.objects.filter(pk=referral.resource_id, remaining__lt=F("capacity")).update(
            remaining=F("remaining") + 1
        )
    need.status, need.referred_to, need.referred_at = NeedStatus.TO_MATCH, None, None
    need.resource, need.project = None, None
    _save(need, acting_user, ["status", "referred_to", "referred_at", "resource", "project"])
    _step(
        need,
        from_status=NeedStatus.MATCHED,
        to_status=NeedStatus.TO_MATCH,
        by=acting_user,
        at=moment,
        note=_("%(org)s退回转介：%(r)s") % {"org": referral.organization.name, "r": reason},
    )
    return referral


@transaction.atomic
def need_contact_reveal(
    *, acting_user: Any, need: Need, request: HttpRequest | None = None
) -> dict[str, str]:
    """The phone numbers of the resident a need is about, to reach them: for the staff of the
    organization the need is referred to (the referral is the purpose) and for the users who may
    reveal identifiers. Always an access event naming the need."""
    _require_visible(acting_user, need)
    referred = need.referred_to_id is not None and acts_for(acting_user, need.referred_to_id)
    if acting_user is not None and not referred and not acting_user.has_perm(REVEAL_IDENTIFIERS):
        raise PermissionDenied(_("您没有执行此操作的权限"))
    person = need_contact_person(need, encrypted=True)
    if person is None:
        raise ValidationError({"person": _("该需求没有登记居民")})
    access_event_record(
        kind=AccessEventKind.REVEAL,
        user=acting_user,
        request=request,
        obj=person,
        detail={
            "purpose": "referral" if referred else "need",
            "need": need.pk,
            "fields": ["phone", "contact_phone"],
        },
    )
    return {
        "phone": person.phone or "",
        "contact_name": person.contact_name,
        "contact_phone": person.contact_phone or "",
    }
