"""Every write of the 项目清单: a project, its linked resources and need categories, its
achieved indicators."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.history import actor, record_actor
from wushe.core.models import Region
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.needs.selectors import category_resolve
from wushe.partners.models import Organization, Resource

from .models import Project, ProjectKind

MAX_BUDGET = Decimal("9999999999.99")


def _budget(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValidationError({"budget": _("金额须用十进制数表示，不能是浮点数")})
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        raise ValidationError({"budget": _("请填写有效的金额")}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_BUDGET:
        raise ValidationError({"budget": _("预算须在0到9999999999.99元之间")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"budget": _("金额最多保留两位小数")})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def project_create(
    *,
    acting_user: User | None,
    region: Region,
    name: str,
    kind: str,
    organization: Organization,
    start_on: datetime.date,
    end_on: datetime.date,
    budget: Decimal | str | int = Decimal("0"),
    funding_source: str = "",
    target_group: str = "",
    planned_indicators: str = "",
    achieved_indicators: str = "",
    categories: Any = (),
    resources: Any = (),
) -> Project:

    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称")})
    if len(name) > 100:
        raise ValidationError({"name": _("不能超过%(n)s个字") % {"n": 100}})
    if kind not in ProjectKind.values:
        raise ValidationError({"kind": _("未知的项目类型：%(k)s") % {"k": kind}})
    if not isinstance(start_on, datetime.date):
        raise ValidationError({"start_on": _("请填写开始日期")})
    if not isinstance(end_on, datetime.date):
        raise ValidationError({"end_on": _("请填写结束日期")})
    if end_on < start_on:
        raise ValidationError({"end_on": _("结束日期不能早于开始日期")})
    amount = _budget(budget)
    if Project.objects.filter(region=region, name=name).exists():
        raise ValidationError({"name": _("本区域已有同名项目：%(n)s") % {"n": name}})
    cats = [category_resolve(c, "categories") for c in categories or ()]
    res = list(resources or ())
    for r in res:
        if not isinstance(r, Resource):
            raise ValidationError({"resources": _("未知的资源")})
    project = Project(
        region=region,
        name=name,
        kind=kind,
        organization=organization,
        funding_source=funding_source.strip()[:100],
        budget=amount,
        start_on=start_on,
        end_on=end_on,
        target_group=target_group.strip()[:200],
        planned_indicators=planned_indicators.strip(),
        achieved_indicators=achieved_indicators.strip(),
        created_by=actor(acting_user),
    )
    record_actor(project, user=acting_user)
    project.full_clean(exclude=["categories", "resources"])
    project.save()
    if cats:
        project.categories.set(cats)
    if res:
        project.resources.set(res)
    return project


def project_get_or_create(
    *,
    acting_user: User | None,
    region: Region,
    name: str,
    kind: str,
    organization: Organization,
    start_on: datetime.date,
    end_on: datetime.date,
    budget: Decimal | str | int = Decimal("0"),
    funding_source: str = "",
    target_group: str = "",
    planned_indicators: str = "",
    achieved_indicators: str = "",
    categories: Any = (),
    resources: Any = (),
) -> Project:
    """Idempotent variant for the demo: the project of that name in the region, or a new one."""
    existing = Project.objects.filter(region=region, name=name.strip()).first()
    return existing or project_create(
        acting_user=acting_user,
        region=region,
        name=name,
        kind=kind,
        organization=organization,
        start_on=start_on,
        end_on=end_on,
        budget=budget,
        funding_source=funding_source,
        target_group=target_group,
        planned_indicators=planned_indicators,
        achieved_indicators=achieved_indicators,
        categories=categories,
        resources=resources,
    )


@transaction.atomic
def project_update_results(
    *, acting_user: User | None, project: Project, achieved_indicators: str
) -> Project:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, project.region)
    project.achieved_indicators = (achieved_indicators or "").strip()
    record_actor(project, user=acting_user)
    project.save(update_fields=["achieved_indicators"])
    return project
