"""Organizations: the 社会组织, enterprises, studios, grid party centres and volunteer teams that
work with a street. An organization belongs to a region (where it is registered or serves);
users of the organization roles (社会组织人员, 志愿服务队队长, 代表委员工作室) are granted on an
organization and see what is referred or assigned to it (``core.scoping``'s organization axis).

A responsibility unit (责任清单) is whoever answers for work: the 民政所, the 社工站, a 社区社工分站,
a 网格社工, a 社区, or an organization. Needs, requests and projects name the unit responsible.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wushe.core.scoping import ScopedManager
from wushe.registry.models import DisabilityCategory, DisabilityLevel


class OrganizationKind(models.TextChoices):
    PROFESSIONAL = "professional", _("专业社工机构")
    COMMUNITY = "community", _("社区社会组织")
    ENTERPRISE = "enterprise", _("企业")
    STUDIO = "studio", _("代表委员工作室")
    PARTY_CENTRE = "party_centre", _("网格党群服务中心")
    VOLUNTEER_TEAM = "volunteer_team", _("志愿服务队")
    FACILITY = "facility", _("社区设施")
    GOVERNMENT = "government", _("政府部门/单位")


class Organization(models.Model):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="organizations"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=OrganizationKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    credit_code_warning = models.CharField(_("信用代码提示"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    description = models.TextField(_("简介"), blank=True)
    active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "id"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["region", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "name"], name="organization_unique_name"),
        ]
        indexes = [models.Index(fields=["kind", "region"], name="organization_kind_region_idx")]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("民政所")
    STATION = "station", _("社工站")
    SUBSTATION = "substation", _("社区社工分站")
    GRID_WORKER = "grid_worker", _("网格社工")
    COMMUNITY = "community", _("社区")
    ORGANIZATION = "organization", _("社会组织")


class ResponsibilityUnit(models.Model):
    """责任清单: a unit and its duties. A unit of kind 社会组织 is one ``Organization``; its
    users see what the unit answers for through the organization axis of scoping."""

    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("所属区域"),
        on_delete=models.PROTECT,
        related_name="responsibility_units",
    )
    kind = models.CharField(_("单位类型"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("单位名称"), max_length=100)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsibility_units",
    )
    duties = models.TextField(_("职责"), blank=True)
    contact_name = models.CharField(_("负责人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "organization"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["region", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="responsibility_unit_unique_name"),
            models.CheckConstraint(
                condition=models.Q(kind="organization", organization__isnull=False)
                | (~models.Q(kind="organization") & models.Q(organization__isnull=True)),
                name="responsibility_unit_organization_iff_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResourceKind(models.TextChoices):
    SERVICE = "service", _("服务")
    MATERIAL = "material", _("物资")
    FUND = "fund", _("资金")
    VENUE = "venue", _("场地设施")
    POSITION = "position", _("岗位")
    PROGRAMME = "programme", _("政府项目")


class Resource(models.Model):
    """资源清单: what a provider can give, to which need categories, in which area, how much of it
    is left and when. ``region`` is the area served (a grid, a community or a street); the
    provider's users see the resource through the organization axis of scoping, and the users of
    every region below the area see it too (``scope_serves_below``: it serves them).

    Its target group (服务对象) narrows and ranks matching (``needs.matching``): an age range,
    disability categories and levels (digits, ``"56"`` = 智力 and 精神; empty = any), and group
    tags (any one of them; none = any)."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("服务区域"), on_delete=models.PROTECT, related_name="resources"
    )
    provider = models.ForeignKey(
        Organization, verbose_name=_("提供方"), on_delete=models.PROTECT, related_name="resources"
    )
    name = models.CharField(_("资源名称"), max_length=100)
    kind = models.CharField(
        _("资源类型"), max_length=12, choices=ResourceKind.choices, default=ResourceKind.SERVICE
    )
    categories = models.ManyToManyField(
        "needs.NeedCategory", verbose_name=_("服务的需求类别"), related_name="resources"
    )
    capacity = models.PositiveIntegerField(_("容量（人次）"))
    remaining = models.PositiveIntegerField(_("剩余容量"))
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    available_from = models.DateField(_("可用起始日期"), null=True, blank=True)
    available_to = models.DateField(_("可用截止日期"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)
    age_min = models.PositiveSmallIntegerField(_("服务对象最小年龄"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("服务对象最大年龄"), null=True, blank=True)
    disability_categories = models.CharField(
        _("服务的残疾类别"), max_length=7, blank=True, help_text=_("不选为不限")
    )
    disability_levels = models.CharField(
        _("服务的残疾等级"), max_length=4, blank=True, help_text=_("不选为不限")
    )
    target_tags = models.ManyToManyField(
        "registry.Tag", verbose_name=_("服务的人员类别"), blank=True, related_name="resources"
    )
    active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "provider"
    scope_serves_below: ClassVar[bool] = True
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = _("资源")
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "region", "name"], name="resource_unique_name"),
            models.CheckConstraint(
                condition=models.Q(remaining__gte=0) & models.Q(remaining__lte=models.F("capacity")),
                name="resource_remaining_within_capacity",
            ),
            models.CheckConstraint(
                condition=models.Q(available_from__isnull=True)
                | models.Q(available_to__isnull=True)
                | models.Q(available_to__gte=models.F("available_from")),
                name="resource_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_max__gte=models.F("age_min")),
                name="resource_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def category_set(self) -> set[int]:
        """The disability categories served (empty: any)."""
        return {int(c) for c in self.disability_categories}

    @property
    def level_set(self) -> set[int]:
        """The disability levels served (empty: any)."""
        return {int(c) for c in self.disability_levels}

    def age_text(self) -> str:
        """The age range in words (empty: any age)."""
        if self.age_min is not None and self.age_max is not None:
            return str(_("%(a)s–%(b)s 岁") % {"a": self.age_min, "b": self.age_max})
        if self.age_min is not None:
            return str(_("%(a)s 岁及以上") % {"a": self.age_min})
        if self.age_max is not None:
            return str(_("%(b)s 岁及以下") % {"b": self.age_max})
        return ""

    def disability_text(self) -> str:
        """The disability categories and levels served, in words (empty: any)."""
        parts = []
        if self.disability_categories:
            names = "、".join(str(DisabilityCategory(c).label) for c in sorted(self.category_set))
            parts.append(str(_("%(c)s残疾") % {"c": names}))
        if self.disability_levels:
            names = "、".join(str(DisabilityLevel(n).label) for n in sorted(self.level_set))
            parts.append(str(_("残疾等级 %(l)s") % {"l": names}))
        return " ".join(parts)

    def target_parts(self) -> list[str]:
        """The target group in words (age, disability categories and levels, tags); empty: anyone."""
        tags = "、".join(t.name for t in self.target_tags.all())
        return [p for p in (self.age_text(), self.disability_text(), tags) if p]
