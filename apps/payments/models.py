"""Disbursement files (发放文件) and their lines, for any programme that pays (refund runs first).

A `PaymentBatch` is one bank-ready file: the lines of one source record (a refund run, a childcare claim
list, …), a control total (count and sum) and the SHA-256 of its canonical rows (apps.payments.canonical).
An approval is bound to that hash; a line's bank outcome comes back in the bank's return file. Failed lines
are re-issued in a new batch (`reissue_of`) or closed with a reason. Rows held back from the first file (an
open objection) are paid later in a supplementary file.

A source row is paid at most once: the line that first pays it (in a first or a supplementary file) carries
`row_claim` = "<source>:<record>:<row key>", unique in the table while the file is live; a cancelled or
invalidated file gives its claims back. A re-issue line carries none — it pays a failed line again, never a
new row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.bank import mask_bank_account
from apps.core.money import MONEY_FIELD
from apps.core.money_sql import MoneyTotalField


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        PREPARED = "prepared", _("待审批")
        APPROVED = "approved", _("已审批，待发放")
        ISSUED = "issued", _("已发放，待回盘")
        RETURNED = "returned", _("已回盘")
        INVALIDATED = "invalidated", _("审批已失效")
        CANCELLED = "cancelled", _("已作废")

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("首次发放")
        REISSUE = "reissue", _("重新发放")
        # Rows left out of the first file (held by an open objection at the time) and payable since.
        SUPPLEMENT = "supplement", _("补充发放")

    source = models.CharField(_("业务来源"), max_length=40, help_text=_("注册的发放来源，如 refunds.run"))
    source_id = models.PositiveBigIntegerField(_("来源记录"))
    region = models.ForeignKey("core.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.ORIGINAL)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PREPARED)
    purpose = models.CharField(_("用途（摘要）"), max_length=60)
    row_count = models.PositiveIntegerField(_("笔数"), default=0)
    total_amount = MoneyTotalField(_("总金额"), max_digits=16, decimal_places=2, default=0)
    sha256 = models.CharField(_("明细SHA-256"), max_length=64)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制单人"), on_delete=models.PROTECT,
                                    related_name="+")
    prepared_at = models.DateTimeField(_("制单时间"), auto_now_add=True)
    # The approval binds to the hash the approver saw: a file is produced only while the rows still hash to it.
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approved_sha256 = models.CharField(_("审批时的SHA-256"), max_length=64, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发放人"), on_delete=models.PROTECT,
                                  related_name="+", null=True, blank=True)
    issued_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    issued_sha256 = models.CharField(_("发放时的SHA-256"), max_length=64, blank=True)
    _change_reason: str  # set by lifecycle.apply

    class Meta:
        verbose_name = _("发放文件")
        verbose_name_plural = _("发放文件")
        ordering = ["-id"]
        indexes = [models.Index(fields=["source", "source_id"], name="payment_batch_source")]

    def __str__(self) -> str:
        return f"发放文件 #{self.pk}（{self.get_kind_display()}）"

    @property
    def reference_prefix(self) -> str:
        return f"P{self.pk:06d}"


class PaymentLine(models.Model):
    class Status(models.TextChoices):
        AWAITING = "awaiting", _("待回盘")
        PAID = "paid", _("已支付")
        FAILED = "failed", _("支付失败，待处理")
        REISSUED = "reissued", _("支付失败，已重新发放")
        CLOSED = "closed", _("支付失败，已关闭")

    batch = models.ForeignKey(PaymentBatch, verbose_name=_("发放文件"), on_delete=models.CASCADE, related_name="lines")
    reference = models.CharField(_("参考号"), max_length=20, unique=True, help_text=_("银行回盘按此号对账"))
    row_key = models.CharField(_("来源明细"), max_length=40, help_text=_("来源里的明细标识，如单位ID"))
    payee_code = models.CharField(_("收款单位代码"), max_length=32, blank=True)
    payee_name = models.CharField(_("收款单位"), max_length=200)
    bank_name = models.CharField(_("开户银行"), max_length=100)
    account_number = models.CharField(_("银行账号"), max_length=32)
    account_name = models.CharField(_("户名"), max_length=200)
    amount = models.DecimalField(_("金额"), **MONEY_FIELD)
    region_code = models.CharField(_("区划代码"), max_length=12)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.AWAITING)
    failure_reason = models.CharField(_("失败原因"), max_length=200, blank=True)
    returned_at = models.DateTimeField(_("回盘时间"), null=True, blank=True)
    return_batch = models.ForeignKey("imports.ImportBatch", verbose_name=_("回盘导入批次"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    reissue_of = models.ForeignKey("self", verbose_name=_("重新发放自"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="reissues")
    closed_reason = models.CharField(_("关闭原因"), max_length=200, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("关闭人"), on_delete=models.PROTECT,
                                  related_name="+", null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    row_claim = models.CharField(_("付款占用"), max_length=100, null=True, blank=True, editable=False,
                                 help_text=_("来源:记录:明细；同一收款记录只能有一条有效的首次或补充发放明细"))

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        ordering = ["batch_id", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_key"], name="payment_line_unique_row_per_batch",
                                    violation_error_message=_("同一发放文件中该收款记录已列入，不能重复列入。")),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_line_amount_positive",
                                   violation_error_message=_("发放金额须大于零，金额为零的记录不列入发放文件。")),
            # Never paid twice: one live first-or-supplementary line per source row (apps.payments.services).
            models.UniqueConstraint(fields=["row_claim"], condition=Q(row_claim__isnull=False),
                                    name="payment_line_one_claim_per_row",
                                    violation_error_message=_("该收款记录已列入其他发放文件，不能重复发放。")),
        ]
        indexes = [models.Index(fields=["status"], name="payment_line_status")]

    def __str__(self) -> str:
        return f"{self.reference} {self.payee_name}"

    @property
    def masked_account(self) -> str:
        """Pages and the API list lines masked; the full number is in the issued file only."""
        return mask_bank_account(self.account_number)


class PaymentEvent(models.Model):
    """One move of a batch's lifecycle: who, when, why, and the hash it was made on."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=12)
    to_status = models.CharField(_("新状态"), max_length=12)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                             related_name="+", null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发放文件操作记录")
        verbose_name_plural = _("发放文件操作记录")
        ordering = ["batch_id", "id"]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.action}"
