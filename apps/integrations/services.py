"""Writes of the outbound push: enqueue in the caller's transaction, deliver one message, sweep, 重新发送.

The delivery mechanism is apps.core.outbox (claim with SELECT … FOR UPDATE SKIP LOCKED and a lease, retries with
exponential backoff up to INTEGRATION_MAX_ATTEMPTS, then 放弃; the beat sweeper) — the one the notifications use.
Logs carry the message's ids, never its payload (ID numbers).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.outbox import Outbox, task_dispatcher
from apps.core.scoping import user_can_see_region
from apps.integrations.backends import DeliveryError, backend_get
from apps.integrations.kinds import kind_get
from apps.integrations.models import Destination, OutboundMessage

logger = logging.getLogger(__name__)

S = OutboundMessage.Status
DELIVER_TASK = "apps.integrations.tasks.deliver"
OUTBOX = Outbox(model=OutboundMessage, settings_prefix="INTEGRATION", dispatch=task_dispatcher(DELIVER_TASK),
                sent_field="delivered_at", name="outbound message")


@transaction.atomic
def outbound_enqueue(*, kind: str, source_id: int, region_code: str, payload: Mapping[str, Any],
                     event: str = "created", destination: str = Destination.JOB_MATCHING) -> OutboundMessage:
    """Put a snapshot of a record into the outbox. Call it inside the transaction of the record's write: the row
    commits with it (none for a rolled-back write) and its delivery task is sent on commit, by name."""
    found = kind_get(kind)
    if found is None:
        raise ApplicationError("unknown_outbound_kind", f"未登记的推送内容：{kind}")
    message = OutboundMessage.objects.create(kind=kind, source=found.source, source_id=source_id, event=event,
                                             region_id=region_code, payload=dict(payload), destination=destination,
                                             next_attempt_at=timezone.now())
    pk = message.pk
    transaction.on_commit(lambda: OUTBOX.dispatch_pending([pk]))
    logger.info("outbound message enqueued", extra={"outbound_id": pk, "kind": kind, "source_id": source_id,
                                                    "event": event})
    return message


def outbound_deliver(*, message_id: int, now: datetime | None = None) -> str:
    """Claim, send through the configured backend, record: "sent", "failed", "dead" or "skipped"."""
    return OUTBOX.deliver(message_id, lambda message: backend_get().send(message), transient=(DeliveryError,),
                          now=now)


def outbound_sweep(*, now: datetime | None = None, limit: int | None = None) -> int:
    return OUTBOX.sweep(now=now, limit=limit)


@transaction.atomic
def outbound_resend(*, user, message_id: int) -> OutboundMessage:
    """重新发送: an operator restarts a failed or abandoned message (after the receiver is mended): attempts restart.
    Scoped by the message's region (else 404); the change is kept in the message's history with the user."""
    message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None or not user_can_see_region(user, message.region_id):
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    if message.status not in (S.DEAD, S.FAILED):
        raise ApplicationError("outbound_not_failed", "只有发送失败或已放弃的推送可以重新发送",
                               {"status": [f"当前状态“{message.get_status_display()}”不能重新发送"]})
    message._history_user = user  # type: ignore[attr-defined]  # simple_history: who pressed 重新发送
    OUTBOX.restart(message)
    logger.info("outbound message resent", extra={"outbound_id": message.pk, "by": user.pk})
    return message
