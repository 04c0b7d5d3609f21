"""创业担保贷款 (R9): applications (申请 → 审核通过 / 退回, four eyes), the repayment schedule imported from the lender
bank (还款计划), and interest-subsidy claims (贴息申请) computed from the paid periods.

Policy figures (the per-person cap, the interest-subsidy share, the longest term) are never stored here as policy:
they are parameters `startup_loans.*` read by `apps.eligibility.calculators.startup_loan`; an application stores the
Determination (facts, steps, parameter versions) and copies of its outcome for lists.
"""

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.bank import BankDetails
from apps.core.models import ReviewedModel, TimeStampedModel
from apps.core.money import MONEY_FIELD
from apps.core.validators import mask_id_number, validate_uscc

PERCENT_FIELD: dict[str, Any] = {"max_digits": 6, "decimal_places": 2}


class Lender(BankDetails, TimeStampedModel):
    """经办银行: the lender branch that grants the loans of a region and receives their interest subsidy (贴息资金拨付
    经办银行). Its settlement account (开户银行, 银行账号, 户名 — apps.core.bank) is where the payment service pays an
    approved claim; the 户名 should be the branch's registered name (a difference is flagged before a file)."""

    name = models.CharField(_("经办银行名称"), max_length=100, help_text=_("如：吉林银行股份有限公司长春南关支行"))
    # validate_uscc returns the normalised code as well; Django ignores a validator's return value.
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                            validators=[validate_uscc])  # type: ignore[list-item]
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("经办银行")
        verbose_name_plural = _("经办银行")
        ordering = ["region_id", "name", "id"]
        indexes = [models.Index(fields=["region"], name="startup_lender_region_prefix",
                                opclasses=["varchar_pattern_ops"]),
                   models.Index(fields=["region", "name", "id"], name="startup_lender_list_sort")]

    def __str__(self) -> str:
        return self.name


class LoanApplication(ReviewedModel):
    """One person's application for a start-up guarantee loan for one business, at one lender bank."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("审核通过")
        REJECTED = "rejected", _("已退回")

    reference = models.CharField(_("贷款编号"), max_length=32, unique=True, blank=True,
                                 help_text=_("系统生成；银行还款计划按此编号导入"))
    person = models.ForeignKey("applicants.Person", verbose_name=_("申请人"), on_delete=models.PROTECT,
                               related_name="startup_loans")
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    application_date = models.DateField(_("申请日期"))
    target_groups = models.JSONField(_("扶持对象类别"), default=list, blank=True,
                                     help_text=_("申请日有效的身份标签中属于扶持对象的类别"))
    business_name = models.CharField(_("创业项目（经营主体）名称"), max_length=200)
    business_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True,
                                     validators=[validate_uscc],  # type: ignore[list-item]
                                     help_text=_("已办理营业执照的填写；个体工商户未办照可不填"))
    amount_requested = models.DecimalField(_("申请贷款金额（元）"), validators=[MinValueValidator(0)], **MONEY_FIELD)
    term_months = models.PositiveSmallIntegerField(_("贷款期限（月）"), validators=[MinValueValidator(1)])
    lender_bank = models.CharField(_("经办银行"), max_length=100)
    lender = models.ForeignKey(Lender, verbose_name=_("经办银行（名录）"), on_delete=models.PROTECT,
                               related_name="loans", null=True, blank=True,
                               help_text=_("贴息资金拨付到该银行的账户；早先登记的贷款可在贷款页补选"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    determination = models.ForeignKey("eligibility.Determination", verbose_name=_("资格测算"), on_delete=models.PROTECT,
                                      related_name="+", null=True, blank=True)
    eligible = models.BooleanField(_("符合条件"), default=False)
    guaranteed_amount = models.DecimalField(_("核定担保贷款额度（元）"), default=0, **MONEY_FIELD)
    interest_subsidy_share = models.DecimalField(_("财政贴息比例（%）"), default=0, **PERCENT_FIELD)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("创业担保贷款申请")
        verbose_name_plural = _("创业担保贷款申请")
        ordering = ["-application_date", "-id"]
        indexes = [models.Index(fields=["-application_date", "-id"], name="startup_loan_list_sort"),
                   models.Index(fields=["amount_requested", "id"], name="startup_loan_amount_sort"),
                   models.Index(fields=["region"], name="startup_loan_region_prefix",
                                opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="startup_loan_amount_positive",
                                   violation_error_message=_("申请贷款金额应大于 0。")),
            models.CheckConstraint(condition=Q(term_months__gte=1), name="startup_loan_term_positive",
                                   violation_error_message=_("贷款期限至少 1 个月。")),
        ]

    def __str__(self) -> str:
        return f"创业担保贷款 {self.reference or '#' + str(self.pk)} {self.person.name}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.person.id_number)


class RepaymentPeriod(models.Model):
    """One period (期) of an approved loan's repayment schedule, as the lender bank reports it (imported)."""

    application = models.ForeignKey(LoanApplication, verbose_name=_("贷款"), on_delete=models.PROTECT,
                                    related_name="periods")
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    period = models.PositiveSmallIntegerField(_("期次"), validators=[MinValueValidator(1)])
    due_date = models.DateField(_("应还日期"))
    principal = models.DecimalField(_("应还本金（元）"), **MONEY_FIELD)
    interest = models.DecimalField(_("应付利息（元）"), **MONEY_FIELD)
    paid_date = models.DateField(_("实际还款日期"), null=True, blank=True, help_text=_("为空表示尚未还款"))
    import_batch = models.ForeignKey("imports.ImportBatch", verbose_name=_("导入批次"), on_delete=models.SET_NULL,
                                     related_name="+", null=True, blank=True)
    claim = models.ForeignKey("SubsidyClaim", verbose_name=_("贴息申请"), on_delete=models.SET_NULL,
                              related_name="periods", null=True, blank=True)

    class Meta:
        verbose_name = _("还款计划")
        verbose_name_plural = _("还款计划")
        ordering = ["application_id", "period"]
        # The 待办's 逾期未还款 reads the unpaid periods by due date (apps.startup_loans.worklist).
        indexes = [models.Index(fields=["due_date", "id"], name="startup_period_due_sort")]
        constraints = [
            models.UniqueConstraint(fields=["application", "period"], name="startup_loan_period_unique",
                                    violation_error_message=_("该贷款已有这一期的还款计划。")),
            models.CheckConstraint(condition=Q(principal__gte=0) & Q(interest__gte=0),
                                   name="startup_loan_period_not_negative",
                                   violation_error_message=_("本金和利息不能为负数。")),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} 第{self.period}期"


class SubsidyClaim(ReviewedModel):
    """贴息申请: the interest subsidy of an approved loan's paid, not yet claimed periods (待审核 → 审核通过 / 已退回)."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("待审核")
        APPROVED = "approved", _("审核通过")
        REJECTED = "rejected", _("已退回")
        ISSUED = "issued", _("已拨付")
        PAID = "paid", _("已到账")

    application = models.ForeignKey(LoanApplication, verbose_name=_("贷款"), on_delete=models.PROTECT,
                                    related_name="claims")
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.COMPUTED)
    periods_count = models.PositiveSmallIntegerField(_("贴息期数"), default=0)
    interest_total = models.DecimalField(_("已付利息合计（元）"), default=0, **MONEY_FIELD)
    amount = models.DecimalField(_("贴息金额（元）"), default=0, **MONEY_FIELD)
    explanation = models.JSONField(_("计算说明"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                   related_name="+")
    issued_at = models.DateTimeField(_("拨付时间"), null=True, blank=True,
                                     help_text=_("发放文件下发银行的时间（支付服务记录）"))
    paid_at = models.DateTimeField(_("到账时间"), null=True, blank=True, help_text=_("银行回盘支付成功的时间"))
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("创业担保贷款贴息申请")
        verbose_name_plural = _("创业担保贷款贴息申请")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="startup_claim_list_sort"),
                   models.Index(fields=["region"], name="startup_claim_region_prefix",
                                opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="startup_claim_amount_not_negative",
                                   violation_error_message=_("贴息金额不能为负数。")),
        ]

    def __str__(self) -> str:
        return f"贴息申请 #{self.pk}（{self.application.reference}）"
