"""Trainees and what follows their enrollment: the transition record, certificates, follow-ups.

Which action may move an enrollment where is the lifecycle table in
`apps/training/services/enrollment_lifecycle.py`; these models only hold the result.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.validators import mask_id_number, validate_phone
from apps.training.models.choices import EmploymentEvidence, EnrollmentStatus, SkillLevel, TargetGroup
from apps.training.models.programs import Program


class Enrollment(TimeStampedModel):
    person = models.ForeignKey("applicants.Person", verbose_name=_("学员"), on_delete=models.PROTECT,
                               related_name="+")
    program = models.ForeignKey(Program, verbose_name=_("培训项目"), on_delete=models.PROTECT,
                                related_name="enrollments")
    target_group = models.CharField(_("人员类别"), max_length=24, choices=TargetGroup.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
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
    monthly_wage = models.DecimalField(_("月工资（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    employment_verified_at = models.DateTimeField(_("就业核验时间"), null=True, blank=True)
    employment_verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("就业核验人"),
                                               on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("培训学员")
        verbose_name_plural = _("培训学员")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["person", "program"], name="enrollment_once_per_program",
                                               violation_error_message=_("该学员已报名此培训项目，请勿重复报名。"))]
        indexes = [models.Index(fields=["region", "status"]),
                   models.Index(fields=["status", "id"], name="training_enrollment_by_status")]  # ?ordering=status

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
        indexes = [models.Index(fields=["issued_on", "id"], name="certificate_list_sort")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="certificate_number_unique",
                                    violation_error_message=_("同类证书中已有此证书编号，请核对证书编号。")),
            models.CheckConstraint(condition=~Q(kind="skill_level") | ~Q(level=""),
                                   name="certificate_skill_level_has_level",
                                   violation_error_message=_("职业技能等级证书须填写等级。")),
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
    monthly_wage = models.DecimalField(_("月工资（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回访人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("培训后回访")
        verbose_name_plural = _("培训后回访")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on", "id"], name="follow_up_list_sort")]
        constraints = [models.UniqueConstraint(fields=["enrollment", "months"], name="follow_up_once_per_milestone",
                                               violation_error_message=_("该学员这一回访节点的就业跟踪已记录，请编辑原有记录。"))]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.months}个月回访"
