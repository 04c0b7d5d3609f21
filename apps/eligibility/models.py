from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.eligibility.calculators.registry import CALCULATORS


class PolicyParameter(TimeStampedModel):
    """One version of one policy number: a value, its validity period, its region and its legal source.

    A province row applies everywhere below it; a city row overrides it for that city. Two versions of
    the same key and region may not be in force on the same day (checked by the service).
    """

    class ValueType(models.TextChoices):
        DECIMAL = "decimal", _("金额/数值")
        INTEGER = "integer", _("整数")
        PERCENTAGE = "percentage", _("百分比")
        DATE = "date", _("日期")
        REGION_LIST = "region_list", _("区划代码列表")
        TABLE = "table", _("表格")

    key = models.CharField(_("参数键"), max_length=100, db_index=True)
    name = models.CharField(_("参数名称"), max_length=200)
    value_type = models.CharField(_("值类型"), max_length=16, choices=ValueType.choices)
    value = models.JSONField(_("参数值"), help_text=_("金额、百分比写成字符串，如 \"3600.00\"、\"5.5\"（表示5.5%）"))
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("留空表示长期有效"))
    region = models.ForeignKey("core.Region", verbose_name=_("适用区划"), on_delete=models.PROTECT,
                               related_name="+", default=settings.PORTAL_ROOT_REGION)
    source_title = models.CharField(_("依据文件"), max_length=300, help_text=_("文件标题本身，不含书名号"))
    source_number = models.CharField(_("文号"), max_length=100, blank=True)
    source_issuer = models.CharField(_("发文机关"), max_length=300, blank=True)
    source_date = models.DateField(_("成文日期"), null=True, blank=True, help_text=_("来源未载明日期的留空"))
    source_note = models.CharField(_("依据说明"), max_length=300, blank=True,
                                   help_text=_("如：国家政策（非本省文件）、据某报道、示例值待管理员录入"))
    # The archive copy's file name, for the back office only: never shown as a source.
    source_file = models.CharField(_("原文文件"), max_length=100, blank=True)
    # Set when a stored decision (determination, refund run, childcare or training claim) first uses the
    # version: from then on its value, value type, key, region and start date are fixed, and its end date
    # may only be set on or after `used_until`, the latest day a stored decision applied it on.
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True, editable=False,
                                     help_text=_("已有决定使用该版本的时间；冻结后参数值、有效期和区划不能修改"))
    used_until = models.DateField(_("已使用至"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "frozen_at", "used_until"])

    class Meta:
        verbose_name = _("政策参数")
        verbose_name_plural = _("政策参数")
        ordering = ["key", "region_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "region", "valid_from"], name="parameter_unique_version_start",
                                    violation_error_message=_("该参数在同一区划、同一生效日期已有版本，请改用新的生效日期另增版本。")),
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                                   name="parameter_valid_to_after_from",
                                   violation_error_message=_("参数的失效日期不能早于生效日期，请核对日期。")),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from:%Y-%m-%d}起）"

    @property
    def source(self) -> str:
        """The citation shown on pages, notices and exports: title and 文号 — never the archive file name
        (`source_file` is for the back office only)."""
        title = self.source_title if self.source_title.startswith("《") else f"《{self.source_title}》"
        details = [part for part in (self.source_number, f"{self.source_date:%Y年%-m月%-d日}" if self.source_date
                                     else "") if part]
        text = f"{self.source_issuer}{title}" + (f"（{'，'.join(details)}）" if details else "")
        return f"{text}；{self.source_note}" if self.source_note else text

    @property
    def citation(self) -> str:
        """A notice's basis line: the issuer, the document by its title and its 文号 — never the archive file."""
        title = self.source_title if self.source_title.startswith("《") else f"《{self.source_title}》"
        return f"{self.source_issuer}{title}" + (f"（{self.source_number}）" if self.source_number else "")

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None



class Determination(TimeStampedModel):
    """A stored decision: the facts, the parameters in force and the whole explanation, as computed then.

    Nothing here is recomputed on display — an old decision shows the values of its day even after an
    administrator has changed a parameter. `parameter_versions` are the PolicyParameter ids used; the values
    themselves are in `result["parameters"]`.
    """

    calculator = models.CharField(_("测算项目"), max_length=64, db_index=True)
    label = models.CharField(_("说明"), max_length=200, blank=True)
    as_of = models.DateField(_("参数适用日期"))
    region = models.ForeignKey("core.Region", verbose_name=_("经办区划"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("applicants.Person", verbose_name=_("人员"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="determinations")
    employer = models.ForeignKey("employers.Employer", verbose_name=_("用人单位"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="determinations")
    facts = models.JSONField(_("事实"))
    result = models.JSONField(_("测算结果"))
    eligible = models.BooleanField(_("是否符合条件"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    parameter_versions = models.JSONField(_("所用参数版本"), default=list)
    # apps.eligibility.fingerprints: SHA-256 of facts + parameter versions and values + calculator version.
    calculator_version = models.CharField(_("计算规则版本"), max_length=32, blank=True)
    fingerprint = models.CharField(_("输入指纹"), max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("待遇测算决定")
        verbose_name_plural = _("待遇测算决定")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(person__isnull=True) | models.Q(employer__isnull=True),
                                   name="determination_one_subject",
                                   violation_error_message=_("一条认定结果只能对应一名人员或一家单位，请只选择其中一个。")),
        ]
        indexes = [
            models.Index(fields=["person", "calculator", "as_of"]),
            models.Index(fields=["created_at", "id"], name="determination_list_sort"),
        ]

    def __str__(self) -> str:
        return f"{self.calculator_title} #{self.pk}"

    @property
    def calculator_title(self) -> str:
        entry = CALCULATORS.get(self.calculator)
        return entry.title if entry else self.calculator

    @property
    def subject(self):
        return self.person or self.employer


class BenefitMatch(TimeStampedModel):
    """免申即享: a person the daily job found qualifying for a benefit they have not received yet.

    One row per (person, calculator, year): a re-run finds the same row and adds nothing.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        HANDLED = "handled", _("已办理")
        DISMISSED = "dismissed", _("不予办理")

    person = models.ForeignKey("applicants.Person", verbose_name=_("人员"), on_delete=models.CASCADE,
                               related_name="benefit_matches")
    calculator = models.CharField(_("测算项目"), max_length=64)
    year = models.PositiveSmallIntegerField(_("年度"))
    label = models.CharField(_("说明"), max_length=200, blank=True)
    as_of = models.DateField(_("参数适用日期"))
    facts = models.JSONField(_("事实"))
    result = models.JSONField(_("测算结果"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    note = models.CharField(_("处理说明"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("主动发现")
        verbose_name_plural = _("主动发现")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at", "id"], name="benefit_match_list_sort")]
        constraints = [
            models.UniqueConstraint(fields=["person", "calculator", "year"], name="benefit_match_unique_key",
                                    violation_error_message=_("该人员本年度已有同一项目的主动发现线索，请在原有线索中处理。")),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.calculator} {self.year}"

    @property
    def calculator_title(self) -> str:
        entry = CALCULATORS.get(self.calculator)
        return entry.title if entry else self.calculator


class VerificationRun(models.Model):
    """One `decisions_verify` run: every stored decision recomputed from its stored inputs and versions.

    Chunks (VerificationChunk) are checked by tasks; the last one to finish totals them here."""

    class Status(models.TextChoices):
        RUNNING = "running", _("核验中")
        PASSED = "passed", _("全部一致")
        FAILED = "failed", _("发现不一致")

    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.RUNNING)
    kinds = models.JSONField(_("核验类别"), default=list)
    since = models.DateField(_("起始日期"), null=True, blank=True)
    checked = models.PositiveIntegerField(_("已核验"), default=0)
    mismatches = models.PositiveIntegerField(_("不一致"), default=0)
    unverifiable = models.PositiveIntegerField(_("无法核验（旧记录无输入）"), default=0)
    by_kind = models.JSONField(_("分类结果"), default=dict, blank=True)
    chunks_total = models.PositiveIntegerField(_("分块数"), default=0)

    class Meta:
        verbose_name = _("决定核验")
        verbose_name_plural = _("决定核验")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"决定核验 #{self.pk}"


class VerificationChunk(models.Model):
    """Records of one kind with lo <= id < hi, checked by one task."""

    run = models.ForeignKey(VerificationRun, on_delete=models.CASCADE, related_name="chunks")
    kind = models.CharField(max_length=32)
    lo_id = models.BigIntegerField()
    hi_id = models.BigIntegerField()
    done = models.BooleanField(default=False)
    checked = models.PositiveIntegerField(default=0)
    mismatches = models.PositiveIntegerField(default=0)
    unverifiable = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run_id", "kind", "lo_id"]
        constraints = [models.UniqueConstraint(fields=["run", "kind", "lo_id"], name="verification_chunk_unique",
                                               violation_error_message=_("该核验任务的这一段已经登记，请勿重复提交。"))]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.kind}:[{self.lo_id}, {self.hi_id})"


class VerificationMismatch(models.Model):
    run = models.ForeignKey(VerificationRun, on_delete=models.CASCADE, related_name="mismatch_rows")
    kind = models.CharField(_("类别"), max_length=32)
    record = models.CharField(_("记录"), max_length=100)
    message = models.CharField(_("说明"), max_length=500)

    class Meta:
        verbose_name = _("核验不一致")
        verbose_name_plural = _("核验不一致")
        ordering = ["run_id", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.record}"
