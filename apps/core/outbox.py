"""The one outbox mechanism: claim a row, send it, record the outcome, retry with backoff, sweep lost rows.

Used by the notification outbox (apps.notifications: 短信/站内信/电子邮件) and the outbound push to other
platforms (apps.integrations). A model keeps the delivery columns of `OutboxRow` and a `status` with the values
of `OutboxStatus` (its own Chinese labels); an `Outbox` names the model, its settings prefix (`<PREFIX>_MAX_ATTEMPTS`,
`_RETRY_BASE_SECONDS`, `_RETRY_MAX_SECONDS`, `_LEASE_SECONDS`, `_SWEEP_LIMIT`: operational settings, not policy
parameters), the column that records the delivery time and the function that dispatches delivery tasks by name.

- **claim**: the row `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL), status `sending`, `claimed_at`, a claim token,
  `attempts + 1`, committed — so two workers never send the same row at the same time;
- **record**: only while the claim token is still ours (a worker whose lease ran out records nothing);
- **failure**: exponential backoff base · 2^(n-1), capped, and `dead` after the maximum (or at once when permanent);
- **sweep** (beat): due pending/failed rows whose task was lost, `sending` rows past their lease.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class OutboxStatus:
    """The stored values every outbox shares (each model gives them its own labels in its TextChoices)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"


S = OutboxStatus


class OutboxRow(models.Model):
    """The delivery columns of an outbox row (the model adds `status` with its labels and its own content)."""

    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    claim_token = models.CharField(_("领取标识"), max_length=32, blank=True)

    class Meta:
        abstract = True


def task_dispatcher(task_name: str) -> Callable[..., None]:
    """dispatch(ids, countdown=None): one task per id, sent by name (services never import tasks). Call it from
    transaction.on_commit."""

    def dispatch(ids: Iterable[int], countdown: float | None = None) -> None:
        from celery import current_app

        task = current_app.tasks[task_name]
        for pk in ids:
            task.apply_async((pk,), countdown=countdown)

    return dispatch


class PermanentFailure(Exception):
    """A failure no retry mends: the row is dead at once."""


@dataclass(frozen=True)
class Outbox:
    model: type[models.Model]
    settings_prefix: str
    dispatch: Callable[..., None]  # dispatch(ids, countdown=None): one task per id, by name
    sent_field: str = "sent_at"
    name: str = "outbox"

    def setting(self, name: str) -> int:
        return int(getattr(settings, f"{self.settings_prefix}_{name}"))

    def retry_delay(self, attempts: int) -> timedelta:
        """Exponential backoff after the n-th failed attempt: base · 2^(n-1) seconds, at most the maximum."""
        seconds = self.setting("RETRY_BASE_SECONDS") * 2 ** max(attempts - 1, 0)
        return timedelta(seconds=min(seconds, self.setting("RETRY_MAX_SECONDS")))

    def lease(self) -> timedelta:
        return timedelta(seconds=self.setting("LEASE_SECONDS"))

    def claim(self, pk: int, now: datetime | None = None) -> tuple[Any, str] | None:
        """Take the row for sending, or None when it is not ours to send (sent, dead, not due, or held by a
        live claim). The row is locked while it is claimed; a concurrent claimer skips it."""
        now = now or timezone.now()
        with transaction.atomic():
            row: Any = self.model._default_manager.filter(pk=pk).select_for_update(skip_locked=True).first()
            if row is None or row.status in (S.SENT, S.DEAD):
                return None
            if row.status == S.SENDING and row.claimed_at and row.claimed_at > now - self.lease():
                return None
            if row.status in (S.PENDING, S.FAILED) and row.next_attempt_at and row.next_attempt_at > now:
                return None
            token = uuid.uuid4().hex
            row.status, row.claimed_at, row.claim_token = S.SENDING, now, token
            row.attempts += 1
            row.save(update_fields=["status", "claimed_at", "claim_token", "attempts"])
        return row, token

    def deliver(self, pk: int, send: Callable[[Any], object], *, transient: tuple[type[BaseException], ...] = (),
                permanent: tuple[type[BaseException], ...] = (), on_sent: Callable[[Any], None] | None = None,
                now: datetime | None = None) -> str:
        """Claim, send, record: "sent", "failed" (a retry is scheduled), "dead" or "skipped". `send(row)` raises
        one of `permanent` (dead at once) or `transient`/OSError (retried); `on_sent(row)` runs inside the
        transaction that records the delivery, only when it is recorded."""
        claimed = self.claim(pk, now=now)
        if claimed is None:
            return "skipped"
        row, token = claimed
        refused: tuple[type[BaseException], ...] = (PermanentFailure, *permanent)
        retried: tuple[type[BaseException], ...] = (OSError, *transient)
        try:
            send(row)
        except refused as error:
            return self.record_failure(row, token, error, permanent=True, now=now)
        except retried as error:
            return self.record_failure(row, token, error, permanent=False, now=now)
        with transaction.atomic():
            done = self.model._default_manager.filter(pk=row.pk, claim_token=token).update(
                status=S.SENT, last_error="", next_attempt_at=None, **{self.sent_field: timezone.now()})
            if not done:  # our lease ran out and another worker took it: it records its own outcome
                logger.warning(f"{self.name} lease lost", extra={"outbox_id": row.pk})
            elif on_sent is not None:
                on_sent(row)
        logger.info(f"{self.name} sent", extra={"outbox_id": row.pk, "attempts": row.attempts})
        return "sent"

    def record_failure(self, row, token: str, error: BaseException, *, permanent: bool,
                       now: datetime | None = None) -> str:
        dead = permanent or row.attempts >= self.setting("MAX_ATTEMPTS")
        delay = self.retry_delay(row.attempts)
        with transaction.atomic():
            self.model._default_manager.filter(pk=row.pk, claim_token=token).update(
                status=S.DEAD if dead else S.FAILED, last_error=f"{type(error).__name__}: {error}"[:500],
                next_attempt_at=None if dead else (now or timezone.now()) + delay)
            if not dead:
                pk = row.pk
                transaction.on_commit(lambda: self.dispatch([pk], countdown=delay.total_seconds()))
        logger.warning(f"{self.name} failed", extra={"outbox_id": row.pk, "attempts": row.attempts, "dead": dead,
                                                     "error": str(error)[:200]})
        return "dead" if dead else "failed"

    def sweep(self, *, now: datetime | None = None, limit: int | None = None) -> int:
        """Re-dispatch rows whose task was lost: pending/failed ones due for longer than the lease (their task
        should have run by then), and those stuck in `sending` past the lease (their worker died). Rows another
        sweeper is looking at are skipped (SKIP LOCKED); a row dispatched twice is claimed once."""
        now = now or timezone.now()
        overdue = now - self.lease()
        with transaction.atomic():
            due = (self.model._default_manager
                   .filter(Q(status__in=(S.PENDING, S.FAILED), next_attempt_at__lte=overdue)
                           | Q(status=S.SENDING, claimed_at__lt=overdue))
                   .order_by("next_attempt_at", "id").select_for_update(skip_locked=True))
            ids = list(due.values_list("pk", flat=True)[:limit or self.setting("SWEEP_LIMIT")])
            if ids:
                transaction.on_commit(lambda: self.dispatch(ids))
                logger.info(f"{self.name} swept", extra={"rows": len(ids)})
        return len(ids)

    def restart(self, row) -> None:
        """An operator sends a dead or failed row again: attempts restart (call inside the caller's transaction,
        the row locked)."""
        row.status, row.attempts, row.next_attempt_at = S.PENDING, 0, timezone.now()
        row.save(update_fields=["status", "attempts", "next_attempt_at"])
        pk = row.pk
        transaction.on_commit(lambda: self.dispatch([pk]))

    def dispatch_pending(self, ids: Iterable[int]) -> None:
        """After a commit: one delivery task per row of these ids still pending."""
        self.dispatch(self.model._default_manager.filter(pk__in=list(ids), status=S.PENDING)
                      .values_list("pk", flat=True))
