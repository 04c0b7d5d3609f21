"""The notification outbox and its templates.

A `Message` is written in the caller's transaction (apps.notifications.services.enqueue), so it commits with
the business change or not at all; delivery happens after the commit, by Celery, one claim per message.
A `MessageTemplate` is the Chinese text of one event on one channel, edited in the admin.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.outbox import OutboxRow, OutboxStatus


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    INBOX = "inbox", _("站内信")
    EMAIL = "email", _("电子邮件")


class MessageTemplate(models.Model):
    """Subject and body of one event on one channel, in Django template syntax (validated on save)."""

    event = models.CharField(_("事件"), max_length=40)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    subject = models.CharField(_("标题模板"), max_length=200, blank=True,
                               help_text=_("短信不使用标题；站内信和电子邮件的标题"))
    body = models.TextField(_("正文模板"), max_length=2000)
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用后该渠道不再发送此事件的通知"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        ordering = ["event", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="notification_template_event_channel",
                                    violation_error_message=_("该事件在该渠道已有模板，请修改原有模板。")),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_channel_display()}"


class Message(OutboxRow):
    """One notification to one recipient on one channel: the outbox row (apps.core.outbox) and, for 站内信, the
    inbox item."""

    class Status(models.TextChoices):
        PENDING = OutboxStatus.PENDING, _("待发送")
        SENDING = OutboxStatus.SENDING, _("发送中")
        SENT = OutboxStatus.SENT, _("已发送")
        FAILED = OutboxStatus.FAILED, _("发送失败，待重试")
        DEAD = OutboxStatus.DEAD, _("发送失败，已停止重试")

    event = models.CharField(_("事件"), max_length=40)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    recipient_name = models.CharField(_("收件人"), max_length=200)
    recipient_address = models.CharField(_("收件地址"), max_length=254, blank=True,
                                         help_text=_("手机号或电子邮箱；站内信为空"))
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("收件用户"), on_delete=models.CASCADE,
                                       null=True, blank=True, related_name="+")
    region = models.ForeignKey("core.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    # One message per (event occurrence, recipient, channel): enqueueing the same event again adds nothing.
    dedupe_key = models.CharField(_("去重键"), max_length=200, unique=True)
    source = models.CharField(_("业务来源"), max_length=40, blank=True, help_text=_("如 refund-run"))
    source_id = models.PositiveBigIntegerField(_("来源记录"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知消息")
        verbose_name_plural = _("通知消息")
        ordering = ["-id"]
        indexes = [
            # The sweeper: due pending/failed messages, and sending ones past their lease.
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["source", "source_id", "event"], name="notification_source"),
            models.Index(fields=["region"], name="notification_region_prefix", opclasses=["varchar_pattern_ops"]),
            # The inbox: my 站内信, newest first, and the unread count.
            models.Index(fields=["recipient_user", "channel", "-id"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_name}"

    @property
    def masked_address(self) -> str:
        return mask_address(self.recipient_address)


def mask_address(value: str) -> str:
    """138****5678 and z***@example.cn: lists show this much of a phone number or an e-mail address."""
    if not value:
        return ""
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(value) <= 7:
        return "*" * (len(value) - 2) + value[-2:]
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
