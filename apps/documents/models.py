"""Official documents (告知书) as stored PDF files, for any programme that registers a NoticeSource.

A `NoticeSeries` is configuration: the 文号 prefix of one kind of notice in one region (and below), the
issuing office and the objection channel — data an administrator edits, never literals in code. A `Notice`
is one generated version of one notice: the PDF in Django's storage, its SHA-256, a random verification code,
the 文号 (kept across versions of the same notice) and the non-personal facts the public verify page shows. A
new version supersedes the old one, whose verify page then says 已失效. A `NoticeBatch` generates every
notice of a source record (a refund run) and packs them into one ZIP.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.money import MONEY_FIELD

NUMBER_FORMAT = "{prefix}〔{year}〕第{number:06d}号"


class NoticeSeries(models.Model):
    """The 文号 of one kind of notice in one region and every region below it (the longest match wins)."""

    source = models.CharField(_("告知书类别"), max_length=40, help_text=_("注册的告知书来源，如 refunds.run"))
    region = models.ForeignKey("core.Region", verbose_name=_("适用区划"), on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(_("文号前缀"), max_length=40, help_text=_("如 吉人社稳返告"))
    number_format = models.CharField(_("文号格式"), max_length=80, default=NUMBER_FORMAT,
                                     help_text=_("{prefix} 前缀，{year} 年度，{number} 当年序号"))
    issuer = models.CharField(_("发文机关"), max_length=120, blank=True,
                              help_text=_("留空时为业务所在区划的社会保险经办机构"))
    objection_channel = models.CharField(_("异议受理渠道"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("告知书文号")
        verbose_name_plural = _("告知书文号")
        ordering = ["source", "region_id"]
        constraints = [models.UniqueConstraint(fields=["source", "region"], name="notice_series_unique_region",
                                               violation_error_message=_("该区划已设置这类告知书的文号，请修改原有设置。"))]

    def __str__(self) -> str:
        return f"{self.prefix}（{self.region_id}）"

    def format_number(self, year: int, number: int) -> str:
        return self.number_format.format(prefix=self.prefix, year=year, number=number)


class NoticeCounter(models.Model):
    """The last 序号 given in one series and year (taken under a row lock)."""

    series = models.ForeignKey(NoticeSeries, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("文号序号")
        verbose_name_plural = _("文号序号")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="notice_counter_unique_year",
                                               violation_error_message=_("该文号本年度已有序号记录。"))]

    def __str__(self) -> str:
        return f"{self.series_id}/{self.year}: {self.last}"


def notice_upload_to(instance, filename: str) -> str:
    return f"notices/{instance.source.replace('.', '-')}/{instance.source_id}/{filename}"


class Notice(models.Model):
    """One generated version of one notice. Never changed after it is written, except `superseded_at`."""

    source = models.CharField(_("告知书类别"), max_length=40)
    source_id = models.PositiveBigIntegerField(_("来源记录"))
    row_key = models.CharField(_("对象"), max_length=64, help_text=_("来源记录内的对象，如单位编号"))
    region_code = models.CharField(_("区划代码"), max_length=12)
    version = models.PositiveIntegerField(_("版本"), default=1)
    number = models.CharField(_("文号"), max_length=80)
    code = models.CharField(_("验证码"), max_length=16, unique=True)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    content_sha256 = models.CharField(_("内容指纹"), max_length=64, help_text=_("内容未变时不重新生成"))
    file = models.FileField(_("PDF 文件"), upload_to=notice_upload_to, max_length=200)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    title = models.CharField(_("标题"), max_length=100)
    recipient = models.CharField(_("受送达单位"), max_length=200)
    recipient_code = models.CharField(_("统一社会信用代码（脱敏）"), max_length=32, blank=True)
    amount = models.DecimalField(_("金额（元）"), null=True, blank=True, **MONEY_FIELD)
    # [[label, value], …] in the order the verify page shows them (a list: PostgreSQL's jsonb reorders object keys).
    facts = models.JSONField(_("公开核验信息"), default=list, help_text=_("核验页公开显示的非个人信息"))
    is_draft = models.BooleanField(_("草稿"), default=False)
    generated_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT,
                                     related_name="+", null=True, blank=True)
    superseded_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["facts"])

    class Meta:
        verbose_name = _("告知书")
        verbose_name_plural = _("告知书")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id", "row_key", "version"], name="notice_unique_version",
                                    violation_error_message=_("该告知书的这一版本已经生成，请刷新后重试。")),
            models.UniqueConstraint(fields=["source", "source_id", "row_key"], condition=Q(superseded_at__isnull=True),
                                    name="notice_one_current",
                                    violation_error_message=_("该对象已有一份有效的告知书，请刷新后重试。")),
        ]
        indexes = [models.Index(fields=["source", "source_id", "row_key"], name="notice_source_row"),
                   models.Index(fields=["region_code"], name="notice_region")]

    def __str__(self) -> str:
        return f"{self.number}（第{self.version}版）"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    def fact(self, label: str) -> str:
        return next((value for name, value in self.facts if name == label), "")


class NoticeBatch(models.Model):
    """Every notice of one source record, generated in the background and packed into one ZIP."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("生成失败")

    source = models.CharField(_("告知书类别"), max_length=40)
    source_id = models.PositiveBigIntegerField(_("来源记录"))
    region_code = models.CharField(_("区划代码"), max_length=12)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("告知书总数"), default=0)
    done = models.PositiveIntegerField(_("已生成"), default=0)
    file = models.FileField(_("ZIP 文件"), upload_to="notices/batches/", max_length=200, blank=True)
    sha256 = models.CharField(_("ZIP SHA-256"), max_length=64, blank=True)
    error = models.CharField(_("失败原因"), max_length=500, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("告知书批量生成")
        verbose_name_plural = _("告知书批量生成")
        ordering = ["-id"]
        indexes = [models.Index(fields=["source", "source_id"], name="notice_batch_source")]

    def __str__(self) -> str:
        return f"{self.source} #{self.source_id}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0
