"""Delivery channels, pluggable by setting: NOTIFICATION_CHANNELS maps a channel code to a class path.

A channel's `send(message)` returns the provider's id for the delivery (may be "") or raises:
`DeliveryError` — worth retrying (a gateway timeout), `PermanentDeliveryError` — not (an invalid number).

- 短信 (`sms`) goes through an `SmsGateway` (apps.notifications.sms): a file or console gateway by default; a
  real operator's gateway is a class with the same `send(phone=, text=, idempotency_key=)` named in
  NOTIFICATION_SMS_GATEWAY (docs/notifications.md).
- 电子邮件 (`email`) goes through Django's mail backend (EMAIL_BACKEND: console in development, locmem in tests,
  SMTP in production).
- 站内信 (`inbox`) is the message itself: delivering it makes it visible in the recipient's inbox.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from apps.notifications.models import Message
from apps.notifications.sms import sms_gateway


class DeliveryError(Exception):
    """A failure worth retrying."""


class PermanentDeliveryError(DeliveryError):
    """A failure no retry will mend (the address is invalid): the message is dead at once."""


class NotificationChannel(Protocol):
    def send(self, message: Message) -> str: ...


class SmsChannel:
    def send(self, message: Message) -> str:
        if not message.recipient_address:
            raise PermanentDeliveryError("没有手机号")
        try:
            return sms_gateway().send(phone=message.recipient_address, text=message.body,
                                      idempotency_key=message.dedupe_key)
        except ValueError as error:  # the gateway refused the number or the text
            raise PermanentDeliveryError(str(error)) from error
        except OSError as error:
            raise DeliveryError(str(error)) from error


class EmailChannel:
    def send(self, message: Message) -> str:
        if not message.recipient_address:
            raise PermanentDeliveryError("没有电子邮箱")
        email = EmailMessage(subject=message.subject or settings.PORTAL_NAME, body=message.body,
                             from_email=settings.DEFAULT_FROM_EMAIL, to=[message.recipient_address],
                             headers={"X-Notification-Key": message.dedupe_key})
        try:
            email.send(fail_silently=False)
        except OSError as error:  # smtplib's errors are OSErrors: the server was unreachable or refused
            raise DeliveryError(str(error)) from error
        return ""


class InboxChannel:
    def send(self, message: Message) -> str:
        if message.recipient_user_id is None:
            raise PermanentDeliveryError("没有收件用户")
        return ""  # marked sent in the same transaction: it shows in the inbox from then on


@cache
def _channel(path: str) -> NotificationChannel:
    return import_string(path)()


def channel_get(code: str) -> NotificationChannel:
    path = settings.NOTIFICATION_CHANNELS.get(code)
    if not path:
        raise PermanentDeliveryError(f"未配置通知渠道 {code}")
    return _channel(path)
