"""Writes of the notification service: enqueue into the outbox, claim and deliver one message, sweep, inbox reads.

`enqueue` runs inside the caller's transaction: the rows commit with the business change (none for a rolled-back
one) and their delivery tasks are sent on commit, by name. Delivery claims the message first — on PostgreSQL
with SELECT … FOR UPDATE SKIP LOCKED, and a `sending` status with a lease — so two workers never both send it.
A failure is retried with exponential backoff up to NOTIFICATION_MAX_ATTEMPTS, then the message is dead.
The sweeper (beat) re-dispatches due messages and those whose sender died while holding the claim.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.outbox import Outbox
from apps.core.scoping import user_can_see_region
from apps.notifications.channels import DeliveryError, PermanentDeliveryError, channel_get
from apps.notifications.dispatch import dispatch
from apps.notifications.events import Recipient, event_get, sent_listeners
from apps.notifications.models import Channel, Message, MessageTemplate
from apps.notifications.rendering import TemplateProblem, render_text
from apps.notifications.sms import mobile_number

logger = logging.getLogger(__name__)

S = Message.Status
KEY_MAX = Message._meta.get_field("dedupe_key").max_length or 200
LOOKUP_CHUNK = 500


def _key(base: str, recipient: Recipient, channel: str) -> str:
    key = f"{base}|{recipient.key}|{channel}"
    return key if len(key) <= KEY_MAX else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _addresses(recipient: Recipient) -> dict[str, Any]:
    return {Channel.SMS: mobile_number(recipient.phone), Channel.EMAIL: (recipient.email or "").strip(),
            Channel.INBOX: recipient.user_id}


@transaction.atomic
def enqueue(event: str, recipients: Iterable[Recipient], context: Mapping[str, Any], dedupe_key: str,
            ref: tuple[str, int | None] = ("", None)) -> int:
    """Put one message per recipient and channel into the outbox; returns how many are new.

    Call it inside the transaction of the business change. `dedupe_key` names the occurrence of the event
    ("refund-run:12:published"); with the recipient's key and the channel it is unique, so enqueueing the same
    occurrence again adds nothing. `ref` = (source slug, record id) says what the message is about.
    A template that does not render gives a dead message (visible in the admin), never a failed business change.
    """
    found = event_get(event)
    if found is None:
        raise ApplicationError("unknown_notification_event", f"未登记的通知事件：{event}")
    templates = {t.channel: t for t in MessageTemplate.objects.filter(event=event, active=True)}
    now = timezone.now()
    rows = []
    for recipient in recipients:
        for channel, address in _addresses(recipient).items():
            template = templates.get(channel)
            if channel not in found.channels or not address or template is None:
                continue
            variables = {"portal_name": settings.PORTAL_NAME, **context, **recipient.context,
                         "recipient_name": recipient.name}
            try:
                subject = render_text(template.subject, variables)[:200] if template.subject else ""
                body, status, error = render_text(template.body, variables), S.PENDING, ""
            except TemplateProblem as problem:
                subject, body, status, error = "", "", S.DEAD, f"模板无法渲染：{problem}"[:500]
            rows.append(Message(
                event=event, channel=channel, recipient_name=recipient.name[:200],
                recipient_address="" if channel == Channel.INBOX else address,
                recipient_user_id=address if channel == Channel.INBOX else None, region_id=recipient.region_code,
                subject=subject, body=body, dedupe_key=_key(dedupe_key, recipient, channel), source=ref[0],
                source_id=ref[1], status=status, last_error=error, next_attempt_at=now))
    keys = [row.dedupe_key for row in rows]
    existing: set[str] = set()
    for start in range(0, len(keys), LOOKUP_CHUNK):
        existing.update(Message.objects.filter(dedupe_key__in=keys[start:start + LOOKUP_CHUNK])
                        .values_list("dedupe_key", flat=True))
    new = [row for row in rows if row.dedupe_key not in existing]
    # ignore_conflicts: a concurrent enqueue of the same occurrence that committed first wins; this one adds nothing
    Message.objects.bulk_create(new, batch_size=LOOKUP_CHUNK, ignore_conflicts=True)
    new_keys = [row.dedupe_key for row in new if row.status == S.PENDING]
    if new_keys:
        transaction.on_commit(lambda: dispatch_keys(new_keys))
    logger.info("notifications enqueued", extra={"event": event, "new": len(new), "dedupe_key": dedupe_key})
    return len(new)


def dispatch_keys(keys: list[str]) -> None:
    """After the commit: one delivery task per pending message of these keys."""
    for start in range(0, len(keys), LOOKUP_CHUNK):
        dispatch(Message.objects.filter(dedupe_key__in=keys[start:start + LOOKUP_CHUNK], status=S.PENDING)
                 .values_list("pk", flat=True))


# ------------------------------------------------------------------ delivery (apps.core.outbox)

OUTBOX = Outbox(model=Message, settings_prefix="NOTIFICATION", dispatch=dispatch, name="notification")


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: base · 2^(n-1), at most the maximum (settings)."""
    return OUTBOX.retry_delay(attempts)


def message_claim(*, message_id: int, now: datetime | None = None) -> tuple[Message, str] | None:
    """Take the message for sending, or None when it is not ours to send (apps.core.outbox.Outbox.claim)."""
    return OUTBOX.claim(message_id, now=now)


def _on_sent(message: Message) -> None:
    if message.source and message.source_id is not None:
        source, source_id, event = message.source, message.source_id, message.event
        transaction.on_commit(lambda: _tell_sent(source, source_id, event))


def message_deliver(*, message_id: int, now: datetime | None = None) -> str:
    """Claim, send, record the outcome: "sent", "failed" (a retry is scheduled), "dead" or "skipped"."""
    return OUTBOX.deliver(message_id, lambda message: channel_get(message.channel).send(message),
                          transient=(DeliveryError,), permanent=(PermanentDeliveryError,), on_sent=_on_sent, now=now)


def _tell_sent(source: str, source_id: int, event: str) -> None:
    """After the "sent" commit: the record's listeners (apps.notifications.events.register_sent_listener). A
    listener that fails is logged and never undoes the delivery; the next message of the record tells it again."""
    for listener in sent_listeners(source):
        try:
            listener(source_id, event)
        except Exception:
            logger.exception("notification sent listener failed", extra={"source": source, "source_id": source_id,
                                                                       "event": event})


def _record_failure(message: Message, token: str, error: Exception, *, permanent: bool,
                    now: datetime | None = None) -> str:
    return OUTBOX.record_failure(message, token, error, permanent=permanent, now=now)


def messages_sweep(*, now: datetime | None = None, limit: int | None = None) -> int:
    """Re-dispatch messages whose task was lost or whose sender died (apps.core.outbox.Outbox.sweep)."""
    return OUTBOX.sweep(now=now, limit=limit)


@transaction.atomic
def message_retry(*, user, message_id: int) -> Message:
    """An operator sends a dead or failed message again (after correcting the address, say): attempts restart."""
    message = Message.objects.select_for_update().filter(pk=message_id).first()
    if message is None or not user_can_see_region(user, message.region_id):
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    if message.status not in (S.DEAD, S.FAILED):
        raise ApplicationError("message_not_failed", "只有发送失败的消息可以重新发送")
    OUTBOX.restart(message)
    logger.info("notification retried", extra={"message_id": message.pk, "by": user.pk})
    return message


# ------------------------------------------------------------------ the inbox

def _inbox(user):
    return Message.objects.filter(recipient_user=user, channel=Channel.INBOX, status=S.SENT)


@transaction.atomic
def inbox_mark_read(*, user, message_id: int) -> Message:
    message = _inbox(user).filter(pk=message_id).first()
    if message is None:
        raise NotFoundError("not_found", "消息不存在或无权访问。")
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


@transaction.atomic
def inbox_mark_all_read(*, user) -> int:
    return _inbox(user).filter(read_at__isnull=True).update(read_at=timezone.now())
