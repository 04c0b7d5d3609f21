"""公益性岗位兜底安置 (R9): posts, placements of people with employment difficulties, renewals, and the monthly
subsidy runs (月度补贴发放批次) with one line per placement.

Amounts, periods and limits are never stored here as policy: they are parameters (`public_posts.*`, apps.eligibility)
read by the calculator `apps.eligibility.calculators.public_post_subsidy`.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import ReviewedModel, TimeStampedModel
from apps.core.money import MONEY_FIELD


class PublicPost(TimeStampedModel):
    """A public-welfare post (公益性岗位) offered by an employer (用人单位) of the region, with a number of places."""

    class PostType(models.TextChoices):
        RURAL_LOGISTICS = "rural_logistics", _("农村物流快递收发")
        CLEANING_GREENING = "cleaning_greening", _("保洁绿化")
        PUBLIC_ADMINISTRATION = "public_administration", _("公共管理服务")
        PUBLIC_SECURITY = "public_security", _("治安协管")
        ELDERLY_CARE = "elderly_care", _("养老服务")
        OTHER = "other", _("其他公共服务")

    class Status(models.TextChoices):
        OPEN = "open", _("开放")
        CLOSED = "closed", _("停用")

    name = models.CharField(_("岗位名称"), max_length=100)
    employer = models.ForeignKey("employers.Employer", verbose_name=_("用人单位（已登记）"), on_delete=models.PROTECT,
                                 related_name="public_posts", null=True, blank=True)
    employer_name = models.CharField(_("用人单位名称"), max_length=200,
                                     help_text=_("选择已登记的用人单位时自动填写"))
    post_type = models.CharField(_("岗位类别"), max_length=32, choices=PostType.choices)
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    places = models.PositiveIntegerField(_("岗位数量"), validators=[MinValueValidator(1)])
    start_date = models.DateField(_("开发日期"))
    end_date = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("为空表示长期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("公益性岗位")
        verbose_name_plural = _("公益性岗位")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["-start_date", "-id"], name="public_post_list_sort"),
                   models.Index(fields=["region"], name="public_post_region_prefix", opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="public_post_dates_ordered",
                                   violation_error_message=_("岗位截止日期不能早于开发日期，请核对日期。")),
            models.CheckConstraint(condition=Q(places__gte=1), name="public_post_places_positive",
                                   violation_error_message=_("岗位数量至少为 1。")),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.employer_name}）"


class Placement(TimeStampedModel):
    """One person with the status 就业困难 placed on a post (安置): start, agreed end, renewals and the exit.

    `region` is the post's (copied for scoping). One person holds at most one placement in post at a time."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在岗")
        EXITED = "exited", _("已离岗")

    class ExitReason(models.TextChoices):
        FOUND_JOB = "found_job", _("实现市场就业")
        TERM_ENDED = "term_ended", _("安置期满")
        RESIGNED = "resigned", _("本人辞职")
        DISMISSED = "dismissed", _("考核不合格解除")
        RETIRED = "retired", _("达到法定退休年龄")
        OTHER = "other", _("其他")

    post = models.ForeignKey(PublicPost, verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="placements")
    person = models.ForeignKey("applicants.Person", verbose_name=_("安置人员"), on_delete=models.PROTECT,
                               related_name="public_post_placements")
    region = models.ForeignKey("core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("上岗日期"))
    agreed_end_date = models.DateField(_("约定终止日期"))
    statutory_retirement_date = models.DateField(
        _("法定退休日期"), null=True, blank=True,
        help_text=_("按国家渐进式延迟法定退休年龄的规定核定；距退休不足规定年限时可续签至退休"))
    extended_to_retirement = models.BooleanField(_("已延长至退休"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    exit_date = models.DateField(_("离岗日期"), null=True, blank=True, help_text=_("最后在岗日（含）"))
    exit_reason = models.CharField(_("离岗原因"), max_length=20, choices=ExitReason.choices, blank=True)
    exit_note = models.CharField(_("离岗说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("公益性岗位安置")
        verbose_name_plural = _("公益性岗位安置")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["post", "status"]),
                   models.Index(fields=["-start_date", "-id"], name="public_post_placement_order"),
                   models.Index(fields=["agreed_end_date", "id"], name="public_post_placement_ending"),  # 待办
                   models.Index(fields=["region"], name="placement_region_prefix", opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(condition=Q(agreed_end_date__gte=F("start_date")), name="placement_dates_ordered",
                                   violation_error_message=_("约定终止日期不能早于上岗日期，请核对日期。")),
            models.CheckConstraint(condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("start_date")),
                                   name="placement_exit_after_start",
                                   violation_error_message=_("离岗日期不能早于上岗日期，请核对日期。")),
            models.UniqueConstraint(fields=["person"], condition=Q(status="active"), name="placement_one_active_person",
                                    violation_error_message=_("该人员已在公益性岗位在岗，不能重复安置。")),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} @ {self.post.name}"

    @property
    def paid_until(self):
        return min(d for d in (self.agreed_end_date, self.exit_date) if d is not None)


class Renewal(models.Model):
    """A renewal (续签) of a placement: the agreed end moved from `previous_end_date` to `new_end_date`."""

    placement = models.ForeignKey(Placement, verbose_name=_("安置"), on_delete=models.CASCADE, related_name="renewals")
    previous_end_date = models.DateField(_("原约定终止日期"))
    new_end_date = models.DateField(_("续签至"))
    to_retirement = models.BooleanField(_("距退休不足规定年限，延长至退休"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    renewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                   related_name="+", null=True)
    renewed_at = models.DateTimeField(_("续签时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("续签记录")
        verbose_name_plural = _("续签记录")
        ordering = ["placement_id", "renewed_at", "id"]

    def __str__(self) -> str:
        return f"{self.previous_end_date} → {self.new_end_date}"


class SubsidyRun(ReviewedModel):
    """A monthly subsidy run (月度补贴发放批次) of a region: one line per placement in post that month.

    计算中 → 待审核 → 已审核 (a reviewer who did not start it: four eyes) or 已退回 (with the reason); 计算失败 when the
    task failed (a rerun resumes: lines are unique per placement)."""

    class Status(models.TextChoices):
        COMPUTING = "computing", _("计算中")
        COMPUTED = "computed", _("待审核")
        APPROVED = "approved", _("已审核")
        REJECTED = "rejected", _("已退回")
        FAILED = "failed", _("计算失败")

    region = models.ForeignKey("core.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("补贴月份"), help_text=_("当月 1 日"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.COMPUTING)
    placements_total = models.PositiveIntegerField(_("应计算人数"), default=0)
    placements_done = models.PositiveIntegerField(_("已计算人数"), default=0)
    total_amount = models.DecimalField(_("补贴合计"), default=0, **MONEY_FIELD)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("月度补贴发放批次")
        verbose_name_plural = _("月度补贴发放批次")
        ordering = ["-month", "-id"]
        indexes = [models.Index(fields=["-month", "-id"], name="public_post_run_sort"),
                   models.Index(fields=["region"], name="public_post_run_region_prefix",
                                opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.UniqueConstraint(fields=["region", "month"], condition=~Q(status="rejected"),
                                    name="public_post_run_one_per_month",
                                    violation_error_message=_("该区划该月份已有补贴发放批次。")),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.month:%Y-%m} 公益性岗位补贴"

    @property
    def percent(self) -> int:
        if self.status != self.Status.COMPUTING:
            return 100 if self.status != self.Status.FAILED else int(100 * self.placements_done
                                                                       / max(self.placements_total, 1))
        return int(100 * self.placements_done / self.placements_total) if self.placements_total else 0


class SubsidyLine(models.Model):
    """One placement's subsidy for the run's month (the calculator's amount and explanation)."""

    run = models.ForeignKey(SubsidyRun, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="lines")
    placement = models.ForeignKey(Placement, verbose_name=_("安置"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("applicants.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    days_in_post = models.PositiveSmallIntegerField(_("在岗天数"))
    days_in_month = models.PositiveSmallIntegerField(_("当月天数"))
    amount = models.DecimalField(_("补贴金额"), **MONEY_FIELD)
    explanation = models.JSONField(_("计算说明"), default=dict)

    class Meta:
        verbose_name = _("补贴明细")
        verbose_name_plural = _("补贴明细")
        ordering = ["run_id", "id"]
        constraints = [models.UniqueConstraint(
            fields=["run", "placement"], name="public_post_line_unique",
            violation_error_message=_("该批次已有这条安置的补贴明细：同一批次每个安置只计算一次，请勿重复添加。"))]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.placement_id}"
