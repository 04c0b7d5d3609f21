"""异议: an objection against one published result (one row of a source record: a refund run's employer).

Generic: the source's slug, the record's id and the row's key name the result (`refund-run` / run id /
employer id); `result_id` is the exact version of the result cited (refunds: the RefundResult row). An open
objection (lodged, under review) *holds* its row: the source leaves it out of payment (apps.refunds.payments).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel


class Objection(TimeStampedModel):
    class Status(models.TextChoices):
        LODGED = "lodged", _("已提出")
        UNDER_REVIEW = "under_review", _("复核中")
        UPHELD = "upheld", _("异议成立")
        REJECTED = "rejected", _("异议不成立")

    class Channel(models.TextChoices):
        API = "api", _("单位通过接口提出")
        ON_BEHALF = "on_behalf", _("经办人代为录入")

    OPEN = (Status.LODGED, Status.UNDER_REVIEW)

    source = models.CharField(_("来源"), max_length=32)
    record_id = models.PositiveBigIntegerField(_("记录编号"))
    row_key = models.CharField(_("行"), max_length=64)
    result_id = models.PositiveBigIntegerField(_("所针对的结果版本"))
    region = models.ForeignKey("core.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    subject_name = models.CharField(_("异议人"), max_length=200)
    subject_code = models.CharField(_("统一社会信用代码"), max_length=32, blank=True)
    disputed_item = models.CharField(_("异议事项代码"), max_length=64)
    disputed_label = models.CharField(_("异议事项"), max_length=200)
    grounds = models.TextField(_("异议理由"), max_length=2000)
    channel = models.CharField(_("提出方式"), max_length=16, choices=Channel.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                   related_name="+")
    deadline = models.DateField(_("异议截止日期"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), on_delete=models.PROTECT,
                                 related_name="+", null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.LODGED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_reasons = models.TextField(_("决定理由"), blank=True, max_length=2000)
    corrected_facts = models.JSONField(_("更正后的事实"), default=dict, blank=True)
    new_result_id = models.PositiveBigIntegerField(_("更正后的结果版本"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    _change_reason: str

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "record_id", "row_key"],
                                    condition=Q(status__in=["lodged", "under_review"]),
                                    name="objection_one_open_per_result",
                                    violation_error_message=_("该结果已有未办结的异议，请勿重复提出。")),
        ]
        indexes = [
            models.Index(fields=["source", "record_id", "-id"], name="objection_record_idx"),
            models.Index(fields=["-id", "region"], name="objection_list_idx"),
            # Open objections on the 待办 list, the earliest deadline first (apps.objections.worklist).
            models.Index(fields=["deadline", "id"], name="objection_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"异议 #{self.pk}（{self.subject_name}）"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ObjectionEvent(models.Model):
    """One move of an objection: who, when, from, to, why."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                             related_name="+")
    note = models.TextField(_("说明"), blank=True, max_length=2000)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("异议办理记录")
        verbose_name_plural = _("异议办理记录")
        ordering = ["objection_id", "id"]

    def __str__(self) -> str:
        return f"{self.objection_id} {self.action}"
