"""Childcare institutions (托育机构): registry, safety inspections, enrolled children, attendance, subsidy claims.

Every record is scoped through the institution's region. Rules that cross records (overlapping enrollments,
who may approve a claim, which month a child counts for) live in services/ and child_months.py.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.bank import BankDetails
from apps.core.models import TimeStampedModel
from apps.core.validators import mask_id_number, validate_phone, validate_uscc
from apps.eligibility.calculators.childcare_operating import requires_inclusive_certification


class AgeGroup(models.TextChoices):
    INFANT = "infant", _("乳儿班（6–12个月）")
    TODDLER = "toddler", _("托小班（12–24个月）")
    PRESCHOOL = "preschool", _("托大班（24–36个月）")


class Institution(BankDetails, TimeStampedModel):
    class Category(models.TextChoices):
        # Values are the keys of the policy parameter childcare_operating.annual_rate_table.
        PUBLIC_PARTIAL_FUNDED = "public_partial_funded", _("差额补助公办")
        PUBLIC_SELF_FINANCED = "public_self_financed", _("自收自支类公办")
        PRIVATE_INCLUSIVE = "private_inclusive", _("普惠民办")
        OTHER = "other", _("非普惠民办")

    class Status(models.TextChoices):
        OPERATING = "operating", _("正常运营")
        SUSPENDED = "suspended", _("暂停运营")
        CLOSED = "closed", _("已关闭")

    name = models.CharField(_("机构名称"), max_length=100, db_index=True)
    # validate_uscc returns the normalised code as well; Django ignores a validator's return value.
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                            validators=[validate_uscc])  # type: ignore[list-item]
    category = models.CharField(_("机构类别"), max_length=32, choices=Category.choices)
    region = models.ForeignKey("core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_person = models.CharField(_("负责人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    licence_number = models.CharField(_("登记/备案号"), max_length=64, blank=True)
    licence_date = models.DateField(_("备案日期"), null=True, blank=True)
    inclusive_certificate_number = models.CharField(_("普惠认定文号"), max_length=64, blank=True)
    inclusive_certified_from = models.DateField(_("普惠认定起始日"), null=True, blank=True)
    inclusive_certified_to = models.DateField(_("普惠认定截止日"), null=True, blank=True,
                                              help_text=_("留空表示长期有效"))
    places_infant = models.PositiveIntegerField(_("乳儿班托位"), default=0)
    places_toddler = models.PositiveIntegerField(_("托小班托位"), default=0)
    places_preschool = models.PositiveIntegerField(_("托大班托位"), default=0)
    community_embedded = models.BooleanField(_("社区嵌入式托育试点"), default=False)
    home_based = models.BooleanField(_("家庭托育点"), default=False)
    medical_integrated = models.BooleanField(_("医育结合"), default=False)
    status = models.CharField(_("运营状态"), max_length=16, choices=Status.choices, default=Status.OPERATING)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("托育机构")
        verbose_name_plural = _("托育机构")
        ordering = ["region_id", "name"]
        indexes = [models.Index(fields=["region", "name"], name="childcare_institution_list"),
                   models.Index(fields=["name", "id"], name="childcare_institution_by_name"),  # ?ordering=name
                   # 普惠 certifications running out, on the 待办 list (apps.childcare.worklist)
                   models.Index(fields=["status", "inclusive_certified_to"], name="childcare_institution_cert_end")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(inclusive_certified_to__isnull=True)
                | models.Q(inclusive_certified_from__isnull=False,
                           inclusive_certified_to__gte=models.F("inclusive_certified_from")),
                name="childcare_certification_period_ordered",
                violation_error_message=_("普惠认定须先填写认定起始日期，截止日期不能早于起始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_places(self) -> int:
        return self.places_infant + self.places_toddler + self.places_preschool

    @property
    def needs_inclusive_certification(self) -> bool:
        """Only a 普惠民办 institution is subsidised on its 普惠 certification; 公办 ones are paid without it."""
        return requires_inclusive_certification(self.category)

    def certified_between(self, first: date, last: date) -> bool:
        """普惠 certification valid on at least one day of [first, last]."""
        start, end = self.inclusive_certified_from, self.inclusive_certified_to
        return start is not None and start <= last and (end is None or end >= first)

    @property
    def pilot_labels(self) -> list[str]:
        flags = [(self.community_embedded, _("社区嵌入式")), (self.home_based, _("家庭托育点")),
                 (self.medical_integrated, _("医育结合"))]
        return [str(label) for on, label in flags if on]


class StaffMember(TimeStampedModel):
    class Post(models.TextChoices):
        DIRECTOR = "director", _("机构负责人")
        CAREGIVER = "caregiver", _("保育人员")
        HEALTH = "health", _("卫生保健人员")
        COOK = "cook", _("炊事人员")
        SECURITY = "security", _("安保人员")
        OTHER = "other", _("其他")

    class Qualification(models.TextChoices):
        CHILDCARE_WORKER = "childcare_worker", _("保育师职业技能等级证书")
        INFANT_CARER = "infant_carer", _("育婴员职业技能等级证书")
        TEACHER = "teacher", _("教师资格证")
        HEALTH_CARE = "health_care", _("卫生保健人员培训合格证")
        NURSE = "nurse", _("护士执业证书")
        NONE = "none", _("无")

    institution = models.ForeignKey(Institution, verbose_name=_("托育机构"), on_delete=models.CASCADE,
                                    related_name="staff")
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("岗位"), max_length=16, choices=Post.choices)
    qualification = models.CharField(_("托育资质"), max_length=20, choices=Qualification.choices,
                                     default=Qualification.NONE)
    certificate_number = models.CharField(_("证书编号"), max_length=64, blank=True)
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        ordering = ["institution_id", "post", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def qualified(self) -> bool:
        return self.qualification != self.Qualification.NONE


class Inspection(TimeStampedModel):
    class Kind(models.TextChoices):
        FOOD = "food", _("食品安全")
        FIRE = "fire", _("消防安全")
        HEALTH = "health", _("卫生保健")

    institution = models.ForeignKey(Institution, verbose_name=_("托育机构"), on_delete=models.CASCADE,
                                    related_name="inspections")
    kind = models.CharField(_("检查类型"), max_length=10, choices=Kind.choices)
    visited_on = models.DateField(_("检查日期"))
    inspector = models.CharField(_("检查人员/单位"), max_length=100)
    notes = models.TextField(_("检查情况"), blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("安全检查")
        verbose_name_plural = _("安全检查")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.institution} {self.get_kind_display()} {self.visited_on:%Y-%m-%d}"


class Finding(TimeStampedModel):
    class Severity(models.TextChoices):
        MINOR = "minor", _("一般")
        SERIOUS = "serious", _("严重")

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        RECTIFIED = "rectified", _("已整改")

    inspection = models.ForeignKey(Inspection, verbose_name=_("安全检查"), on_delete=models.CASCADE,
                                   related_name="findings")
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    description = models.CharField(_("问题描述"), max_length=300)
    rectification_deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("整改状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    follow_up = models.TextField(_("复查情况"), blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("检查发现问题")
        verbose_name_plural = _("检查发现问题")
        ordering = ["status", "rectification_deadline"]
        indexes = [models.Index(fields=["severity", "status"])]

    def __str__(self) -> str:
        return self.description

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.rectification_deadline < date.today()


class Enrollment(TimeStampedModel):
    """A child (a registry person) in care at one institution from start_date to end_date, both inclusive.

    Two enrollments of the same child may not overlap anywhere: the service checks it on every database,
    and on PostgreSQL an exclusion constraint (migration 0002) makes it impossible even for raw writes.
    """

    class CareStatus(models.TextChoices):
        IN_CARE = "in_care", _("在托")
        LEFT = "left", _("已离托")

    child = models.ForeignKey("applicants.Person", verbose_name=_("婴幼儿"), on_delete=models.PROTECT,
                              related_name="childcare_enrollments")
    institution = models.ForeignKey(Institution, verbose_name=_("托育机构"), on_delete=models.PROTECT,
                                    related_name="enrollments")
    age_group = models.CharField(_("班级"), max_length=16, choices=AgeGroup.choices)
    start_date = models.DateField(_("入托日期"))
    end_date = models.DateField(_("离托日期"), null=True, blank=True, help_text=_("最后一天在托的日期；在托中留空"))
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("在托婴幼儿")
        verbose_name_plural = _("在托婴幼儿")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__isnull=True)
                                   | models.Q(end_date__gte=models.F("start_date")),
                                   name="childcare_enrollment_end_after_start",
                                   violation_error_message=_("离园日期不能早于入园日期，请核对日期。")),
        ]
        indexes = [
            models.Index(fields=["child", "start_date"]),
            models.Index(fields=["start_date", "id"], name="childcare_enrollment_list_sort"),
        ]

    def __str__(self) -> str:
        return f"{self.child} @ {self.institution}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.child.id_number)

    def covers(self, first: date, last: date) -> bool:
        return self.start_date <= last and (self.end_date is None or self.end_date >= first)

    def active_on(self, day: date) -> bool:
        return self.covers(day, day)

    @property
    def care_status(self) -> str:
        """What the leave transition reads (services/enrollments.py): a recorded last day means left."""
        return self.CareStatus.IN_CARE if self.end_date is None else self.CareStatus.LEFT


class EnrollmentGuardian(TimeStampedModel):
    class Relationship(models.TextChoices):
        FATHER = "father", _("父亲")
        MOTHER = "mother", _("母亲")
        GRANDPARENT = "grandparent", _("祖父母/外祖父母")
        OTHER = "other", _("其他监护人")

    enrollment = models.ForeignKey(Enrollment, verbose_name=_("入托记录"), on_delete=models.CASCADE,
                                  related_name="guardians")
    person = models.ForeignKey("applicants.Person", verbose_name=_("监护人"), on_delete=models.PROTECT,
                               related_name="+")
    relationship = models.CharField(_("关系"), max_length=16, choices=Relationship.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("监护人")
        verbose_name_plural = _("监护人")
        constraints = [models.UniqueConstraint(fields=["enrollment", "person"], name="childcare_guardian_once",
                                               violation_error_message=_("该监护人已登记在此入托记录中。"))]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_relationship_display()}）"


class Attendance(TimeStampedModel):
    """Days present in one month, for one enrollment (so attendance can never sit outside an enrollment)."""

    enrollment = models.ForeignKey(Enrollment, verbose_name=_("入托记录"), on_delete=models.CASCADE,
                                  related_name="attendance")
    month = models.DateField(_("月份"), help_text=_("该月1日"))
    days_present = models.PositiveSmallIntegerField(_("出勤天数"))
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("月度出勤")
        verbose_name_plural = _("月度出勤")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "month"], name="childcare_attendance_once_per_month",
                                    violation_error_message=_("该幼儿这个月的在园记录已存在，请编辑原有记录。")),
            models.CheckConstraint(condition=models.Q(month__day=1), name="childcare_attendance_month_first_day",
                                   violation_error_message=_("在园月份须填写为该月1日。")),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} {self.month:%Y-%m}：{self.days_present}天"

    @property
    def days_in_month(self) -> int:
        return (self.month + relativedelta(day=31)).day


class OperatingSubsidyClaim(TimeStampedModel):
    """One institution's 普惠托育服务补助 for one year. Frozen once submitted (until returned) and for good
    once approved; the explanation is the calculator's Result.to_dict() list, with parameter versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("已测算")
        SUBMITTED = "submitted", _("待审核")
        PUBLICIZING = "publicizing", _("公示中")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审核通过")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    institution = models.ForeignKey(Institution, verbose_name=_("托育机构"), on_delete=models.PROTECT,
                                    related_name="claims")
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    child_months = models.PositiveIntegerField(_("在托人月数"), default=0)
    certified_child_months = models.PositiveIntegerField(_("普惠认定期内人月数"), default=0)
    amount = models.DecimalField(_("补助金额"), max_digits=14, decimal_places=2, default=0)
    monthly = models.JSONField(_("分月人数"), default=dict, blank=True)
    explanation = models.JSONField(_("计算说明"), default=list, blank=True)
    parameter_versions = models.JSONField(_("参数版本"), default=dict, blank=True)
    # What the calculator was given, part by part ([{label, facts}]), and its fingerprint
    # (apps.eligibility.fingerprints) — decisions_verify recomputes the claim from these.
    inputs = models.JSONField(_("测算输入"), default=list, blank=True)
    calculator_version = models.CharField(_("计算规则版本"), max_length=32, blank=True)
    fingerprint = models.CharField(_("输入指纹"), max_length=64, blank=True)
    flags = models.JSONField(_("风险提示"), default=list, blank=True)
    computed_at = models.DateTimeField(_("测算时间"), null=True, blank=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("测算人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    review_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    # 初审 (publish): who passed it and put it on the public list; the window is the Publication's (apps.publicity).
    first_reviewed_at = models.DateTimeField(_("初审时间"), null=True, blank=True)
    first_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("初审人"), on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("公示发布时间"), null=True, blank=True)
    publicity_starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("托育补助申报")
        verbose_name_plural = _("托育补助申报")
        ordering = ["-year", "institution__name"]
        constraints = [models.UniqueConstraint(fields=["institution", "year"], name="childcare_claim_once_a_year",
                                               violation_error_message=_("该机构本年度已有运营补助申报，请在原有申报中修改。"))]

    def __str__(self) -> str:
        return f"{self.institution} {self.year}年"

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE


class ClaimRun(TimeStampedModel):
    """'Compute all claims for year Y' over the starter's region, run by a Celery task with progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("计算中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey("core.Region", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("机构总数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    computed = models.PositiveIntegerField(_("已测算"), default=0)
    skipped = models.PositiveIntegerField(_("已冻结跳过"), default=0)
    failed = models.PositiveIntegerField(_("失败"), default=0)
    message = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量测算")
        verbose_name_plural = _("批量测算")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.region} {self.year}年批量测算"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.processed * 100 / self.total)
