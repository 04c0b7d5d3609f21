"""Training and skills-assessment subsidy claims."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.training.models.catalogue import Occupation
from apps.training.models.enrollments import Enrollment

# A claim's slug wherever another service names it (payments, objections, notifications, documents).
CLAIM_SLUG = "training-claim"


class TrainingSubsidyClaim(TimeStampedModel):
    """A training or skills-assessment subsidy claim, with the calculator's explanation as decided.

    One person, one claim per kind, occupation and level (rejected claims do not count): enforced by
    the service with a readable message and by the database against races.
    """

    class Kind(models.TextChoices):
        TRAINING = "training", _("职业培训补贴")
        ASSESSMENT = "assessment", _("技能评价补贴")

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("已申领")
        PUBLICIZING = "publicizing", _("公示中")
        APPROVED = "approved", _("已审核")
        PAID = "paid", _("已发放")
        REJECTED = "rejected", _("已驳回")

    enrollment = models.ForeignKey(Enrollment, verbose_name=_("学员"), on_delete=models.PROTECT,
                                   related_name="claims")
    person = models.ForeignKey("applicants.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="+")
    occupation = models.ForeignKey(Occupation, verbose_name=_("职业（工种）"), on_delete=models.PROTECT,
                                   related_name="+")
    level = models.CharField(_("等级"), max_length=24)
    kind = models.CharField(_("补贴类型"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.CLAIMED)
    explanation = models.JSONField(_("计算说明"))
    parameter_versions = models.JSONField(_("参数版本"), default=list)
    # The calculator's facts as given and their fingerprint (apps.eligibility.fingerprints).
    inputs = models.JSONField(_("测算输入"), default=dict, blank=True)
    calculator_version = models.CharField(_("计算规则版本"), max_length=32, blank=True)
    fingerprint = models.CharField(_("输入指纹"), max_length=64, blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申领经办人"), on_delete=models.PROTECT,
                                   related_name="+")
    # 初审 (publish): the first reviewer, who may not also make the 复核 (approve).
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("初审人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("初审时间"), null=True, blank=True)
    # 公示 (apps.publicity, source training.claim): copied from the Publication when it opens.
    published_at = models.DateTimeField(_("公示发布时间"), null=True, blank=True)
    publicity_starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("培训补贴申领")
        verbose_name_plural = _("培训补贴申领")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "occupation", "level", "kind"],
                                    condition=~Q(status="rejected"), name="subsidy_once_per_occupation_level",
                                                                     violation_error_message=_("该人员已申领过同一职业、同一等级的补贴（未被退回），不能重复申领。")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
