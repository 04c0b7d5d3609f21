"""Walk an official refund run through 初审 → 公示 → (window passed) → 复核: the one helper every test uses.

The first reviewer is a province supervisor of its own (`sup_first_review`) unless one is given, so the
caller's reviewer stays free for the 复核 (four eyes: neither the starter nor the first reviewer approves).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.publicity.models import Publication
from apps.refunds.models import RefundRun
from apps.refunds.services import run_approve, run_first_review, run_publish
from tests.factories import UserFactory


def first_reviewer() -> User:
    return UserFactory(username="sup_first_review", role=User.Role.SUPERVISOR, region_id="220000", is_staff=True)


def move_window(run: RefundRun, *, starts_on: date, ends_on: date) -> None:
    """Set a published run's window in the database (run and publication alike), as time passing would."""
    RefundRun.objects.filter(pk=run.pk).update(publicity_starts_on=starts_on, publicity_ends_on=ends_on)
    Publication.objects.filter(source="refunds.run", record_id=run.pk).update(starts_on=starts_on, ends_on=ends_on)


def publicize(run: RefundRun, *, reviewer: User | None = None, window_passed: bool = True) -> RefundRun:
    """computed → first_reviewed → publicizing; with `window_passed` the window ended yesterday."""
    reviewer = reviewer or first_reviewer()
    run_first_review(run_id=run.pk, user=reviewer, comment="初审通过")
    run_publish(run_id=run.pk, user=reviewer)
    if window_passed:
        today = timezone.localdate()
        move_window(run, starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=1))
    return RefundRun.objects.get(pk=run.pk)


def approve(run: RefundRun, *, approver: User, comment: str = "") -> RefundRun:
    """computed → … → approved, the 复核 by `approver`."""
    publicize(run)
    return run_approve(run_id=run.pk, user=approver, comment=comment)
