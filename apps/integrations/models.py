"""The outbound outbox: one row per record pushed to another platform (a snapshot of the record at the write).

Written in the caller's transaction (apps.integrations.services.outbound_enqueue) and delivered after the commit
by Celery through apps.core.outbox — the mechanism the notification outbox uses too.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.outbox import OutboxRow, OutboxStatus
from apps.core.validators import mask_id_number


class Destination(models.TextChoices):
    JOB_MATCHING = "job_matching", _("就业岗位匹配平台")


class OutboundMessage(OutboxRow):
    class Status(models.TextChoices):
        PENDING = OutboxStatus.PENDING, _("待发送")
        SENDING = OutboxStatus.SENDING, _("发送中")
        SENT = OutboxStatus.SENT, _("已发送")
        FAILED = OutboxStatus.FAILED, _("失败")
        DEAD = OutboxStatus.DEAD, _("放弃")

    message_id = models.UUIDField(_("消息编号"), default=uuid.uuid4, unique=True, editable=False,
                                  help_text=_("接收方据此去重"))
    destination = models.CharField(_("推送目标"), max_length=24, choices=Destination.choices,
                                   default=Destination.JOB_MATCHING)
    kind = models.CharField(_("推送内容"), max_length=40)
    event = models.CharField(_("变动"), max_length=16, default="created", help_text=_("created 新登记；updated 修改"))
    source = models.CharField(_("业务来源"), max_length=40)
    source_id = models.PositiveBigIntegerField(_("来源记录"))
    region = models.ForeignKey("core.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField(_("推送内容快照"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Who pressed 重新发送 (and each claim of a worker) is kept here; the payload never changes.
    history = HistoricalRecords(excluded_fields=["payload", "claim_token"])

    class Meta:
        verbose_name = _("对外推送消息")
        verbose_name_plural = _("对外推送消息")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_due"),
            models.Index(fields=["source", "source_id"], name="outbound_source"),
            models.Index(fields=["region"], name="outbound_region_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_destination_display()} · {self.kind} #{self.source_id}"

    @property
    def masked_payload(self) -> dict:
        return mask_payload(self.payload)


PERSONAL_KEYS = {"id_number": mask_id_number}


def mask_payload(value):
    """The payload as pages, the API and logs may show it: ID numbers masked wherever they sit."""
    if isinstance(value, dict):
        return {key: (PERSONAL_KEYS[key](item) if key in PERSONAL_KEYS and isinstance(item, str) else mask_payload(item))
                for key, item in value.items()}
    if isinstance(value, list):
        return [mask_payload(item) for item in value]
    return value
