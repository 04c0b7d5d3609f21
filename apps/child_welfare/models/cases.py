"""Disadvantaged-child cases (困境儿童): the case, its categories, guardians, assessment, plan, visits, referrals.

Status, risk and version of a case change only through apps.child_welfare.services; the lifecycle itself
(which action moves which status where) is the table in apps.child_welfare.lifecycle.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.validators import mask_id_number, mask_name


class Status(models.TextChoices):
    REPORTED = "reported", _("已报告")
    VERIFIED = "verified", _("已核实")
    ASSESSED = "assessed", _("已评估")
    PLANNED = "planned", _("已制定计划")
    IN_SERVICE = "in_service", _("服务中")
    UNDER_REVIEW = "under_review", _("复核中")
    CLOSED = "closed", _("已结案")


OPEN_STATUSES = [s for s in Status.values if s != Status.CLOSED]


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高风险")
    MEDIUM = "medium", _("中风险")
    LOW = "low", _("低风险")


class Category(models.TextChoices):
    ORPHAN = "orphan", _("孤儿")
    DE_FACTO_UNSUPPORTED = "de_facto_unsupported", _("事实无人抚养儿童")
    DISABLED = "disabled", _("残疾儿童")
    SERIOUSLY_ILL = "seriously_ill", _("重病儿童")
    MINIMUM_LIVING_ALLOWANCE = "minimum_living_allowance", _("低保家庭儿童")
    EXTREME_POVERTY_SUPPORT = "extreme_poverty_support", _("特困供养儿童")
    LEFT_BEHIND = "left_behind", _("留守儿童")
    AT_RISK_OF_HARM = "at_risk_of_harm", _("受侵害或遭受侵害风险儿童")
    FORMER_REGISTERED_POOR = "former_registered_poor", _("原建档立卡家庭儿童")
    OTHER = "other", _("其他困境儿童")


class Domain(models.TextChoices):
    """The six protection systems every assessment and plan covers (R8)."""

    BASIC_LIVING = "basic_living", _("基本生活")
    MEDICAL = "medical", _("医疗康复")
    EDUCATION = "education", _("教育")
    MENTAL_HEALTH = "mental_health", _("心理健康")
    SAFETY = "safety", _("人身安全")
    GUARDIANSHIP = "guardianship", _("监护")


class Severity(models.TextChoices):
    NONE = "none", _("无需求")
    LOW = "low", _("轻度")
    MEDIUM = "medium", _("中度")
    HIGH = "high", _("重度")


class ReferralSource(models.TextChoices):
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    POLICE = "police", _("公安")
    NEIGHBOUR = "neighbour", _("邻居")
    HOTLINE = "hotline", _("热线")
    DATA_MATCH = "data_match", _("数据比对")
    DIRECTOR = "director", _("儿童主任排查")
    OTHER = "other", _("其他")


class ClosureReason(models.TextChoices):
    TURNED_18 = "turned_18", _("年满18周岁")
    RESOLVED = "resolved", _("困境已消除")
    MOVED_OUT = "moved_out", _("迁出（转至他区划）")
    DECEASED = "deceased", _("死亡")


class ChildrenDirector(TimeStampedModel):
    """儿童主任 of one street or village: carries the cases there."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    community = models.CharField(_("街道/乡镇、村/社区"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("平台账号"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    active = models.BooleanField(_("在岗"), default=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("儿童主任")
        verbose_name_plural = _("儿童主任")
        ordering = ["region_id", "community", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.community}）"


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


class Case(TimeStampedModel):
    """One disadvantaged child's case in one region. `version` guards against lost updates."""

    child = models.ForeignKey("applicants.Person", verbose_name=_("儿童"), on_delete=models.PROTECT,
                              related_name="child_welfare_cases")
    region = models.ForeignKey("core.Region", verbose_name=_("经办区划"), on_delete=models.PROTECT, related_name="+")
    township = models.CharField(_("街道/乡镇"), max_length=100, blank=True)
    village = models.CharField(_("村/社区"), max_length=100, blank=True)
    address = models.CharField(_("现住址"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REPORTED,
                              db_index=True, editable=False)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM,
                                  editable=False)
    referral_source = models.CharField(_("发现来源"), max_length=16, choices=ReferralSource.choices)
    reported_on = models.DateField(_("报告日期"), default=date.today)
    household_situation = models.TextField(_("家庭情况"), blank=True)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"), null=True, blank=True)
    assigned_worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任经办人"),
                                        on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    director = models.ForeignKey(ChildrenDirector, verbose_name=_("儿童主任"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="cases")
    # 精准识别: what verification checked.
    identity_verified = models.BooleanField(_("身份已核实"), default=False)
    documents_verified = models.BooleanField(_("证明材料已核实"), default=False)
    # Benefit facts (R4): preschool aid needs an inclusive kindergarten approved by the education department.
    at_inclusive_kindergarten = models.BooleanField(_("就读普惠性幼儿园"), default=False)
    kindergarten_approved = models.BooleanField(_("幼儿园经县级以上教育部门批准备案"), default=False)
    urban = models.BooleanField(_("城市（否：农村含县镇）"), default=True)
    # Monitoring, kept up to date by the services so worklists are one indexed query.
    last_visit_on = models.DateField(_("最近探访"), null=True, blank=True, editable=False)
    next_visit_due = models.DateField(_("下次探访期限"), null=True, blank=True, editable=False, db_index=True)
    next_review_due = models.DateField(_("下次复核期限"), null=True, blank=True, editable=False, db_index=True)
    closure_reason = models.CharField(_("结案原因"), max_length=16, choices=ClosureReason.choices, blank=True,
                                      editable=False)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("困境儿童个案")
        verbose_name_plural = _("困境儿童个案")
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["assigned_worker", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {mask_name(self.child.name) if self.child_id else ''}"

    @property
    def reference(self) -> str:
        return f"KJ{self.region_id or ''}-{self.pk or 0:06d}"

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def masked_child_name(self) -> str:
        return mask_name(self.child.name)

    @property
    def masked_child_id_number(self) -> str:
        return mask_id_number(self.child.id_number)


class CaseCategory(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(_("困境类别"), max_length=32, choices=Category.choices)
    since = models.DateField(_("认定日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("困境类别")
        verbose_name_plural = _("困境类别")
        ordering = ["since", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "category"], name="child_welfare_category_once")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}（{self.since:%Y-%m-%d}起）"


class CaseGuardian(models.Model):
    class Situation(models.TextChoices):
        NORMAL = "normal", _("正常履行监护")
        WORKING_AWAY = "working_away", _("外出务工")
        IMPRISONED = "imprisoned", _("服刑在押")
        SERIOUSLY_ILL = "seriously_ill", _("重病")
        DISABLED = "disabled", _("重残")
        MISSING = "missing", _("失联")
        DECEASED = "deceased", _("死亡")
        REVOKED = "revoked", _("被撤销监护资格")
        OTHER = "other", _("其他")

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("姓名"), max_length=50)
    relationship = models.CharField(_("与儿童关系"), max_length=20)
    situation = models.CharField(_("监护状况"), max_length=16, choices=Situation.choices, default=Situation.NORMAL)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监护人")
        verbose_name_plural = _("监护人")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.relationship}）"


class CaseTransition(models.Model):
    """Every lifecycle step: who, when, from, to, why. Transfers also name the regions."""

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices)
    reason = models.TextField(_("原因/说明"), blank=True)
    closure_reason = models.CharField(_("结案原因"), max_length=16, choices=ClosureReason.choices, blank=True)
    from_region = models.ForeignKey("core.Region", verbose_name=_("转出区划"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    to_region = models.ForeignKey("core.Region", verbose_name=_("转入区划"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True,
                           related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '—'} → {self.to_status}"

    @property
    def action_label(self) -> str:
        from apps.child_welfare.lifecycle import action_label

        return action_label(self.action)


class RiskChange(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="risk_changes")
    from_level = models.CharField(_("原等级"), max_length=8, choices=RiskLevel.choices, blank=True)
    to_level = models.CharField(_("新等级"), max_length=8, choices=RiskLevel.choices)
    reason = models.TextField(_("调整原因"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True,
                           related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("风险等级调整")
        verbose_name_plural = _("风险等级调整")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_level or '—'} → {self.to_level}"


class SensitiveNote(models.Model):
    """Abuse details and the like. Never in a serializer or a list: read only via the purpose-logged action."""

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="sensitive_notes")
    text = models.TextField(_("敏感信息"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("敏感信息")
        verbose_name_plural = _("敏感信息")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"敏感信息 #{self.pk}"


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
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="child_welfare_domain_once")]

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

    def __str__(self) -> str:
        return f"转介{self.get_target_type_display()}：{self.target_name}"


class Escalation(models.Model):
    """A high-risk case whose visit is overdue, raised to the region's supervisor by the monitoring job."""

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="escalations")
    due_on = models.DateField(_("应探访日期"))
    raised_on = models.DateField(_("督办日期"))
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("督办人"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    resolution = models.CharField(_("解除说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("逾期督办")
        verbose_name_plural = _("逾期督办")
        ordering = ["-raised_on", "-id"]
        # One escalation per missed due date: the daily job may run any number of times.
        constraints = [models.UniqueConstraint(fields=["case", "due_on"], name="child_welfare_escalation_once")]

    def __str__(self) -> str:
        return f"{self.case.reference} 逾期探访（应于 {self.due_on:%Y-%m-%d}）"
