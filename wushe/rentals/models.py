"""康复辅助器具社区租赁: a catalogue of device types by GB/T 16432 (ISO 9999) class, the sites
where devices are lent (a station's 租赁区), the items with their serial number and status, the
rentals (assessment, person, item, deposit or its waiver, rent, start, due date, renewals, return
with the condition), each item's status changes, and the deposits as an append-only ledger.

An item's life: 在库 → 出租 → (回收) 清洁消毒 → 检查维修 → 在库, or 报废. A returned item cannot be
rented before it is back in stock; the rental service locks the item's row to decide."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from wushe.core.ledger import LedgerEntry
from wushe.core.models import TranslatedName
from wushe.core.scoping import ScopedManager, ScopedQuerySet


class DeviceType(TranslatedName):
    """A catalogue entry: a class of 《中国康复辅助器具目录》 / GB/T 16432 with its default terms."""

    code = models.CharField(_("分类代码（GB/T 16432）"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    deposit = models.DecimalField(_("押金（元）"), max_digits=10, decimal_places=2, default=Decimal("0.00"))
    monthly_rent = models.DecimalField(
        _("月租金（元）"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    loan_days = models.PositiveSmallIntegerField(_("租期（天）"), default=90)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("辅助器具类别")
        verbose_name_plural = _("辅助器具类别")
        ordering = ["code"]


class Site(models.Model):
    """Where devices are kept and lent: a station's 租赁区 (an Organization of kind facility)."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="rental_sites"
    )
    name = models.CharField(_("租赁点名称"), max_length=100)
    organization = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("所在站点/机构"),
        on_delete=models.PROTECT,
        related_name="rental_sites",
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "organization"
    scope_serves_below: ClassVar[bool] = True  # a street's 租赁区 serves its communities

    class Meta:
        verbose_name = _("租赁点")
        verbose_name_plural = _("租赁点")
        ordering = ["region__path", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="rental_site_unique_name")]

    def __str__(self) -> str:
        return self.name


class ItemStatus(models.TextChoices):
    IN_STOCK = "in_stock", _("在库")
    RENTED = "rented", _("出租")
    CLEANING = "cleaning", _("清洁消毒")
    REPAIR = "repair", _("检查维修")
    SCRAPPED = "scrapped", _("报废")


class Item(models.Model):
    site = models.ForeignKey(Site, verbose_name=_("租赁点"), on_delete=models.PROTECT, related_name="items")
    device_type = models.ForeignKey(
        DeviceType, verbose_name=_("器具类别"), on_delete=models.PROTECT, related_name="items"
    )
    serial_number = models.CharField(_("编号"), max_length=40, unique=True)
    model_name = models.CharField(_("型号"), max_length=60, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.IN_STOCK
    )
    acquired_on = models.DateField(_("入库日期"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "site__region"
    scope_org_field: ClassVar[str] = "site__organization"
    scope_serves_below: ClassVar[bool] = True  # lent to the residents of the site's whole area

    class Meta:
        verbose_name = _("辅助器具")
        verbose_name_plural = _("辅助器具")
        ordering = ["site", "device_type", "serial_number"]
        indexes = [models.Index(fields=["site", "status"], name="rental_item_site_status_idx")]

    def __str__(self) -> str:
        return f"{self.device_type} {self.serial_number}"


class ItemEventQuerySet(AppendOnlyQuerySet["ItemEvent"], ScopedQuerySet["ItemEvent"]):  # type: ignore[override]  # two as_manager()s
    pass


class ItemEvent(AppendOnlyModel):
    """One change of an item's status: who, when, from, to, why (append-only)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(_("原状态"), max_length=10, choices=ItemStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=ItemStatus.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ItemEventQuerySet.as_manager()
    scope_region_field: ClassVar[str] = "item__site__region"
    append_only_label = "item events"

    class Meta:
        verbose_name = _("器具状态记录")
        verbose_name_plural = _("器具状态记录")
        ordering = ["at", "id"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.item_id} {self.from_status}→{self.to_status}"


class Condition(models.TextChoices):
    GOOD = "good", _("完好")
    WORN = "worn", _("正常磨损")
    DAMAGED = "damaged", _("损坏")


class Rental(models.Model):
    number = models.CharField(_("租赁单号"), max_length=20, unique=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="rentals"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("租用人"), on_delete=models.PROTECT, related_name="rentals"
    )
    item = models.ForeignKey(Item, verbose_name=_("器具"), on_delete=models.PROTECT, related_name="rentals")
    assessed_by = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("评估机构"),
        on_delete=models.PROTECT,
        related_name="rental_assessments",
    )
    assessed_on = models.DateField(_("评估日期"))
    assessment = models.CharField(_("评估意见"), max_length=500)
    deposit = models.DecimalField(_("押金（元）"), max_digits=10, decimal_places=2)
    deposit_waived = models.BooleanField(_("免押金"), default=False)
    waiver_reason = models.CharField(_("免押原因"), max_length=100, blank=True)
    monthly_rent = models.DecimalField(_("月租金（元）"), max_digits=10, decimal_places=2)
    started_on = models.DateField(_("起租日期"))
    due_on = models.DateField(_("应还日期"))
    returned_on = models.DateField(_("归还日期"), null=True, blank=True)
    return_condition = models.CharField(_("归还状况"), max_length=10, choices=Condition.choices, blank=True)
    return_note = models.CharField(_("归还说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[tuple[str, ...]] = ("item__site__organization", "assessed_by")

    class Meta:
        verbose_name = _("租赁单")
        verbose_name_plural = _("租赁单")
        ordering = ["-started_on", "-id"]
        constraints = [
            # an item is out on one rental at a time, whatever the services do
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(returned_on__isnull=True), name="rental_one_open_per_item"
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("started_on")), name="rental_due_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(returned_on__isnull=True)
                | models.Q(returned_on__gte=models.F("started_on")),
                name="rental_return_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(deposit__gte=0) & models.Q(monthly_rent__gte=0),
                name="rental_money_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["region", "returned_on", "due_on"], name="rental_region_open_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.returned_on is None


class Renewal(models.Model):
    rental = models.ForeignKey(Rental, on_delete=models.CASCADE, related_name="renewals")
    previous_due_on = models.DateField(_("原应还日期"))
    due_on = models.DateField(_("新应还日期"))
    renewed_on = models.DateField(_("续租日期"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "rental__region"

    class Meta:
        verbose_name = _("续租")
        verbose_name_plural = _("续租")
        ordering = ["rental", "renewed_on", "id"]

    def __str__(self) -> str:
        return f"{self.rental} → {self.due_on}"


# the kinds of movement on a rental's deposit (``entry_type``)
ENTRY_TYPES = {"deposit": _("收取押金"), "refund": _("退还押金"), "deduction": _("押金抵扣损坏赔偿")}


class DepositEntry(LedgerEntry):
    """Deposits taken (positive) and refunded (negative): append-only; a correction reverses."""

    rental = models.ForeignKey(
        Rental, verbose_name=_("租赁单"), on_delete=models.PROTECT, related_name="deposit_entries"
    )

    scope_region_field: ClassVar[str] = "rental__region"

    @property
    def type_label(self) -> str:
        label = str(ENTRY_TYPES.get(self.entry_type, self.entry_type))
        return str(_("%(t)s（冲正）") % {"t": label}) if self.reverses_id else label

    class Meta(LedgerEntry.Meta):
        verbose_name = _("押金分录")
        verbose_name_plural = _("押金分录")
