"""社区慈善基金: funds inside a charity with public fund-raising status, their committees,
donations (with their 公益事业捐赠票据), disbursements approved by the committee and paid by
another person, and the append-only journal every balance is computed from."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from wushe.core.ledger import LedgerEntry
from wushe.core.scoping import ScopedManager, ScopedQuerySet


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Fund(models.Model):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属社区/街道"), on_delete=models.PROTECT, related_name="funds"
    )
    name = models.CharField(_("基金名称"), max_length=100)
    organization = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("所在慈善组织"),
        on_delete=models.PROTECT,
        related_name="funds",
    )
    purpose = models.TextField(_("宗旨与用途"))
    opened_on = models.DateField(_("设立日期"))
    closed_on = models.DateField(_("终止日期"), null=True, blank=True)
    closed_into = models.ForeignKey(
        "self",
        verbose_name=_("余额转入基金"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    public_token = models.CharField(_("公示链接令牌"), max_length=40, unique=True, default=new_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("慈善基金")
        verbose_name_plural = _("慈善基金")
        ordering = ["region__path", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="fund_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("主任")
    SUPERVISOR = "supervisor", _("监督员")
    MEMBER = "member", _("委员")


class FundCommitteeMember(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="committee")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="fund_seats"
    )
    role = models.CharField(
        _("职务"), max_length=12, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "fund__region"

    class Meta:
        verbose_name = _("管委会成员")
        verbose_name_plural = _("管委会成员")
        ordering = ["fund", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "user"], name="fund_member_once"),
            models.UniqueConstraint(fields=["fund"], condition=models.Q(role="chair"), name="fund_one_chair"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.get_role_display()} {self.user}"


class FundRule(models.Model):
    """Approval thresholds of one street (configuration; defaults in settings)."""

    region = models.OneToOneField(
        "core.Region", verbose_name=_("街道"), on_delete=models.CASCADE, related_name="fund_rule"
    )
    chair_alone_below = models.DecimalField(
        _("主任单独审批上限（元，不含）"), max_digits=14, decimal_places=2
    )
    street_approval_above = models.DecimalField(
        _("需街道审批的金额（元，超过）"), max_digits=14, decimal_places=2
    )

    class Meta:
        verbose_name = _("基金审批额度")
        verbose_name_plural = _("基金审批额度")

    def __str__(self) -> str:
        return str(self.region)


class Restriction(models.TextChoices):
    NONE = "", _("非定向")
    PROJECT = "project", _("定向项目")
    PERSON = "person", _("定向个人")
    HOUSEHOLD = "household", _("定向家庭")
    CATEGORY = "category", _("定向需求类别")


# the kinds of movement the funds' services post (``entry_type``)
ENTRY_TYPES = {
    "donation": _("捐赠收入"),
    "disbursement": _("支出"),
    "transfer_out": _("余额转出"),
    "transfer_in": _("转入"),
}


def pool_label(pool: str) -> str:
    """What the money of a restriction (``pool``) is, in words."""
    if not pool:
        return str(_("非定向"))
    kind = pool.split(":", 1)[0]
    labels = {
        "project": _("定向项目"),
        "person": _("定向个人"),
        "household": _("定向家庭"),
        "category": _("定向需求类别"),
    }
    return str(labels.get(kind, pool))


class FundEntry(LedgerEntry):
    """One movement on a fund: donations in (+), payments and transfers out (-). ``pool`` is the
    restriction the money belongs to ("" unrestricted, ``project:12``, ``household:5`` …)."""

    fund = models.ForeignKey(Fund, verbose_name=_("基金"), on_delete=models.PROTECT, related_name="entries")
    pool = models.CharField(_("资金性质"), max_length=40, blank=True, db_index=True)
    disbursement = models.ForeignKey(
        "Disbursement", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )

    scope_region_field: ClassVar[str] = "fund__region"

    @property
    def type_label(self) -> str:
        """The entry's kind in words (a reversal says so), for the fund page and its export."""
        label = str(ENTRY_TYPES.get(self.entry_type, self.entry_type))
        return str(_("%(t)s（冲正）") % {"t": label}) if self.reverses_id else label

    @property
    def pool_label(self) -> str:
        return pool_label(self.pool)

    class Meta(LedgerEntry.Meta):
        verbose_name = _("基金分录")
        verbose_name_plural = _("基金分录")
        indexes = [models.Index(fields=["fund", "occurred_on"], name="fund_entry_fund_day_idx")]


class DonorKind(models.TextChoices):
    PERSON = "person", _("登记居民")
    ORGANIZATION = "organization", _("组织/企业")
    OUTSIDER = "outsider", _("其他个人")
    ANONYMOUS = "anonymous", _("匿名")


class DonorDisplay(models.TextChoices):
    NAMED = "named", _("公示全名")
    MASKED = "masked", _("公示姓氏（张**）")
    ANONYMOUS = "anonymous", _("公示为爱心人士")


class Channel(models.TextChoices):
    CASH = "cash", _("现金")
    BANK = "bank", _("银行转账")
    ONLINE = "online", _("微信/支付宝（经慈善组织）")
    IN_KIND = "in_kind", _("物资")


class Donation(models.Model):
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey(
        Fund,
        verbose_name=_("基金"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("直接受助家庭"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations_received",
    )
    intermediary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("牵线人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    donor_kind = models.CharField(_("捐赠人类型"), max_length=12, choices=DonorKind.choices)
    donor_person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="donations_given"
    )
    donor_organization = models.ForeignKey(
        "partners.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    donor_name = models.CharField(_("捐赠人"), max_length=100, blank=True)
    display = models.CharField(_("公示方式"), max_length=10, choices=DonorDisplay.choices)
    amount = models.DecimalField(_("金额/估值（元）"), max_digits=14, decimal_places=2)
    donated_on = models.DateField(_("捐赠日期"), db_index=True)
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    item = models.CharField(_("捐赠物品/项目"), max_length=100, blank=True)
    restriction = models.CharField(_("定向"), max_length=10, choices=Restriction.choices, blank=True)
    restricted_project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restricted_person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restricted_household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restricted_category = models.ForeignKey(
        "needs.NeedCategory", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.OneToOneField(
        FundEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="donation"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("捐赠")
        verbose_name_plural = _("捐赠")
        ordering = ["-donated_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="donation_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(fund__isnull=False, household__isnull=True)
                | models.Q(fund__isnull=True, household__isnull=False),
                name="donation_fund_xor_household",
            ),
        ]
        indexes = [models.Index(fields=["region", "donated_on"], name="donation_region_day_idx")]

    def __str__(self) -> str:
        return f"{self.donated_on} {self.amount}"

    @property
    def is_money(self) -> bool:
        return self.channel != Channel.IN_KIND

    def restriction_pool(self) -> str:
        return pool_key(
            self.restriction,
            self.restricted_project_id
            or self.restricted_person_id
            or self.restricted_household_id
            or self.restricted_category_id,
        )


def pool_key(kind: str, target: int | None) -> str:
    return f"{kind}:{target}" if kind and target else ""


class ReceiptQuerySet(AppendOnlyQuerySet["DonationReceipt"], ScopedQuerySet["DonationReceipt"]):  # type: ignore[override]
    pass


class DonationReceipt(AppendOnlyModel):
    """公益事业捐赠票据: issued once by the charity, never changed."""

    donation = models.OneToOneField(Donation, on_delete=models.PROTECT, related_name="receipt")
    number = models.CharField(_("票据号码"), max_length=30, unique=True)
    payer = models.CharField(_("交款人"), max_length=100)
    item = models.CharField(_("项目"), max_length=100)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    issued_on = models.DateField(_("开票日期"))
    issuer = models.CharField(_("开票单位"), max_length=100)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReceiptQuerySet.as_manager()
    scope_region_field: ClassVar[str] = "donation__region"
    append_only_label = "donation receipts"

    class Meta:
        verbose_name = _("公益事业捐赠票据")
        verbose_name_plural = _("公益事业捐赠票据")
        base_manager_name = "objects"

    def __str__(self) -> str:
        return self.number


class DisbursementStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    PAID = "paid", _("已支付")


class Disbursement(models.Model):
    fund = models.ForeignKey(
        Fund, verbose_name=_("基金"), on_delete=models.PROTECT, related_name="disbursements"
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    purpose = models.CharField(_("用途"), max_length=200)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("受助人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("受助家庭"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        "needs.NeedCategory",
        verbose_name=_("需求类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attachments = models.TextField(_("附件说明"), blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=DisbursementStatus.choices, default=DisbursementStatus.REQUESTED
    )
    needs_street = models.BooleanField(_("需街道审批"), default=False)
    street_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    street_approved_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("驳回理由"), max_length=200, blank=True)
    paid_on = models.DateField(_("支付日期"), null=True, blank=True)
    method = models.CharField(_("支付方式"), max_length=30, blank=True)
    voucher_number = models.CharField(_("凭证号"), max_length=40, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("支付人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "fund__region"

    class Meta:
        verbose_name = _("支出申请")
        verbose_name_plural = _("支出申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="disbursement_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(project__isnull=False, person__isnull=True, household__isnull=True)
                | models.Q(project__isnull=True, person__isnull=False, household__isnull=True)
                | models.Q(project__isnull=True, person__isnull=True, household__isnull=False),
                name="disbursement_one_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.amount} {self.purpose}"

    def pools(self) -> list[str]:
        """The restricted pools this payment may draw on (before the unrestricted money)."""
        keys = []
        if self.project_id:
            keys.append(pool_key("project", self.project_id))
        if self.person_id:
            keys.append(pool_key("person", self.person_id))
        if self.household_id:
            keys.append(pool_key("household", self.household_id))
        if self.category_id:
            keys.append(pool_key("category", self.category_id))
        return keys

    @property
    def total(self) -> Decimal:
        return self.amount


class DisbursementVote(models.Model):
    disbursement = models.ForeignKey(Disbursement, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voted_at = models.DateTimeField(_("表决时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "disbursement__fund__region"

    class Meta:
        verbose_name = _("审批表决")
        verbose_name_plural = _("审批表决")
        ordering = ["voted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["disbursement", "user"], name="vote_once")]

    def __str__(self) -> str:
        return f"{self.disbursement_id} {self.user}"
