"""The case itself and what hangs on it directly: categories, guardians, lifecycle steps, risk changes,
sensitive notes, escalations, and the children's directors who carry cases.

Status, risk and version of a case change only through apps.child_welfare.services; the lifecycle itself
(which action moves which status where) is the table in apps.child_welfare.lifecycle.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.child_welfare.models.choices import Category, ClosureReason, ReferralSource, RiskLevel, Status
from apps.core.models import TimeStampedModel
from apps.core.validators import mask_id_number, mask_name, validate_phone


class ChildrenDirector(TimeStampedModel):
    """儿童主任 of one street or village: carries the cases there."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
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
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["assigned_worker", "status"]),
            models.Index(fields=["reported_on", "id"], name="cw_case_list_sort"),
            # overdue and upcoming visits on the 待办 list, the earliest due first (apps.child_welfare.worklist)
            models.Index(fields=["next_visit_due", "id"], name="cw_case_visit_due"),
        ]
        # One open case per child: simultaneous reports of the same child open one case, the rest are refused.
        constraints = [models.UniqueConstraint(fields=["child"], condition=~models.Q(status=Status.CLOSED),
                                               name="child_welfare_one_open_case_per_child",
                                               violation_error_message=_("该儿童已有未结案的个案，请在原有个案中继续办理。"))]

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
        constraints = [models.UniqueConstraint(fields=["case", "category"], name="child_welfare_category_once",
                                               violation_error_message=_("该个案已登记此困境类别。"))]

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
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
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
        indexes = [models.Index(fields=["raised_on", "id"], name="cw_escalation_list_sort"),
                   models.Index(fields=["due_on", "id"], name="cw_escalation_due")]  # the 待办 list's order
        # One escalation per missed due date: the daily job may run any number of times.
        constraints = [models.UniqueConstraint(fields=["case", "due_on"], name="child_welfare_escalation_once",
                                               violation_error_message=_("该逾期事项已上报，不能重复上报。"))]

    def __str__(self) -> str:
        return f"{self.case.reference} 逾期探访（应于 {self.due_on:%Y-%m-%d}）"
