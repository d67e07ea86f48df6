"""Writes of organizations: every create and change goes through here."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.history import record_actor
from wushe.core.models import Region
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.validators import validate_credit_code
from wushe.needs.selectors import category_resolve
from wushe.registry.models import Tag

from .models import Organization, OrganizationKind, Resource, ResourceKind, ResponsibilityUnit, UnitKind

_EDITABLE = (
    "name",
    "credit_code",
    "contact_name",
    "contact_phone",
    "address",
    "description",
    "active",
    "parent",
)


def _clean_credit_code(raw: str) -> tuple[str, str]:
    """The code and its warning; a code failing the GB 32100 check is kept with a warning
    (early pilot codes exist), a code of the wrong length or alphabet is refused."""
    raw = (raw or "").strip()
    if not raw:
        return "", ""
    try:
        code, warnings = validate_credit_code(raw)
    except ValidationError as exc:
        raise ValidationError({"credit_code": exc.messages}) from None
    return code, "；".join(str(w) for w in warnings)


def _check_parent(parent: Organization | None, organization: Organization | None = None) -> None:
    if parent is not None and organization is not None and parent.pk == organization.pk:
        raise ValidationError({"parent": _("上级组织不能是自己")})


@transaction.atomic
def organization_create(
    *,
    acting_user: User | None,
    region: Region,
    kind: str,
    name: str,
    credit_code: str = "",
    parent: Organization | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    description: str = "",
) -> Organization:
    if acting_user is not None:
        require_region_in_scope(acting_user, region)
    if kind not in OrganizationKind.values:
        raise ValidationError({"kind": _("未知的组织类型：%(k)s") % {"k": kind}})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称")})
    if Organization.objects.filter(region=region, kind=kind, name=name).exists():
        raise ValidationError({"name": _("本区域已有同名同类型的组织：%(n)s") % {"n": name}})
    code, warning = _clean_credit_code(credit_code)
    _check_parent(parent)
    org = Organization(
        region=region,
        kind=kind,
        name=name,
        credit_code=code,
        credit_code_warning=warning,
        parent=parent,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        address=address.strip(),
        description=description.strip(),
    )
    record_actor(org, user=acting_user)
    org.full_clean()
    org.save()
    return org


def organization_get_or_create(
    *,
    acting_user: User | None,
    region: Region,
    kind: str,
    name: str,
    credit_code: str = "",
    parent: Organization | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    description: str = "",
) -> Organization:
    """Idempotent variant for the demo and imports."""
    existing = Organization.objects.filter(region=region, kind=kind, name=name.strip()).first()
    return existing or organization_create(
        acting_user=acting_user,
        region=region,
        kind=kind,
        name=name,
        credit_code=credit_code,
        parent=parent,
        contact_name=contact_name,
        contact_phone=contact_phone,
        address=address,
        description=description,
    )


@transaction.atomic
def organization_update(
    *, acting_user: User | None, organization: Organization, **changes: Any
) -> Organization:
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("该字段不可修改")})
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, organization.region)
    fields = []
    if "credit_code" in changes:
        organization.credit_code, organization.credit_code_warning = _clean_credit_code(
            changes.pop("credit_code")
        )
        fields += ["credit_code", "credit_code_warning"]
    if "parent" in changes:
        _check_parent(changes["parent"], organization)
    for key, value in changes.items():
        setattr(organization, key, value.strip() if isinstance(value, str) else value)
        fields.append(key)
    if "name" in fields and not organization.name:
        raise ValidationError({"name": _("请填写名称")})
    record_actor(organization, user=acting_user)
    organization.full_clean()
    organization.save(update_fields=fields or None)
    return organization


@transaction.atomic
def responsibility_unit_create(
    *,
    acting_user: User | None,
    region: Region,
    kind: str,
    name: str = "",
    organization: Organization | None = None,
    duties: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> ResponsibilityUnit:
    """A unit of the 责任清单. A unit of kind 社会组织 names its organization (and takes its
    name when none is given); the other kinds name none."""
    if acting_user is not None:
        require_region_in_scope(acting_user, region)
    if kind not in UnitKind.values:
        raise ValidationError({"kind": _("未知的单位类型：%(k)s") % {"k": kind}})
    if kind == UnitKind.ORGANIZATION and organization is None:
        raise ValidationError({"organization": _("社会组织类的责任单位须指定组织")})
    if kind != UnitKind.ORGANIZATION and organization is not None:
        raise ValidationError({"organization": _("只有社会组织类的责任单位才指定组织")})
    name = (name or (organization.name if organization else "")).strip()
    if not name:
        raise ValidationError({"name": _("请填写名称")})
    if ResponsibilityUnit.objects.filter(region=region, name=name).exists():
        raise ValidationError({"name": _("本区域已有同名的责任单位：%(n)s") % {"n": name}})
    unit = ResponsibilityUnit(
        region=region,
        kind=kind,
        name=name,
        organization=organization,
        duties=duties.strip(),
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
    )
    record_actor(unit, user=acting_user)
    unit.full_clean()
    unit.save()
    return unit


def responsibility_unit_get_or_create(
    *,
    acting_user: User | None,
    region: Region,
    kind: str,
    name: str = "",
    organization: Organization | None = None,
    duties: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> ResponsibilityUnit:
    """Idempotent variant for the demo."""
    key = name or (organization.name if organization else "")
    existing = ResponsibilityUnit.objects.filter(region=region, name=key.strip()).first()
    return existing or responsibility_unit_create(
        acting_user=acting_user,
        region=region,
        kind=kind,
        name=name,
        organization=organization,
        duties=duties,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )


# ---- resources (资源清单) -------------------------------------------------------------------


def _clean_period(available_from: datetime.date | None, available_to: datetime.date | None) -> None:
    if available_from and available_to and available_to < available_from:
        raise ValidationError({"available_to": _("可用截止日期不能早于起始日期")})


def _clean_categories(categories: Any) -> list[Any]:
    found = [category_resolve(c, "categories") for c in categories or ()]
    if not found:
        raise ValidationError({"categories": _("请至少选择一个服务的需求类别")})
    return found


def _digits(values: Any, field: str, allowed: range) -> str:
    """Disability categories or levels as sorted digits (``[6, 5]`` → ``"56"``)."""
    out = set()
    for v in values or ():
        try:
            n = int(v)
        except (TypeError, ValueError):
            raise ValidationError({field: _("未知的取值：%(v)s") % {"v": v}}) from None
        if n not in allowed:
            raise ValidationError({field: _("未知的取值：%(v)s") % {"v": v}})
        out.add(n)
    return "".join(str(n) for n in sorted(out))


def _clean_ages(age_min: int | None, age_max: int | None) -> None:
    for field, value in (("age_min", age_min), ("age_max", age_max)):
        if value is not None and (isinstance(value, bool) or not 0 <= value <= 150):
            raise ValidationError({field: _("年龄须为0到150之间的整数")})
    if age_min is not None and age_max is not None and age_max < age_min:
        raise ValidationError({"age_max": _("最大年龄不能小于最小年龄")})


def _clean_tags(tags: Any) -> list[Tag]:
    found = []
    for t in tags or ():
        tag = t if isinstance(t, Tag) else Tag.objects.filter(code=str(t).strip()).first()
        if tag is None:
            raise ValidationError({"target_tags": _("未知的人员类别：%(t)s") % {"t": t}})
        found.append(tag)
    return found


@transaction.atomic
def resource_create(
    *,
    acting_user: User | None,
    provider: Organization,
    region: Region,
    name: str,
    categories: Any,
    capacity: int,
    kind: str = ResourceKind.SERVICE,
    contact_name: str = "",
    contact_phone: str = "",
    available_from: datetime.date | None = None,
    available_to: datetime.date | None = None,
    description: str = "",
    age_min: int | None = None,
    age_max: int | None = None,
    disability_categories: Any = (),
    disability_levels: Any = (),
    target_tags: Any = (),
) -> Resource:
    """A resource of the 资源清单: its provider, the need categories it serves, the area it
    serves (``region``), its capacity (all of it is left at first), its period and its target
    group (age range, disability categories 1–7 and levels 1–4, group tags by code; each
    empty = any)."""
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    if kind not in ResourceKind.values:
        raise ValidationError({"kind": _("未知的资源类型：%(k)s") % {"k": kind}})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称")})
    if len(name) > 100:
        raise ValidationError({"name": _("不能超过%(n)s个字") % {"n": 100}})
    if isinstance(capacity, bool) or capacity < 1 or capacity > 1_000_000:  # True is an int too
        raise ValidationError({"capacity": _("容量须为1到1000000之间的整数")})
    if not provider.active:
        raise ValidationError({"provider": _("该组织已停用")})
    _clean_period(available_from, available_to)
    cats = _clean_categories(categories)
    _clean_ages(age_min, age_max)
    tags = _clean_tags(target_tags)
    if Resource.objects.filter(provider=provider, region=region, name=name).exists():
        raise ValidationError({"name": _("该组织在本区域已有同名资源：%(n)s") % {"n": name}})
    resource = Resource(
        region=region,
        provider=provider,
        name=name,
        kind=kind,
        capacity=capacity,
        remaining=capacity,
        contact_name=contact_name.strip()[:50],
        contact_phone=contact_phone.strip()[:20],
        available_from=available_from,
        available_to=available_to,
        description=description.strip(),
        age_min=age_min,
        age_max=age_max,
        disability_categories=_digits(disability_categories, "disability_categories", range(1, 8)),
        disability_levels=_digits(disability_levels, "disability_levels", range(1, 5)),
    )
    record_actor(resource, user=acting_user)
    resource.full_clean(exclude=["categories", "target_tags"])
    resource.save()
    resource.categories.set(cats)
    resource.target_tags.set(tags)
    return resource


def resource_get_or_create(
    *,
    acting_user: User | None,
    provider: Organization,
    region: Region,
    name: str,
    categories: Any,
    capacity: int,
    kind: str = ResourceKind.SERVICE,
    contact_name: str = "",
    contact_phone: str = "",
    available_from: datetime.date | None = None,
    available_to: datetime.date | None = None,
    description: str = "",
    age_min: int | None = None,
    age_max: int | None = None,
    disability_categories: Any = (),
    disability_levels: Any = (),
    target_tags: Any = (),
) -> Resource:
    """Idempotent variant for the demo."""
    existing = Resource.objects.filter(provider=provider, region=region, name=name.strip()).first()
    return existing or resource_create(
        acting_user=acting_user,
        provider=provider,
        region=region,
        name=name,
        categories=categories,
        capacity=capacity,
        kind=kind,
        contact_name=contact_name,
        contact_phone=contact_phone,
        available_from=available_from,
        available_to=available_to,
        description=description,
        age_min=age_min,
        age_max=age_max,
        disability_categories=disability_categories,
        disability_levels=disability_levels,
        target_tags=target_tags,
    )


RESOURCE_EDITABLE = frozenset(
    {
        "name",
        "kind",
        "categories",
        "capacity",
        "contact_name",
        "contact_phone",
        "available_from",
        "available_to",
        "description",
        "age_min",
        "age_max",
        "disability_categories",
        "disability_levels",
        "target_tags",
        "active",
    }
)


@transaction.atomic
def resource_update(*, acting_user: User | None, resource: Resource, **changes: Any) -> Resource:
    """Change a resource of the 资源清单: those of ``RESOURCE_EDITABLE`` given change (its target
    group, period and capacity among them). A new capacity keeps what is already taken: the
    remaining capacity moves by the difference, and the capacity cannot go below what is taken.
    The change is in the resource's history, naming who made it."""
    require_perm(acting_user, MANAGE_LISTS)
    unknown = set(changes) - RESOURCE_EDITABLE
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("该字段不可修改")})
    resource = Resource.objects.select_for_update(of=("self",)).select_related("region").get(pk=resource.pk)
    require_region_in_scope(acting_user, resource.region)
    fields: list[str] = []
    if "name" in changes:
        name = (changes.pop("name") or "").strip()
        if not name:
            raise ValidationError({"name": _("请填写名称")})
        if len(name) > 100:
            raise ValidationError({"name": _("不能超过%(n)s个字") % {"n": 100}})
        duplicate = Resource.objects.filter(
            provider_id=resource.provider_id, region_id=resource.region_id, name=name
        )
        if duplicate.exclude(pk=resource.pk).exists():
            raise ValidationError({"name": _("该组织在本区域已有同名资源：%(n)s") % {"n": name}})
        resource.name = name
        fields.append("name")
    if "kind" in changes:
        kind = changes.pop("kind")
        if kind not in ResourceKind.values:
            raise ValidationError({"kind": _("未知的资源类型：%(k)s") % {"k": kind}})
        resource.kind = kind
        fields.append("kind")
    if "capacity" in changes:
        capacity = changes.pop("capacity")
        if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= 1_000_000:
            raise ValidationError({"capacity": _("容量须为1到1000000之间的整数")})
        taken = resource.capacity - resource.remaining
        if capacity < taken:
            raise ValidationError(
                {"capacity": _("已有%(n)s人次在使用该资源，容量不能少于此数") % {"n": taken}}
            )
        resource.capacity, resource.remaining = capacity, capacity - taken
        fields += ["capacity", "remaining"]
    for key in ("contact_name", "contact_phone", "description"):
        if key in changes:
            limit = {"contact_name": 50, "contact_phone": 20}.get(key)
            value = (changes.pop(key) or "").strip()
            setattr(resource, key, value[:limit] if limit else value)
            fields.append(key)
    for key in ("available_from", "available_to", "age_min", "age_max"):
        if key in changes:
            setattr(resource, key, changes.pop(key))
            fields.append(key)
    _clean_period(resource.available_from, resource.available_to)
    _clean_ages(resource.age_min, resource.age_max)
    if "disability_categories" in changes:
        resource.disability_categories = _digits(
            changes.pop("disability_categories"), "disability_categories", range(1, 8)
        )
        fields.append("disability_categories")
    if "disability_levels" in changes:
        resource.disability_levels = _digits(
            changes.pop("disability_levels"), "disability_levels", range(1, 5)
        )
        fields.append("disability_levels")
    if "active" in changes:
        resource.active = bool(changes.pop("active"))
        fields.append("active")
    cats = _clean_categories(changes.pop("categories")) if "categories" in changes else None
    tags = _clean_tags(changes.pop("target_tags")) if "target_tags" in changes else None
    record_actor(resource, user=acting_user)
    resource.full_clean(exclude=["categories", "target_tags"])
    # a change of the categories or the target group alone is still a dated row in the history
    resource.save(update_fields=fields or None)
    if cats is not None:
        resource.categories.set(cats)
    if tags is not None:
        resource.target_tags.set(tags)
    return resource
