"""The registry: persons, households, group tags, disability certificates, the ledger colours."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wushe.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from wushe.core.fields import EncryptedTextField
from wushe.core.models import TranslatedName
from wushe.core.scoping import ScopedManager, ScopedQuerySet


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    MOVED = "moved", _("迁出")
    DECEASED = "deceased", _("死亡")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class Household(models.Model):
    """户: members are the persons pointing at it, each with a relation to the head."""

    region = models.ForeignKey("core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # how many of its members are registered (在册): kept by the registry's services whenever a
    # person joins, leaves or is deregistered (services.household_count_members), so that the
    # households of a street are counted without a pass over its million people
    active_members = models.PositiveIntegerField(_("在册成员数"), default=0, editable=False)
    # the day of its latest home visit (None: never visited): kept by the visits' services in the
    # transaction that records or corrects a visit (visits.services.household_visit_days), so that
    # the coverage and the households to visit are read from the household, not from its visits
    last_visited_on = models.DateField(_("最近走访日期"), null=True, blank=True, editable=False)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    # both derived: from the persons' history and from the visits' history
    history = HistoricalRecords(excluded_fields=["active_members", "last_visited_on"])
    heads: list[Person]  # its head, when a list prefetched it (``selectors.heads_prefetch``)
    # set on a page of the household list by ``household_columns.with_columns``: the colours of
    # its members' certificates (value, label) and the columns other apps registered (by key)
    ledger_colours: list[tuple[str, str]]
    extra: dict[str, Any]
    extra_cells: list[Any]

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        indexes = [
            # households with a registered member (the households figure, the visit coverage):
            # with the id, the coverage's semi-join reads the index alone
            models.Index(
                fields=["region", "id"],
                condition=Q(active_members__gt=0),
                name="household_active_region_id_idx",
            ),
            # the visit coverage (households visited in the last N days) and the households to
            # visit (not visited for N days, never visited first), read from this index alone
            models.Index(
                fields=["region", "last_visited_on", "id"],
                condition=Q(active_members__gt=0),
                name="household_active_visit_idx",
            ),
        ]

    def __str__(self) -> str:
        # A household is named by its head, never by its number: "祝长连户", with where it lives
        # when a page names it alone: "祝长连户（幸福路1号）", or its community/grid without an
        # address. One without a head (the head left and none was named yet) is named by where it
        # lives.
        if self.head is None:
            return self.name
        return (
            str(_("%(name)s（%(where)s）") % {"name": self.name, "where": self.where})
            if self.where
            else self.name
        )

    @property
    def head(self) -> Person | None:
        """The 户主: from what a list prefetched (``heads``, see ``selectors.with_heads``, or the
        members), else one query."""
        heads = getattr(self, "heads", None)
        if heads is None:
            cached = getattr(self, "_prefetched_objects_cache", {}).get("members")
            if cached is not None:
                heads = [m for m in cached if m.relation_to_head == Relation.HEAD]
            elif self.pk is None:
                heads = []
            else:
                heads = list(
                    Person.objects.filter(household=self, relation_to_head=Relation.HEAD)
                    .only("id", "name", "household_id", "relation_to_head")
                    .order_by("id")[:1]
                )
            self.heads = heads
        return heads[0] if heads else None

    @property
    def where(self) -> str:
        """Where the household lives: its address, else its community or grid."""
        return self.address or (self.region.name if self.region_id else "")

    @property
    def name(self) -> str:
        head = self.head
        if head is not None:
            return str(_("%(name)s户") % {"name": head.name})
        return str(_("%(where)s的户（未登记户主）") % {"where": self.where})


class HouseholdChangeQuerySet(AppendOnlyQuerySet["HouseholdChange"], ScopedQuerySet["HouseholdChange"]):  # type: ignore[override]  # two as_manager()s
    """Scoped (``visible_to``) and append-only (no update, no delete)."""


class HouseholdChangeKind(models.TextChoices):
    CREATED = "created", _("建户")
    JOINED = "joined", _("加入户")
    MOVED_IN = "moved_in", _("从他户迁入")
    MOVED_OUT = "moved_out", _("迁往他户")
    LEFT = "left", _("离户")
    HEAD = "head", _("变更户主")
    RELATION = "relation", _("变更与户主关系")


class HouseholdChange(AppendOnlyModel):
    """One change of a household's members, as the registry's services record it: who joined or
    left, moved in from or out to which household, became the head, changed relation — when, why
    and by whom. Written once, never changed (the persons' and households' own change history
    is kept by django-simple-history beside it)."""

    household = models.ForeignKey(
        "Household", verbose_name=_("户"), on_delete=models.PROTECT, related_name="changes"
    )
    person = models.ForeignKey(
        "Person", verbose_name=_("居民"), on_delete=models.PROTECT, related_name="household_changes"
    )
    kind = models.CharField(_("变动"), max_length=10, choices=HouseholdChangeKind.choices)
    relation = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices, blank=True)
    other = models.ForeignKey(
        "Household",
        verbose_name=_("对方户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # where a member moved to or came from
    on = models.DateField(_("变动日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = HouseholdChangeQuerySet.as_manager()
    scope_region_field: ClassVar[str] = "household__region"
    append_only_label = "household changes"

    class Meta:
        verbose_name = _("户成员变动")
        verbose_name_plural = _("户成员变动")
        base_manager_name = "objects"
        indexes = [models.Index(fields=["household", "on"], name="householdchange_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class Person(models.Model):
    """居民. ID number and phone are encrypted; the ``*_hash`` columns find them, the
    ``*_masked`` columns show them. Derived birth date and sex come from the ID number."""

    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("所属社区/网格"),
        on_delete=models.PROTECT,
        related_name="persons",
        db_index=False,  # served by person_region_status_idx
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    relation_to_head = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices, blank=True)
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, blank=True, editable=False)
    id_number = EncryptedTextField(_("身份证号码"))
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    contact_name = models.CharField(_("监护人/联系人"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("联系人电话"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    status_note = models.CharField(_("状态说明"), max_length=200, blank=True)
    # the day the resident entered the register (新登记居民 counts it): today for a person
    # registered in wushe, an earlier day for one carried over from an older ledger; the row's
    # own ``created_at`` says when it was written here
    registered_on = models.DateField(_("登记日期"), default=timezone.localdate)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    history = HistoricalRecords(excluded_fields=["name_pinyin", "updated_at"])
    # set on a page of people by selectors.with_current_certificates (not columns)
    open_certificates: list[DisabilityCertificate]
    open_certificate: DisabilityCertificate | None
    ledger_colour: str
    ledger_colour_label: str | Promise

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        permissions = [
            ("manage_person", _("登记和修改居民档案")),
            ("reveal_identifiers", _("查看完整身份证号和电话")),
            ("export_ledger", _("导出台账")),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="person_region_status_idx"),
            models.Index(fields=["name"], name="person_name_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name_pinyin", "id"], name="person_pinyin_order_idx"),
            # figures of a period (persons.new) and their month-by-month trend
            models.Index(fields=["region", "registered_on"], name="person_region_registered_idx"),
            # their records newest first (the drill-down's order): the first page without sorting
            # the period's million people
            models.Index(fields=["registered_on", "id"], name="person_registered_id_idx"),
            # the ledger's changes of the last 30 days, latest change first (the home's to-do):
            # its first records without sorting a street's people (619 -> 2 ms at a million)
            models.Index(fields=["updated_at", "id"], name="person_updated_id_idx"),
            # households with a registered member (households, the visit coverage): an
            # index-only probe or scan, without reading the person rows
            models.Index(
                fields=["household"],
                condition=Q(status=PersonStatus.ACTIVE),
                name="person_active_household_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int:
        today = datetime.date.today()  # noqa: DTZ011
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


class PersonSearchKey(models.Model):
    """Pinyin keys of a person's name (full and initials, every heteronym reading) for search."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_keys")
    key = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["key"], name="person_key_idx", opclasses=["varchar_pattern_ops"])]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="person_key_unique")]

    def __str__(self) -> str:
        return self.key


class Tag(TranslatedName):
    """A group tag (低保, 特困, 脱贫户 …): data, configured by operators (its English name:
    ``name_en``, shown as ``label``)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    sensitive = models.BooleanField(_("敏感个人信息"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("人员类别")
        verbose_name_plural = _("人员类别")
        ordering = ["sort", "code"]


class PersonTag(models.Model):
    """A person carries a tag from ``valid_from`` until ``valid_to`` (exclusive; open if null)."""

    person = models.ForeignKey(Person, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="tags")
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+", db_index=False
    )  # the person's region, kept with it by the services: figures need no join to persons
    tag = models.ForeignKey(Tag, verbose_name=_("类别"), on_delete=models.PROTECT)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员类别记录")
        verbose_name_plural = _("人员类别记录")
        indexes = [models.Index(fields=["region", "tag", "valid_to"], name="persontag_region_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "tag"], condition=Q(valid_to__isnull=True), name="persontag_one_open"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="persontag_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tag} ({self.valid_from}–{self.valid_to or ''})"


class HouseholdTag(models.Model):
    """A household carries a tag (低保, 特困 … are granted to a household as well as to persons)
    from ``valid_from`` until ``valid_to`` (exclusive; open if null). Scoped through the
    household's region, so a household that moves takes its tags with it."""

    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.CASCADE, related_name="tags"
    )
    tag = models.ForeignKey(Tag, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "household__region"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("户类别记录")
        verbose_name_plural = _("户类别记录")
        indexes = [models.Index(fields=["tag", "valid_to"], name="householdtag_tag_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "tag"], condition=Q(valid_to__isnull=True), name="householdtag_one_open"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="householdtag_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tag} ({self.valid_from}–{self.valid_to or ''})"


class DisabilityCategory(models.IntegerChoices):
    VISION = 1, _("视力")
    HEARING = 2, _("听力")
    SPEECH = 3, _("言语")
    PHYSICAL = 4, _("肢体")
    INTELLECTUAL = 5, _("智力")
    MENTAL = 6, _("精神")
    MULTIPLE = 7, _("多重")


class DisabilityLevel(models.IntegerChoices):
    ONE = 1, _("一级")
    TWO = 2, _("二级")
    THREE = 3, _("三级")
    FOUR = 4, _("四级")


class DisabilityCertificate(models.Model):
    """第二代残疾人证. Its number is the holder's ID + category + level, so it is not stored:
    :func:`certificate_number` rebuilds it. A change of category or level closes the old
    certificate (``valid_to``) and opens a new one, so any past month's ledger can be rebuilt."""

    person = models.ForeignKey(
        Person, verbose_name=_("持证人"), on_delete=models.CASCADE, related_name="certificates"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+", db_index=False
    )  # the holder's region, kept with it by the services: the ledger needs no join to persons
    category = models.PositiveSmallIntegerField(_("残疾类别"), choices=DisabilityCategory.choices)
    level = models.PositiveSmallIntegerField(_("残疾等级"), choices=DisabilityLevel.choices)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("残疾人证")
        verbose_name_plural = _("残疾人证")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(valid_to__isnull=True), name="certificate_one_open"
            ),
            models.CheckConstraint(
                condition=Q(category__gte=1, category__lte=7), name="certificate_category"
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="certificate_level"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="certificate_period",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "valid_to", "category", "level"], name="certificate_ledger_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.get_level_display()}"


def certificate_number(certificate: DisabilityCertificate) -> str:
    return f"{certificate.person.id_number}{certificate.category}{certificate.level}"


class LedgerColour(models.TextChoices):
    RED = "red", _("红色")
    BLUE = "blue", _("蓝色")
    GREEN = "green", _("绿色")
    YELLOW = "yellow", _("黄色")


class LedgerColourRule(models.Model):
    """四色台账 mapping: which colour a disability category is filed under (configuration)."""

    category = models.PositiveSmallIntegerField(
        _("残疾类别"), choices=DisabilityCategory.choices, unique=True
    )
    colour = models.CharField(_("台账颜色"), max_length=10, choices=LedgerColour.choices)

    class Meta:
        verbose_name = _("四色台账规则")
        verbose_name_plural = _("四色台账规则")
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.get_colour_display()}"


DEFAULT_LEDGER_COLOURS = {
    DisabilityCategory.MENTAL: LedgerColour.RED,
    DisabilityCategory.INTELLECTUAL: LedgerColour.RED,
    DisabilityCategory.PHYSICAL: LedgerColour.BLUE,
    DisabilityCategory.VISION: LedgerColour.GREEN,
    DisabilityCategory.HEARING: LedgerColour.GREEN,
    DisabilityCategory.SPEECH: LedgerColour.GREEN,
    DisabilityCategory.MULTIPLE: LedgerColour.YELLOW,
}
