"""Care of a case: the six-domain assessment, the plan, home visits, referrals and the charity resources
they are matched to."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.child_welfare.models.cases import Case
from apps.child_welfare.models.choices import Domain, Severity
from apps.core.models import TimeStampedModel


class CharityResource(TimeStampedModel):
    """A service a charity, volunteer team or department offers; matched to children's needs by domain."""

    class ProviderType(models.TextChoices):
        CHARITY = "charity", _("慈善组织")
        VOLUNTEER = "volunteer", _("志愿服务")
        DEPARTMENT = "department", _("政府部门")
        ENTERPRISE = "enterprise", _("爱心企业")

    name = models.CharField(_("资源名称"), max_length=120)
    provider = models.CharField(_("提供方"), max_length=120)
    provider_type = models.CharField(_("提供方类型"), max_length=16, choices=ProviderType.choices)
    domain = models.CharField(_("服务领域"), max_length=20, choices=Domain.choices)
    region = models.ForeignKey("core.Region", verbose_name=_("服务区划"), on_delete=models.PROTECT, related_name="+",
                               help_text=_("该区划及下级区划的儿童均可匹配"))
    capacity = models.PositiveIntegerField(_("可服务名额"), default=0)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    description = models.TextField(_("服务内容"), blank=True)
    active = models.BooleanField(_("可用"), default=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("慈善与志愿资源")
        verbose_name_plural = _("慈善与志愿资源")
        ordering = ["domain", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.provider}）"


class Assessment(TimeStampedModel):
    """One assessment round across the six domains; the domains are rows of AssessmentDomain."""

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("评估日期"), default=date.today)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评估人"), on_delete=models.PROTECT,
                                 related_name="+")
    summary = models.TextField(_("综合评估意见"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("需求评估")
        verbose_name_plural = _("需求评估")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["assessed_on", "id"], name="cw_assessment_list_sort")]

    def __str__(self) -> str:
        return f"{self.case.reference} 评估 {self.assessed_on:%Y-%m-%d}"


class AssessmentDomain(models.Model):
    assessment = models.ForeignKey(Assessment, verbose_name=_("评估"), on_delete=models.CASCADE,
                                   related_name="domains")
    domain = models.CharField(_("领域"), max_length=20, choices=Domain.choices)
    severity = models.CharField(_("需求程度"), max_length=8, choices=Severity.choices, default=Severity.NONE)
    needs = models.TextField(_("需求描述"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评估领域")
        verbose_name_plural = _("评估领域")
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="child_welfare_domain_once",
                                               violation_error_message=_("本次评估已填写该保护领域，请编辑原有内容。"))]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}：{self.get_severity_display()}"


class PlanItem(TimeStampedModel):
    """One goal of the case plan in one domain, with the service, who is responsible and by when."""

    class ResponsibleType(models.TextChoices):
        DEPARTMENT = "department", _("政府部门")
        CHARITY = "charity", _("慈善组织")
        VOLUNTEER = "volunteer", _("志愿者")
        FAMILY = "family", _("家庭/监护人")
        DIRECTOR = "director", _("儿童主任")

    class ItemStatus(models.TextChoices):
        PLANNED = "planned", _("待开展")
        IN_PROGRESS = "in_progress", _("进行中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="plan_items")
    domain = models.CharField(_("领域"), max_length=20, choices=Domain.choices)
    goal = models.CharField(_("目标"), max_length=200)
    service = models.CharField(_("服务措施"), max_length=200)
    responsible_type = models.CharField(_("责任方类型"), max_length=16, choices=ResponsibleType.choices)
    responsible_name = models.CharField(_("责任方"), max_length=100)
    due_date = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("服务计划事项")
        verbose_name_plural = _("服务计划事项")
        ordering = ["domain", "due_date", "id"]
        indexes = [models.Index(fields=["domain", "due_date", "id"], name="cw_plan_item_list_sort")]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}：{self.goal}"


class Visit(TimeStampedModel):
    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("探访日期"))
    visitors = models.CharField(_("探访人员"), max_length=200)
    child_seen = models.BooleanField(_("见到儿童本人"), default=True)
    findings = models.TextField(_("探访发现"))
    services_delivered = models.TextField(_("提供的服务"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("入户探访")
        verbose_name_plural = _("入户探访")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["visited_on", "id"], name="cw_visit_list_sort")]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} 探访"


class Referral(TimeStampedModel):
    class TargetType(models.TextChoices):
        EDUCATION = "education", _("教育部门")
        HEALTH = "health", _("卫生健康部门")
        POLICE = "police", _("公安机关")
        CIVIL_AFFAIRS = "civil_affairs", _("民政部门")
        CHARITY = "charity", _("慈善组织")
        VOLUNTEER = "volunteer", _("志愿者")

    class ReferralStatus(models.TextChoices):
        SENT = "sent", _("已转介待回复")
        ACCEPTED = "accepted", _("已接收")
        DECLINED = "declined", _("未接收")
        COMPLETED = "completed", _("已办结")

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="referrals")
    target_type = models.CharField(_("转介对象类型"), max_length=16, choices=TargetType.choices)
    target_name = models.CharField(_("转介对象"), max_length=120)
    resource = models.ForeignKey(CharityResource, verbose_name=_("匹配资源"), on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="referrals")
    domain = models.CharField(_("领域"), max_length=20, choices=Domain.choices)
    request = models.TextField(_("转介事项"))
    referred_on = models.DateField(_("转介日期"), default=date.today)
    status = models.CharField(_("状态"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    response = models.TextField(_("对方回复"), blank=True)
    responded_on = models.DateField(_("回复日期"), null=True, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("转介人"), on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("转介")
        verbose_name_plural = _("转介")
        ordering = ["-referred_on", "-id"]
        indexes = [models.Index(fields=["referred_on", "id"], name="cw_referral_list_sort")]

    def __str__(self) -> str:
        return f"转介{self.get_target_type_display()}：{self.target_name}"
