"""The run's side of the payment: confirming reconciliation (the files themselves are apps.payments')."""

from __future__ import annotations

import logging

from django.db import transaction

from apps.core.exceptions import NotFoundError
from apps.core.scoping import user_can_see_region
from apps.refunds.models import RefundRun
from apps.refunds.payment_lifecycle import LIFECYCLE

logger = logging.getLogger(__name__)


@transaction.atomic
def run_reconcile(*, run_id: int, user, note: str = "") -> RefundRun:
    """issued → reconciled: a reviewer's, once the report balances and nothing is open."""
    run = RefundRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or not user_can_see_region(user, run.region_id):
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    LIFECYCLE.apply(run, "reconcile", user=user, note=note.strip() or "对账平衡，确认完成")
    logger.info("refund run reconciled", extra={"run": run.pk, "by": user.pk})
    return run
