from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ReviewedModel(TimeStampedModel):
    """A record a reviewer decides on (maker-checker, apps.core.review): who decided, when, and the reviewer's
    note. The lifecycle's approve/return transitions fill them with `apps.core.review.set_reviewer`."""

    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)

    class Meta:
        abstract = True


class Region(models.Model):
    """An administrative division (GB/T 2260). The code is the key, so scoping is a prefix match."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地市级")
        COUNTY = "county", _("县区级")
        TOWNSHIP = "township", _("乡镇街道")
        VILLAGE = "village", _("村社区")

    # How many leading digits of a code the region owns: 22 → all of Jilin, 2201 → 长春市.
    SCOPE_DIGITS = {"province": 2, "prefecture": 4, "county": 6, "township": 9, "village": 12}

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    population = models.PositiveIntegerField(_("常住人口"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefix(self) -> str:
        return self.code[: self.SCOPE_DIGITS[self.level]]

    @property
    def full_name(self) -> str:
        names: list[str] = []
        node: Region | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class AccessLog(models.Model):
    """Who looked at whose personal data, when, and why (PIPL: purpose-bound access)."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看")
        EXPORT = "export", _("导出")
        API = "api", _("接口读取")
        SENSITIVE = "sensitive", _("查看敏感信息")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices, default=Action.VIEW)
    object_type = models.CharField(_("记录类型"), max_length=100)
    object_id = models.CharField(_("记录编号"), max_length=64, blank=True, help_text=_("列表和导出为空，见“列表中的记录”"))
    object_label = models.CharField(_("记录"), max_length=200, blank=True)
    # A list page, an API page or an export is one entry naming every record it showed: ",12,15,40,".
    # The commas on both ends let one record's reads be found with a LIKE on every database.
    object_ids = models.TextField(_("列表中的记录"), blank=True, default="", db_default="")
    record_count = models.PositiveIntegerField(_("记录数"), default=1, db_default=1)
    purpose = models.CharField(_("查看事由"), max_length=200, blank=True)
    path = models.CharField(_("访问地址"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("个人信息访问日志")
        verbose_name_plural = _("个人信息访问日志")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"]),
                   models.Index(fields=["-at", "-id"], name="access_log_list_sort")]  # the page's order

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.object_label}"

    @property
    def listed_ids(self) -> list[str]:
        return [part for part in self.object_ids.split(",") if part]

    @property
    def object_type_label(self) -> str:
        """The record type by its Chinese name (人员, 困境儿童个案), never `app.model`."""
        return model_label(self.object_type)


@cache
def model_label(label_lower: str) -> str:
    try:
        return str(apps.get_model(label_lower)._meta.verbose_name)
    except (LookupError, ValueError):
        return label_lower


class Heartbeat(models.Model):
    """Written by a beat-scheduled task through a worker: proves beat → broker → worker → database works."""

    worker = models.CharField(_("工作进程"), max_length=200)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务心跳")
        verbose_name_plural = _("任务心跳")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.worker} {self.at:%Y-%m-%d %H:%M:%S}"


class FormSubmission(models.Model):
    """A create form's one-time token: the first post stores it with the page it led to; a second post with
    the same token (a double click, a browser resend) is shown that page instead of creating again."""

    token = models.UUIDField(_("表单令牌"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="+")
    result_url = models.CharField(_("结果页"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表单提交记录")
        verbose_name_plural = _("表单提交记录")

    def __str__(self) -> str:
        return str(self.token)


class IdempotencyKey(models.Model):
    """An API client's `Idempotency-Key` for one creating POST (apps.core.api.idempotency): the claim, the
    request's fingerprint and the response it got, replayed for a retry with the same key and body until the
    key expires (IDEMPOTENCY_KEY_TTL_HOURS). The unique (user, key) index is what makes two concurrent
    requests with one key create once: the second waits on it until the first commits."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(_("幂等键"), max_length=255)
    endpoint = models.CharField(_("接口"), max_length=300)  # "POST /api/v1/…"
    fingerprint = models.CharField(_("请求指纹"), max_length=64)  # SHA-256 of method, path and canonical body
    status_code = models.PositiveSmallIntegerField(_("响应状态"), null=True)
    response_body = models.JSONField(_("响应内容"), null=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("接口幂等键")
        verbose_name_plural = _("接口幂等键")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_key_unique_per_user",
                                               violation_error_message=_("该幂等键已被本账号使用，请为新的请求换一个键。"))]

    def __str__(self) -> str:
        return f"{self.key} {self.endpoint}"


class CalendarDay(models.Model):
    """An exception to the ordinary week: a public holiday on a weekday, or a weekend day worked (调休).

    Days not listed are working days Monday to Friday and rest days at weekends. The administrator keeps
    the list from the State Council's yearly notice (国务院办公厅关于某年部分节假日安排的通知); the
    working-day arithmetic is `apps.core.workdays`.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50, help_text=_("如：国庆节、春节调休上班"))
    source = models.CharField(_("依据"), max_length=200, blank=True,
                              help_text=_("如：国务院办公厅关于2026年部分节假日安排的通知"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"


class SavedFilter(models.Model):
    """A user's named filter of one list (apps.core.listing): the list's key and its querystring, which is
    validated again against the list's FilterSet every time it is applied (a choice may have gone since)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="saved_filters")
    list_key = models.CharField(_("列表"), max_length=64)
    name = models.CharField(_("名称"), max_length=60)
    querystring = models.CharField(_("筛选条件"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("常用筛选")
        verbose_name_plural = _("常用筛选")
        ordering = ["user", "list_key", "name"]
        constraints = [models.UniqueConstraint(fields=["user", "list_key", "name"], name="core_saved_filter_unique_name",
                                               violation_error_message=_("已有同名的常用筛选，请换一个名称。"))]

    def __str__(self) -> str:
        return self.name


class Attachment(models.Model):
    """A file attached to a record (an objection, …): stored through Django's storage API under a name we
    made (never the client's path), its type read from its first bytes. `apps.core.attachments` writes and
    serves it; the owning app's scoped view decides who may download it."""

    owner_type = models.CharField(_("所属记录类型"), max_length=100)  # label_lower, e.g. "objections.objection"
    owner_id = models.CharField(_("所属记录编号"), max_length=64)
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("文件名"), max_length=120, help_text=_("显示和下载用的文件名（已清理）"))
    stored_name = models.CharField(_("存储路径"), max_length=200, unique=True, editable=False)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["owner_type", "owner_id", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id", "id"], name="attachment_owner_idx")]

    def __str__(self) -> str:
        return self.name


def export_upload_to(instance, filename: str) -> str:
    return f"exports/{instance.source}/{instance.source_id}/{filename}"


class ExportJob(models.Model):
    """One export of one record (a refund run's results, …) built in the background (apps.core.export_jobs):
    who asked, the progress, the stored file and when it expires. The export is recorded (access log, the
    record's own 已导出 move) when the file is ready, not when it is asked for."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("生成失败")

    ACTIVE = (Status.PENDING, Status.RUNNING)

    source = models.CharField(_("导出类别"), max_length=40, help_text=_("注册的导出来源，如 refund-run"))
    source_id = models.PositiveBigIntegerField(_("来源记录"))
    fmt = models.CharField(_("格式"), max_length=8)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已写行数"), default=0)
    file = models.FileField(_("文件"), upload_to=export_upload_to, max_length=200, blank=True)
    filename = models.CharField(_("下载文件名"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"), default=0)
    error = models.CharField(_("失败原因"), max_length=500, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    progress_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True,
                                       help_text=_("长时间没有进度的任务视为已中断，再次导出时重新排队"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("文件过期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(
            fields=["source", "source_id", "fmt", "started_by"], condition=models.Q(status__in=["pending", "running"]),
            name="export_job_one_active", violation_error_message=_("该导出正在生成中，请稍候。"))]
        indexes = [models.Index(fields=["source", "source_id"], name="export_job_source")]

    def __str__(self) -> str:
        return f"{self.source} #{self.source_id} {self.fmt}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)
