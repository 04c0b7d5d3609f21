"""养老服务人才队伍 (R7, 吉民发〔2024〕33号): elderly-care institutions (养老机构), their staff (养老服务人员, each a
person of the applicants registry), the serious-dishonesty list (严重失信名单 / 黑名单) of institutions and people,
and the incentive claims (补贴申领) with the calculator's decision.

Amounts, periods and the 2025 target are parameters `elderly_care.*` (apps.eligibility), never stored here as policy.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import ReviewedModel, TimeStampedModel
from apps.core.money import MONEY_FIELD
from apps.core.validators import validate_uscc
from apps.eligibility.calculators.elderly_care_incentive import HONOUR_LEVELS, KINDS, SKILL_LEVELS

# The 新八级工 ladder (the same keys as apps.training's SkillLevel, read from the calculators' one list).
SKILL_LEVEL_CHOICES = list(SKILL_LEVELS.items())
KIND_CHOICES = list(KINDS.items())
HONOUR_CHOICES = list(HONOUR_LEVELS.items())


class Institution(TimeStampedModel):
    """An elderly-care institution (养老机构) of a region: its beds and the older people it serves."""

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("公办")
        PRIVATE = "private", _("民办")
        PUBLIC_PRIVATE = "public_private", _("公建民营")

    name = models.CharField(_("机构名称"), max_length=200)
    # validate_uscc returns the compact code (it is a parser too); Django ignores a validator's result.
    uscc = models.CharField(_("统一社会信用代码"), max_length=18,
                            validators=[validate_uscc])  # type: ignore[list-item]
    ownership = models.CharField(_("性质"), max_length=20, choices=Ownership.choices, default=Ownership.PRIVATE)
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    beds = models.PositiveIntegerField(_("床位数（张）"))
    older_people_served = models.PositiveIntegerField(_("服务老年人数（人）"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("养老机构")
        verbose_name_plural = _("养老机构")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="eldercare_institution_sort"),
                   models.Index(fields=["region"], name="eldercare_inst_region_prefix",
                                opclasses=["varchar_pattern_ops"])]
        constraints = [models.UniqueConstraint(fields=["uscc"], name="eldercare_institution_uscc_unique",
                                               violation_error_message=_("该统一社会信用代码的养老机构已登记。"))]

    def __str__(self) -> str:
        return self.name


class StaffMember(TimeStampedModel):
    """A person working at an institution (养老服务人员): full-time or not, role, 社会工作者 qualification, level.

    `region` is the institution's (copied for scoping). A person holds one current post per institution."""

    class Role(models.TextChoices):
        CAREGIVER = "caregiver", _("养老护理员")
        SOCIAL_WORKER = "social_worker", _("社会工作者")
        DIRECTOR = "director", _("养老院院长")
        MEDICAL = "medical", _("医护人员")
        REHABILITATION = "rehabilitation", _("康复人员")
        MANAGEMENT = "management", _("经营管理人员")
        OTHER = "other", _("其他")

    institution = models.ForeignKey(Institution, verbose_name=_("养老机构"), on_delete=models.PROTECT,
                                    related_name="staff")
    person = models.ForeignKey("applicants.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="eldercare_posts")
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("岗位"), max_length=20, choices=Role.choices)
    full_time = models.BooleanField(_("专职"), default=True, help_text=_("专职从事养老护理服务工作"))
    social_worker_qualified = models.BooleanField(_("具有社会工作者职业资格"), default=False)
    skill_level = models.CharField(_("职业技能等级（新八级工）"), max_length=24, choices=SKILL_LEVEL_CHOICES, blank=True)
    college_graduate = models.BooleanField(_("高校毕业生"), default=False)
    start_date = models.DateField(_("入职日期"))
    end_date = models.DateField(_("离职日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("养老服务人员")
        verbose_name_plural = _("养老服务人员")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["-start_date", "-id"], name="eldercare_staff_sort"),
                   models.Index(fields=["region"], name="eldercare_staff_region_prefix",
                                opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="eldercare_staff_dates_ordered",
                                   violation_error_message=_("离职日期不能早于入职日期，请核对日期。")),
            models.UniqueConstraint(fields=["institution", "person"], condition=Q(end_date__isnull=True),
                                    name="eldercare_staff_one_current",
                                    violation_error_message=_("该人员已在本机构在职，不能重复登记。")),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} @ {self.institution.name}"


class BlacklistEntry(TimeStampedModel):
    """An entry of the 养老服务严重失信名单: an institution or a person, why, from when to when, on whose decision.

    Listed from `listed_on` (inclusive) until the day before `removed_on` (信用修复移出, exclusive). Published (公示)
    through apps.publicity: one entry is one public list of one row."""

    class Subject(models.TextChoices):
        INSTITUTION = "institution", _("养老机构")
        PERSON = "person", _("养老服务人员")

    subject = models.CharField(_("列入对象"), max_length=12, choices=Subject.choices)
    institution = models.ForeignKey(Institution, verbose_name=_("养老机构"), on_delete=models.PROTECT,
                                    related_name="blacklist_entries", null=True, blank=True)
    person = models.ForeignKey("applicants.Person", verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="eldercare_blacklist_entries", null=True, blank=True)
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("失信行为"), max_length=300)
    source = models.CharField(_("认定依据（机关及文书）"), max_length=200,
                              help_text=_("例如：南关区民政局 南民罚决字〔2026〕3号"))
    listed_on = models.DateField(_("列入日期"))
    removed_on = models.DateField(_("移出日期"), null=True, blank=True, help_text=_("信用修复后移出；当日起不在名单内"))
    removal_note = models.CharField(_("移出说明"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    publicity_starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("严重失信名单")
        verbose_name_plural = _("严重失信名单")
        ordering = ["-listed_on", "-id"]
        indexes = [models.Index(fields=["-listed_on", "-id"], name="eldercare_blacklist_sort"),
                   models.Index(fields=["region"], name="eldercare_black_region_prefix",
                                opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject="institution", institution__isnull=False, person__isnull=True)
                           | Q(subject="person", person__isnull=False, institution__isnull=True)),
                name="eldercare_blacklist_one_subject",
                violation_error_message=_("失信名单须且只能列入一个养老机构或一名人员。")),
            models.CheckConstraint(condition=Q(removed_on__isnull=True) | Q(removed_on__gt=F("listed_on")),
                                   name="eldercare_blacklist_dates_ordered",
                                   violation_error_message=_("移出日期须晚于列入日期，请核对日期。")),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name}（{self.listed_on:%Y-%m-%d} 列入）"

    @property
    def subject_name(self) -> str:
        subject = self.institution if self.institution_id else self.person
        return subject.name if subject is not None else ""

    def listed_on_day(self, day) -> bool:
        return self.listed_on <= day and (self.removed_on is None or day < self.removed_on)


class IncentiveClaim(ReviewedModel):
    """One incentive claim (补贴申领) of a staff member: the calculator's amount and explanation, then review.

    待审核 → 已审核 (a reviewer who did not submit it: four eyes) or 已退回 (with the reason)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已审核")
        REJECTED = "rejected", _("已退回")

    staff = models.ForeignKey(StaffMember, verbose_name=_("养老服务人员"), on_delete=models.PROTECT,
                              related_name="claims")
    institution = models.ForeignKey(Institution, verbose_name=_("养老机构"), on_delete=models.PROTECT,
                                    related_name="+")
    person = models.ForeignKey("applicants.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("补贴类别"), max_length=24, choices=KIND_CHOICES)
    claim_date = models.DateField(_("申领日期"))
    months = models.PositiveSmallIntegerField(_("申领月数"), default=0)
    honour_level = models.CharField(_("荣誉级别"), max_length=12, choices=HONOUR_CHOICES, blank=True)
    training_certificate = models.BooleanField(_("已取得培训合格证书"), default=False)
    founder = models.BooleanField(_("机构创办人"), default=False)
    amount = models.DecimalField(_("补贴金额"), **MONEY_FIELD)
    explanation = models.JSONField(_("计算说明"), default=dict)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                     related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("养老服务人才补贴申领")
        verbose_name_plural = _("养老服务人才补贴申领")
        ordering = ["-claim_date", "-id"]
        indexes = [models.Index(fields=["-claim_date", "-id"], name="eldercare_claim_sort"),
                   models.Index(fields=["region"], name="eldercare_claim_region_prefix",
                                opclasses=["varchar_pattern_ops"])]
        constraints = [
            # One-time incentives once per person; a returned claim may be made again.
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(kind__in=["vocational_training", "startup", "entry_award"]) & ~Q(status="rejected"),
                name="eldercare_claim_once_per_person",
                violation_error_message=_("该人员已申领过这项一次性补贴，不能重复申领。")),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_kind_display()}"
