"""What a referral tells the person's data sharing record (PIPL art. 55) unless the worker writes
otherwise."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wushe.partners.models import Organization

from .models import Need


def sharing_defaults(need: Need, org: Organization | None = None) -> tuple[str, str]:
    """What a referral's sharing record says unless the worker writes otherwise: the purpose
    and a short impact assessment (offered on the referral form)."""
    to = org.name if org is not None else _("承接机构")
    purpose = _("转介需求“%(c)s”至%(org)s，由其联系居民提供服务") % {"c": need.category.label, "org": to}
    impact = _(
        "仅向承接机构提供居民姓名、住址和联系方式，用于本次需求的服务；电话须经工作人员点击查看并留痕；"
        "机构退回或需求办结后不再使用。对居民权益影响较小，风险可控。"
    )
    return purpose, impact
