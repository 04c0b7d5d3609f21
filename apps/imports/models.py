from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One run of one file: who, when, which file (name + sha256), the counts and the outcome.

    Contribution rows link to the batch that last wrote them instead of carrying per-row history.
    """

    class Kind(models.TextChoices):
        EMPLOYERS = "employers", _("用人单位")
        CONTRIBUTIONS = "contributions", _("失业保险缴费")
        APPLICANTS = "applicants", _("劳动者与申请人")
        ATTENDANCE = "attendance", _("托育月度出勤")
        TRAINING_ENROLLMENTS = "training_enrollments", _("培训学员报名")
        PAYMENT_RETURNS = "payment_returns", _("银行回盘（发放结果）")
        STARTUP_LOAN_REPAYMENTS = "startup_loan_repayments", _("创业担保贷款还款计划")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        SUCCEEDED = "succeeded", _("导入成功")
        REJECTED = "rejected", _("校验未通过，未导入")
        FAILED = "failed", _("导入失败")

    kind = models.CharField(_("导入类型"), max_length=32, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64, db_index=True)
    source = models.CharField(_("来源"), max_length=16, default="ui")  # ui / api / command
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    scope_prefix = models.CharField(_("经办区划范围"), max_length=12, blank=True)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("数据行数"), default=0)
    rows_created = models.PositiveIntegerField(_("新增"), default=0)
    rows_updated = models.PositiveIntegerField(_("更新"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    # A large upload runs in the background (apps.imports.tasks): the file waits in the storage until then.
    stored_file = models.CharField(_("待处理文件"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"


class ImportIssue(models.Model):
    """One problem in one cell (or one row, or the file). Written in chunks while validating, so a file with
    a million bad rows still validates in bounded memory and every bad row is reported."""

    batch = models.ForeignKey(ImportBatch, verbose_name=_("导入批次"), on_delete=models.CASCADE,
                              related_name="issues")
    line = models.PositiveIntegerField(_("行号"))  # 0 = the file as a whole
    column = models.CharField(_("列"), max_length=64, blank=True)
    value = models.CharField(_("内容"), max_length=200, blank=True)
    message = models.CharField(_("原因"), max_length=300)

    class Meta:
        verbose_name = _("导入错误")
        verbose_name_plural = _("导入错误")
        ordering = ["batch_id", "line", "id"]

    def __str__(self) -> str:
        return f"第{self.line}行 {self.column}: {self.message}"
