"""Occupations, providers, programs, demand, enrollments and what follows them (R6).

The enrollment lifecycle itself — which action may move which state where, and on what condition —
is in `lifecycle.py`, so the UI buttons, the API actions and the tests read one table.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.validators import mask_id_number, validate_uscc

MONEY = {"max_digits": 14, "decimal_places": 2}


class SkillLevel(models.TextChoices):
    """The 新八级工 ladder. Keys are those of the calculator's assessment table (training.py)."""

    APPRENTICE = "apprentice", _("学徒工")
    JUNIOR = "junior", _("初级工")
    INTERMEDIATE = "intermediate", _("中级工")
    SENIOR = "senior", _("高级工")
    TECHNICIAN = "technician", _("技师")
    SENIOR_TECHNICIAN = "senior_technician", _("高级技师")
    SPECIAL_TECHNICIAN = "special_technician", _("特级技师")
    CHIEF_TECHNICIAN = "chief_technician", _("首席技师")


class TargetGroup(models.TextChoices):
    MIGRANT_WORKER = "migrant_worker", _("农民工")
    UNEMPLOYED_GRADUATE = "unemployed_graduate", _("离校未就业高校毕业生")
    UNEMPLOYED = "unemployed", _("失业人员")
    EMPLOYMENT_DIFFICULTY = "employment_difficulty", _("就业困难人员")
    WOMEN_RETURNING = "women_returning", _("生育后再就业妇女")
    DOMESTIC_WORKER = "domestic_worker", _("家政服务从业人员")
    ELDERLY_CARE_WORKER = "elderly_care_worker", _("养老护理从业人员")
    OTHER = "other", _("其他劳动者")


class Occupation(TimeStampedModel):
    """An occupation (职业) or a job type (工种) under one, as in the 职业分类大典."""

    class Kind(models.TextChoices):
        OCCUPATION = "occupation", _("职业")
        JOB_TYPE = "job_type", _("工种")

    class Category(models.TextChoices):
        DOMESTIC_SERVICE = "domestic_service", _("家政服务")
        ELDERLY_CARE = "elderly_care", _("养老服务")
        ELECTRICAL = "electrical", _("电工与特种作业")
        LOGISTICS = "logistics", _("物流仓储")
        SECURITY = "security", _("安全保卫")
        DIGITAL = "digital", _("数字技术")
        LIFE_SERVICE = "life_service", _("生活服务")
        MANUFACTURING = "manufacturing", _("制造加工")
        OTHER = "other", _("其他")

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, default=Kind.OCCUPATION)
    category = models.CharField(_("行业分类"), max_length=20, choices=Category.choices, default=Category.OTHER)
    parent = models.ForeignKey("self", verbose_name=_("所属职业"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="job_types", help_text=_("工种填写其所属职业"))
    is_new = models.BooleanField(_("新职业/新工种"), default=False)
    announced_in = models.CharField(_("发布批次"), max_length=100, blank=True)
    licence_name = models.CharField(_("可取得的操作证/资格"), max_length=100, blank=True,
                                    help_text=_("“一培双证”中其他部门颁发的证书，如低压电工特种作业操作证"))
    licence_issuer = models.CharField(_("操作证颁发部门"), max_length=100, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("职业（工种）")
        verbose_name_plural = _("职业（工种）目录")
        ordering = ["category", "code"]

    def __str__(self) -> str:
        return self.name


class Provider(TimeStampedModel):
    class ProviderType(models.TextChoices):
        TECHNICAL_SCHOOL = "technical_school", _("技工院校")
        VOCATIONAL_COLLEGE = "vocational_college", _("职业院校")
        TRAINING_INSTITUTION = "training_institution", _("培训机构")
        ENTERPRISE = "enterprise", _("企业")
        TRADE_UNION = "trade_union", _("工会")
        WOMENS_FEDERATION = "womens_federation", _("妇联")
        OPEN_UNIVERSITY = "open_university", _("开放大学")
        OTHER = "other", _("其他")

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("机构名称"), max_length=200)
    provider_type = models.CharField(_("机构类型"), max_length=24, choices=ProviderType.choices)
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT,
                               related_name="+")
    accreditation_number = models.CharField(_("办学许可/认定编号"), max_length=60, blank=True)
    accredited_until = models.DateField(_("认定有效期至"), null=True, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("培训机构")
        verbose_name_plural = _("培训机构")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ShortageReport(TimeStampedModel):
    """An employer's labour-shortage report (缺工): demand a program can be opened against."""

    employer = models.ForeignKey("employers.Employer", verbose_name=_("用人单位"), on_delete=models.PROTECT,
                                 related_name="+")
    occupation = models.ForeignKey(Occupation, verbose_name=_("缺工职业"), on_delete=models.PROTECT,
                                   related_name="shortages")
    count = models.PositiveIntegerField(_("缺工人数"), validators=[MinValueValidator(1)])
    wage_min = models.DecimalField(_("月工资下限（元）"), **MONEY, validators=[MinValueValidator(0)])
    wage_max = models.DecimalField(_("月工资上限（元）"), **MONEY, validators=[MinValueValidator(0)])
    reported_on = models.DateField(_("登记日期"))
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT,
                               related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("企业缺工登记")
        verbose_name_plural = _("企业缺工登记")
        ordering = ["-reported_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(wage_max__gte=models.F("wage_min")),
                                              name="shortage_wage_range")]

    def __str__(self) -> str:
        return f"{self.occupation} × {self.count}"


class TrainingWillingness(TimeStampedModel):
    """An applicant's training-willingness registration (培训意愿)."""

    person = models.ForeignKey("applicants.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="+")
    occupation = models.ForeignKey(Occupation, verbose_name=_("意向职业"), on_delete=models.PROTECT,
                                   related_name="willingness")
    target_group = models.CharField(_("人员类别"), max_length=24, choices=TargetGroup.choices)
    registered_on = models.DateField(_("登记日期"))
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT,
                               related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("培训意愿登记")
        verbose_name_plural = _("培训意愿登记")
        ordering = ["-registered_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "occupation"], name="willingness_once_per_occupation")]

    def __str__(self) -> str:
        return f"{self.person} · {self.occupation}"


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
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="program_dates_ordered"),
            models.CheckConstraint(condition=Q(dual_certificate=False) | ~Q(second_certificate_issuer=""),
                                   name="program_dual_certificate_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_target_groups_display(self) -> str:
        labels = dict(TargetGroup.choices)
        return "、".join(str(labels.get(g, g)) for g in self.target_groups)


class EnrollmentStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    ENROLLED = "enrolled", _("已录取")
    IN_TRAINING = "in_training", _("培训中")
    COMPLETED = "completed", _("已结业")
    DROPPED_OUT = "dropped_out", _("已退学")
    ASSESSED = "assessed", _("已取证")
    EMPLOYMENT_VERIFIED = "employment_verified", _("就业已核验")
    SUBSIDY_CLAIMED = "subsidy_claimed", _("补贴已申领")
    APPROVED = "approved", _("补贴已审核")
    PAID = "paid", _("补贴已发放")


class EmploymentEvidence(models.TextChoices):
    """Keys are those of the calculator (training.EMPLOYMENT_EVIDENCE)."""

    LABOUR_CONTRACT = "labour_contract", _("劳动合同")
    SERVICE_AGREEMENT = "service_agreement", _("服务协议")
    WAGE_STATEMENT = "wage_statement", _("工资流水")


class Enrollment(TimeStampedModel):
    person = models.ForeignKey("applicants.Person", verbose_name=_("学员"), on_delete=models.PROTECT,
                               related_name="+")
    program = models.ForeignKey(Program, verbose_name=_("培训项目"), on_delete=models.PROTECT,
                                related_name="enrollments")
    target_group = models.CharField(_("人员类别"), max_length=24, choices=TargetGroup.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(_("状态"), max_length=24, choices=EnrollmentStatus.choices,
                              default=EnrollmentStatus.REGISTERED, db_index=True)
    # The program's region: the office running the class handles its trainees (scoping key).
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT,
                               related_name="+")
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    employment_evidence = models.CharField(_("就业证明"), max_length=24, choices=EmploymentEvidence.choices,
                                           blank=True)
    employer = models.ForeignKey("employers.Employer", verbose_name=_("就业单位"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    employer_name = models.CharField(_("就业单位名称"), max_length=200, blank=True)
    employment_start = models.DateField(_("入职日期"), null=True, blank=True)
    monthly_wage = models.DecimalField(_("月工资（元）"), **MONEY, null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    employment_verified_at = models.DateTimeField(_("就业核验时间"), null=True, blank=True)
    employment_verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("就业核验人"),
                                               on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("培训学员")
        verbose_name_plural = _("培训学员")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["person", "program"], name="enrollment_once_per_program")]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.program.name}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.person.id_number)

    @property
    def employment_verified(self) -> bool:
        return bool(self.employment_verified_at and self.employment_evidence)


class EnrollmentTransition(models.Model):
    """Every state change: who, when, from, to, note. Written by the lifecycle service only."""

    enrollment = models.ForeignKey(Enrollment, verbose_name=_("学员"), on_delete=models.CASCADE,
                                   related_name="transitions")
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=24, choices=EnrollmentStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24, choices=EnrollmentStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("状态变更记录")
        verbose_name_plural = _("状态变更记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Certificate(TimeStampedModel):
    class Kind(models.TextChoices):
        SKILL_LEVEL = "skill_level", _("职业技能等级证书")
        SPECIAL_SKILL = "special_skill", _("专项职业能力证书")
        OPERATING_LICENCE = "operating_licence", _("操作证/资格证（一培双证）")

    enrollment = models.ForeignKey(Enrollment, verbose_name=_("学员"), on_delete=models.PROTECT,
                                   related_name="certificates")
    kind = models.CharField(_("证书类型"), max_length=24, choices=Kind.choices)
    number = models.CharField(_("证书编号"), max_length=60)
    level = models.CharField(_("等级"), max_length=24, choices=SkillLevel.choices, blank=True,
                             help_text=_("职业技能等级证书必填"))
    issued_on = models.DateField(_("发证日期"))
    issuer = models.CharField(_("发证机构"), max_length=100)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="certificate_number_unique"),
            models.CheckConstraint(condition=~Q(kind="skill_level") | ~Q(level=""),
                                   name="certificate_skill_level_has_level"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def calculator_level(self) -> str | None:
        """The key the assessment-subsidy table uses; a licence is not a skills assessment."""
        if self.kind == self.Kind.SKILL_LEVEL:
            return self.level
        if self.kind == self.Kind.SPECIAL_SKILL:
            return "special_skill"
        return None


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
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.CLAIMED)
    explanation = models.JSONField(_("计算说明"))
    parameter_versions = models.JSONField(_("参数版本"), default=list)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申领经办人"), on_delete=models.PROTECT,
                                   related_name="+")
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
                                    condition=~Q(status="rejected"), name="subsidy_once_per_occupation_level"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class FollowUp(TimeStampedModel):
    """Post-training follow-up at 3 and 6 months after completion: skill level, employment, wage."""

    class EmploymentStatus(models.TextChoices):
        EMPLOYED = "employed", _("就业")
        SELF_EMPLOYED = "self_employed", _("灵活就业/创业")
        UNEMPLOYED = "unemployed", _("未就业")

    enrollment = models.ForeignKey(Enrollment, verbose_name=_("学员"), on_delete=models.CASCADE,
                                   related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("回访节点（月）"))
    due_on = models.DateField(_("应回访日期"), db_index=True)
    done_on = models.DateField(_("回访日期"), null=True, blank=True)
    skill_level = models.CharField(_("技能等级"), max_length=24, choices=SkillLevel.choices, blank=True)
    employment_status = models.CharField(_("就业状态"), max_length=16, choices=EmploymentStatus.choices, blank=True)
    monthly_wage = models.DecimalField(_("月工资（元）"), **MONEY, null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回访人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("培训后回访")
        verbose_name_plural = _("培训后回访")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "months"], name="follow_up_once_per_milestone")]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.months}个月回访"


class WorklistItem(models.Model):
    """A caseworker's to-do (待办), materialised by the beat task; one per overdue follow-up."""

    class Kind(models.TextChoices):
        FOLLOW_UP_OVERDUE = "follow_up_overdue", _("回访逾期")

    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices, default=Kind.FOLLOW_UP_OVERDUE)
    follow_up = models.OneToOneField(FollowUp, verbose_name=_("回访"), on_delete=models.CASCADE,
                                     related_name="worklist_item")
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT,
                               related_name="+")
    due_on = models.DateField(_("应办日期"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待办事项")
        verbose_name_plural = _("待办事项")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.follow_up}"
