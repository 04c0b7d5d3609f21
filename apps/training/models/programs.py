"""Training programs (班次)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.training.models.catalogue import Occupation, Provider
from apps.training.models.choices import SkillLevel, TargetGroup
from apps.training.models.demand import ShortageReport, TrainingWillingness


class Program(TimeStampedModel):
    """A program/class (培训项目/班次). Subsidy amounts are NOT stored here: `subsidy_key` names the
    program's row in the admin-entered parameter table `training.subsidy_per_program`, and the
    per-level assessment amounts are the table `training.assessment_subsidy_per_level` (both
    effective-dated PolicyParameter rows, read through a snapshot by the calculator)."""

    class FundingChannel(models.TextChoices):
        SUBSIDISED = "subsidised", _("补贴性培训")
        TRADE_UNION = "trade_union", _("工会培训")
        WOMENS_FEDERATION = "womens_federation", _("妇联（巾帼）培训")
        OPEN_UNIVERSITY = "open_university", _("开放大学培训")

    code = models.CharField(_("项目编号"), max_length=30, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    provider = models.ForeignKey(Provider, verbose_name=_("培训机构"), on_delete=models.PROTECT,
                                 related_name="programs")
    occupation = models.ForeignKey(Occupation, verbose_name=_("培训职业（工种）"), on_delete=models.PROTECT,
                                   related_name="programs")
    target_level = models.CharField(_("目标等级"), max_length=24, choices=SkillLevel.choices,
                                    default=SkillLevel.JUNIOR)
    funding_channel = models.CharField(_("资金渠道"), max_length=24, choices=FundingChannel.choices,
                                       default=FundingChannel.SUBSIDISED)
    dual_certificate = models.BooleanField(_("一培双证"), default=False)
    second_certificate_name = models.CharField(_("第二证书名称"), max_length=100, blank=True)
    second_certificate_issuer = models.CharField(_("第二证书颁发部门"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("计划人数"), validators=[MinValueValidator(1)])
    start_date = models.DateField(_("开班日期"))
    end_date = models.DateField(_("结业日期"))
    target_groups = models.JSONField(_("面向人群"), default=list, blank=True)
    subsidy_key = models.CharField(_("补贴标准代码"), max_length=60, blank=True,
                                   help_text=_("政策参数“职业技能培训补贴标准（按培训项目）”中的项目代码，如 domestic_service"))
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT,
                               related_name="+")
    shortages = models.ManyToManyField(ShortageReport, verbose_name=_("对接缺工需求"), blank=True,
                                       related_name="programs")
    willingness = models.ManyToManyField(TrainingWillingness, verbose_name=_("对接培训意愿"), blank=True,
                                         related_name="programs")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("培训项目")
        verbose_name_plural = _("培训项目")
        ordering = ["-start_date", "code"]
        indexes = [models.Index(fields=["-start_date", "code"], name="program_list_sort")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="program_dates_ordered",
                                   violation_error_message=_("培训结束日期不能早于开始日期，请核对日期。")),
            models.CheckConstraint(condition=Q(dual_certificate=False) | ~Q(second_certificate_issuer=""),
                                   name="program_dual_certificate_issuer",
                                   violation_error_message=_("一培双证项目须填写第二证书的发证机构。")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_target_groups_display(self) -> str:
        labels = dict(TargetGroup.choices)
        return "、".join(str(labels.get(g, g)) for g in self.target_groups)
