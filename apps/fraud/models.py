"""Suspected benefit fraud (R9): a case against a person, the finding (认定) with its penalty, and appeals (申诉).

The first and only kind so far is the one the sources name: work-injury costs billed to the medical-insurance
fund (工伤费用由医保基金支付，以工伤冒充医保报销). The penalty is computed by the eligibility calculator
`fraud-penalty` and stored there as a Determination; the finding keeps its amounts and points at it.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.money import MONEY_FIELD
from apps.core.validators import mask_id_number


class FraudCase(TimeStampedModel):
    class Kind(models.TextChoices):
        WORK_INJURY_MEDICAL = "work_injury_medical", _("工伤医保冒用")

    class Status(models.TextChoices):
        OPENED = "opened", _("已立案")
        INVESTIGATING = "investigating", _("调查中")
        FOUND = "found", _("已认定（待审核）")
        EFFECTIVE = "effective", _("已生效")
        APPEALING = "appealing", _("申诉中")
        REVOKED = "revoked", _("已撤销")
        NOT_ESTABLISHED = "not_established", _("不予认定")

    CLOSED = (Status.REVOKED, Status.NOT_ESTABLISHED)

    person = models.ForeignKey("applicants.Person", verbose_name=_("当事人"), on_delete=models.PROTECT,
                               related_name="fraud_cases")
    region = models.ForeignKey("core.Region", verbose_name=_("经办区划"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("案件类型"), max_length=32, choices=Kind.choices, default=Kind.WORK_INJURY_MEDICAL)
    reported_on = models.DateField(_("线索发现日期"))
    hospital = models.CharField(_("就诊医疗机构"), max_length=100)
    amount_billed = models.DecimalField(_("医保基金已支付金额（元）"), **MONEY_FIELD,
                                        validators=[MinValueValidator(0)])
    description = models.TextField(_("案情摘要"), blank=True)
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPENED)
    status_since = models.DateTimeField(_("进入当前状态时间"))
    status_note = models.CharField(_("最近操作说明"), max_length=500, blank=True)
    # The maker of the current finding (four eyes: they may not make it take effect or decide its appeal).
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认定人"), on_delete=models.PROTECT,
                                 related_name="+", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("立案人"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("欺诈骗保案件")
        verbose_name_plural = _("欺诈骗保案件")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["reported_on", "id"], name="fraud_case_reported_sort"),
            models.Index(fields=["amount_billed", "id"], name="fraud_case_amount_sort"),
            models.Index(fields=["status", "status_since", "id"], name="fraud_case_status_since"),
            models.Index(fields=["region", "status"], name="fraud_case_region_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_billed__gte=0), name="fraud_case_amount_not_negative",
                                   violation_error_message=_("医保基金已支付金额不能为负数。")),
        ]

    def __str__(self) -> str:
        return f"骗保案件 #{self.pk} {self.person.name}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.person.id_number)


class Finding(TimeStampedModel):
    """认定: the amount found misused and the penalty the calculator gave (the Determination holds the facts, the
    explanation steps, the parameter versions and the fingerprint). Proposed at 认定 with the day it is made;
    recomputed with the day it takes effect when a reviewer approves it."""

    case = models.OneToOneField(FraudCase, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="finding")
    misused_amount = models.DecimalField(_("查实应由工伤保险支付的医保基金金额（元）"), **MONEY_FIELD,
                                         validators=[MinValueValidator(0)])
    repay_amount = models.DecimalField(_("追回金额（元）"), **MONEY_FIELD)
    fine_amount = models.DecimalField(_("罚款（元）"), **MONEY_FIELD)
    suspended_from = models.DateField(_("暂停直接结算起"))
    suspended_until = models.DateField(_("暂停直接结算至"))
    facts_summary = models.TextField(_("认定事实"))
    determination = models.ForeignKey("eligibility.Determination", verbose_name=_("测算决定"),
                                      on_delete=models.PROTECT, related_name="+")
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认定人"), on_delete=models.PROTECT,
                                 related_name="+")
    found_at = models.DateTimeField(_("认定时间"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    # The person's status tag 暂停医保直接结算 (apps.applicants), opened when the finding takes effect.
    suspension_tag = models.ForeignKey("applicants.StatusTag", verbose_name=_("暂停结算标签"),
                                       on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("认定结论")
        verbose_name_plural = _("认定结论")
        constraints = [
            models.CheckConstraint(condition=models.Q(suspended_until__gte=models.F("suspended_from")),
                                   name="fraud_finding_until_after_from",
                                   violation_error_message=_("暂停结算结束日期不能早于开始日期。")),
        ]

    def __str__(self) -> str:
        return f"{self.case} 认定"

    @property
    def total(self):
        return self.repay_amount + self.fine_amount


class Appeal(TimeStampedModel):
    """申诉 against an effective finding: 维持 keeps it in force, 撤销 lifts the suspension."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待处理")
        UPHELD = "upheld", _("维持")
        REVOKED = "revoked", _("撤销")

    case = models.ForeignKey(FraudCase, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="appeals")
    reason = models.TextField(_("申诉理由"))
    lodged_on = models.DateField(_("申诉日期"))
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                  related_name="+")
    outcome = models.CharField(_("处理结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.TextField(_("处理意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["-lodged_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(outcome="pending"),
                                    name="fraud_one_pending_appeal",
                                    violation_error_message=_("该案件已有待处理的申诉。")),
        ]

    def __str__(self) -> str:
        return f"{self.case} 申诉 {self.lodged_on:%Y-%m-%d}"
