"""免申即享 stable-job refund runs: one run per refund year and region, a result row per employer.

A run is computed in chunks of employers by id range; each chunk's state lives in `RefundChunk` so
progress, retries and the final reconciliation are plain queries. Result rows are compact (facts,
reasons, rate, amount, size class, parameter versions): the step-by-step explanation is regenerated
on demand from them with the run's stored parameter versions — the same calculator, so the same steps.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.money_sql import MoneyTotalField

# Money fields are DecimalField(max_digits=14, decimal_places=2) as everywhere; totals take 16 digits:
# a province-wide total of a million employers still fits (10^14 yuan). 16 digits are more than SQLite's
# REAL keeps, so totals are MoneyTotalField (TEXT on SQLite, numeric on PostgreSQL): exact on both.

REASON_CODES = ("insufficient_months", "arrears", "layoff_rate_exceeded", "serious_dishonesty",
                "entity_type_not_covered")
REASON_LABELS = {
    "insufficient_months": "足额缴费不足12个月",
    "arrears": "存在欠费",
    "layoff_rate_exceeded": "裁员率超标",
    "serious_dishonesty": "严重失信",
    "entity_type_not_covered": "财政供款事业单位",
}
SIZE_LABELS = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}


# A run's slug wherever another service names it (payments, objections, notifications, documents).
RUN_SLUG = "refund-run"


class RefundRun(TimeStampedModel):
    class Status(models.TextChoices):
        CREATED = "created", _("已创建")
        COMPUTING = "computing", _("计算中")
        COMPUTED = "computed", _("待初审")
        FAILED = "failed", _("核对未通过")
        FIRST_REVIEWED = "first_reviewed", _("初审通过，待公示")
        PUBLICIZING = "publicizing", _("公示中")
        APPROVED = "approved", _("已审核通过")
        REJECTED = "rejected", _("已退回")
        EXPORTED = "exported", _("已导出发放清单")
        ISSUED = "issued", _("已发放")
        RECONCILED = "reconciled", _("已对账")
        # Reconciled and every paid employer's 已发放到账 notice sent (apps.refunds.services.payment).
        NOTIFIED = "notified", _("已告知")

    year = models.PositiveSmallIntegerField(_("返还年度"))
    region = models.ForeignKey("core.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    is_official = models.BooleanField(_("正式批次"), default=True, help_text=_("模拟测算（试算）不是正式批次"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.CREATED)
    # key -> value (as entered, e.g. "70") for what-if runs; empty for official runs.
    overrides = models.JSONField(_("模拟调整参数"), default=dict, blank=True)
    # key -> PolicyParameter id ("override:<id>" when overridden): the exact versions every row used.
    parameter_versions = models.JSONField(_("参数版本"), default=dict, blank=True)
    chunk_size = models.PositiveIntegerField(_("分块大小"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    computed_at = models.DateTimeField(_("计算完成时间"), null=True, blank=True)
    # 初审 (first review) and 公示 (the publication window, in working days: apps.core.workdays).
    first_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("初审人"), on_delete=models.PROTECT,
                                          related_name="+", null=True, blank=True)
    first_reviewed_at = models.DateTimeField(_("初审时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示发布时间"), null=True, blank=True)
    publicity_starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True,
                                         help_text=_("异议须在此日（含）前提出"))
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)
    failure = models.CharField(_("失败原因"), max_length=500, blank=True)
    # Control totals: fixed at the start (expected) and at reconciliation (the rest).
    employers_expected = models.PositiveIntegerField(_("应计算单位数"), default=0)
    rows_written = models.PositiveIntegerField(_("已写入结果数"), default=0)
    eligible_count = models.PositiveIntegerField(_("符合条件单位数"), default=0)
    total_amount = MoneyTotalField(_("返还总额"), max_digits=16, decimal_places=2, default=0)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    _change_reason: str  # set by the services before save(); simple_history stores it with the version

    class Meta:
        verbose_name = _("稳岗返还批次")
        verbose_name_plural = _("稳岗返还批次")
        ordering = ["-id"]
        # The 待办 list's runs awaiting review, the longest waiting first (apps.refunds.worklist).
        indexes = [models.Index(fields=["year", "id"], name="refund_run_by_year"),  # ?ordering=year
                   models.Index(fields=["status", "computed_at"], name="refund_run_status_computed"),
                   # … and those at the later stages (初审通过待公示, 公示期满待复核).
                   models.Index(fields=["status", "first_reviewed_at"], name="refund_run_status_reviewed"),
                   models.Index(fields=["status", "publicity_ends_on"], name="refund_run_status_window")]
        constraints = [
            # One official run per year and region, unless the earlier one was rejected.
            models.UniqueConstraint(fields=["year", "region"], condition=Q(is_official=True) & ~Q(status="rejected"),
                                    name="refund_run_one_official_per_year_region",
                                    violation_error_message=_("该区划该年度已有正式返还批次（未退回），不能重复发起。")),
        ]

    def __str__(self) -> str:
        kind = "正式" if self.is_official else "试算"
        return f"{self.year}年稳岗返还（{kind}）#{self.pk}"

    @property
    def facts_year(self) -> int:
        return self.year - 1

    @property
    def status_label(self) -> str:
        """The status as people read it. A dry run is never 待初审: nobody reviews or approves it."""
        if not self.is_official and self.status == self.Status.COMPUTED:
            return str(_("试算完成"))
        return self.get_status_display()

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.EXPORTED, self.Status.ISSUED,
                               self.Status.RECONCILED, self.Status.NOTIFIED)


class RefundRunTransition(models.Model):
    """One move of a run's review (apps.refunds.publicity: 初审, 公示, 复核, 退回) or payment lifecycle
    (apps.refunds.payment_lifecycle): who, when, from, to, why. `user` is empty for a move the system makes
    itself (已告知: the last 已发放到账 notice was sent)."""

    run = models.ForeignKey(RefundRun, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=16)
    to_status = models.CharField(_("新状态"), max_length=16)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                             related_name="+", null=True, blank=True, help_text=_("为空：系统自动操作"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("稳岗返还批次流转记录")
        verbose_name_plural = _("稳岗返还批次流转记录")
        ordering = ["run_id", "id"]

    def __str__(self) -> str:
        return f"{self.run_id} {self.action}"

    @property
    def actor(self) -> str:
        """Who made the move, as pages show it: the user, or 系统 for the system's own move."""
        return str(self.user) if self.user_id else "系统"

    @property
    def from_label(self) -> str:
        return str(RefundRun.Status(self.from_status).label)

    @property
    def to_label(self) -> str:
        return str(RefundRun.Status(self.to_status).label)


class RefundChunk(models.Model):
    """Employers with lo_id <= id < hi_id. Marked done in the same transaction as its rows."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")

    run = models.ForeignKey(RefundRun, on_delete=models.CASCADE, related_name="chunks")
    lo_id = models.BigIntegerField()
    hi_id = models.BigIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=100, blank=True, help_text="host:pid of the last process that took it")
    rows = models.PositiveIntegerField(default=0)
    eligible = models.PositiveIntegerField(default=0)
    amount = MoneyTotalField(max_digits=16, decimal_places=2, default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("计算分块")
        verbose_name_plural = _("计算分块")
        ordering = ["run_id", "lo_id"]
        constraints = [models.UniqueConstraint(fields=["run", "lo_id"], name="refund_chunk_unique_start",
                                               violation_error_message=_("该批次的这一段已经登记，请勿重复提交。"))]
        indexes = [models.Index(fields=["status", "started_at"], name="refund_chunk_status_idx")]

    def __str__(self) -> str:
        return f"{self.run_id}:[{self.lo_id}, {self.hi_id})"


class CurrentResults(models.Manager):
    """The current version of each row only: every reader (totals, lists, exports, payment lines,
    decisions_verify) sees one row per employer. `RefundResult.all_versions` sees the superseded ones too."""

    def get_queryset(self):
        return super().get_queryset().filter(is_current=True)


class RefundResult(models.Model):
    """One employer in one run. Never changes once the run is approved — except that an upheld objection
    (apps.refunds.objections) supersedes it: a new version (version + 1, `supersedes` the old row) is written
    from the corrected facts and the old row stays, `is_current=False`.

    The employer FK is not enforced by the database: the row is a record of a decision and must survive
    the registry (and a million FK checks per run cost seconds for nothing — ids come from the registry).
    """

    # Both lookups go through UNIQUE(run, employer); separate indexes would only slow the COPY down. The
    # run FK is not enforced by the database either: rows are only ever written by a chunk of an existing
    # run (under its lock), and a per-row foreign-key check costs seconds on a million-row COPY.
    run = models.ForeignKey(RefundRun, on_delete=models.CASCADE, related_name="results", db_index=False,
                            db_constraint=False)
    employer = models.ForeignKey("employers.Employer", on_delete=models.DO_NOTHING, db_constraint=False,
                                 db_index=False, related_name="+", verbose_name=_("单位"))
    region_code = models.CharField(_("区划代码"), max_length=12)
    # Facts (as gathered for the facts year P = year − 1).
    entity_type = models.CharField(_("单位类型"), max_length=32)
    industry = models.CharField(_("行业"), max_length=32)
    employees = models.PositiveIntegerField(_("从业人员数"), null=True)
    revenue_10k = models.DecimalField(_("营业收入（万元）"), max_digits=14, decimal_places=2, null=True)
    assets_10k = models.DecimalField(_("资产总额（万元）"), max_digits=14, decimal_places=2, null=True)
    months_paid_in_full = models.PositiveSmallIntegerField(_("足额缴费月数"))
    has_arrears = models.BooleanField(_("有欠费"))
    serious_dishonesty = models.BooleanField(_("严重失信"))
    headcount_start = models.PositiveIntegerField(_("年初参保人数"))
    headcount_end = models.PositiveIntegerField(_("年末参保人数"))
    contributions_paid = models.DecimalField(_("上年度实缴失业保险费"), max_digits=14, decimal_places=2)
    # Decision.
    size_class = models.CharField(_("企业划型"), max_length=8)
    eligible = models.BooleanField(_("符合条件"))
    reasons = models.CharField(_("不符合原因"), max_length=120, blank=True, help_text=_("原因代码，以 ; 分隔"))
    rate = models.DecimalField(_("返还比例（%）"), max_digits=5, decimal_places=2, null=True)
    amount = models.DecimalField(_("返还金额"), max_digits=14, decimal_places=2)
    parameter_versions = models.CharField(_("使用的参数版本"), max_length=200)
    # apps.eligibility.fingerprints: facts + parameter versions and values + calculator version (R1.1 + R1).
    calculator_version = models.CharField(_("计算规则版本"), max_length=32, blank=True, default="")
    fingerprint = models.CharField(_("输入指纹"), max_length=64, blank=True, default="")
    # Versions (an upheld objection): the COPY of a run leaves these to the database defaults.
    version = models.PositiveSmallIntegerField(_("版本"), default=1, db_default=1)
    is_current = models.BooleanField(_("当前版本"), default=True, db_default=True)
    supersedes = models.OneToOneField("self", verbose_name=_("更正前的版本"), on_delete=models.DO_NOTHING, null=True,
                                      blank=True, related_name="superseded_by", db_constraint=False)

    objects = CurrentResults()
    all_versions = models.Manager()  # noqa: DJ012 — a second manager, not a field

    class Meta:
        verbose_name = _("稳岗返还结果")
        verbose_name_plural = _("稳岗返还结果")
        ordering = ["run_id", "employer_id"]
        base_manager_name = "all_versions"
        default_manager_name = "objects"
        constraints = [models.UniqueConstraint(fields=["run", "employer"], condition=Q(is_current=True),
                                               name="refund_result_unique_current_employer",
                                               violation_error_message=_("该单位在本批次中已有返还结果。"))]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.employer_id}"

    @property
    def reason_codes(self) -> list[str]:
        return [code for code in self.reasons.split(";") if code]

    @property
    def reason_labels(self) -> list[str]:
        return [REASON_LABELS.get(code, code) for code in self.reason_codes]

    @property
    def size_label(self) -> str:
        return SIZE_LABELS.get(self.size_class, self.size_class)

    @property
    def decision(self) -> str:
        return "eligible" if self.eligible else "ineligible"
