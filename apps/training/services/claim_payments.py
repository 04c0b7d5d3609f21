"""A subsidy claim paid through the payment service (apps.training.payments): when the bank's return marks its
line paid, the claim moves to paid with paid_at — and a training-subsidy claim's enrollment with it.

These moves are the bank's, not a person's: they live in their own small tables (CLAIM_BANK_PAYMENT in claims.py,
ENROLLMENT_BANK_PAYMENT in enrollment_lifecycle.py, the one Lifecycle helper), so no page, API action or admin
action — which read CLAIM_LIFECYCLE and ENROLLMENT_LIFECYCLE — can offer them. The
claim's move is kept in its history with the reason, the enrollment's as an EnrollmentTransition, like every
other move of theirs.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime

from django.db import transaction

from apps.training.models import Enrollment, EnrollmentStatus, TrainingSubsidyClaim
from apps.training.services.claims import BANK_PAID, CLAIM_BANK_PAYMENT
from apps.training.services.enrollment_lifecycle import ENROLLMENT_BANK_PAYMENT

logger = logging.getLogger(__name__)

Status = TrainingSubsidyClaim.Status


@transaction.atomic
def claims_record_bank_payment(*, paid: Collection[tuple[int, str]], paid_at: datetime, user) -> int:
    """paid: (claim id, the payment line's reference) pairs. An approved claim becomes paid on `paid_at`; one
    already paid (a reviewer confirmed it by hand) is left as it is. Returns how many claims moved."""
    references = dict(paid)
    claims = TrainingSubsidyClaim.objects.select_for_update().filter(pk__in=list(references), status=Status.APPROVED)
    moved = 0
    for claim in claims.order_by("pk"):
        note = f"银行回盘：参考号 {references[claim.pk]} 支付成功"
        CLAIM_BANK_PAYMENT.apply(claim, BANK_PAID, user=user, note=note, payload={"paid_at": paid_at})
        if claim.kind == TrainingSubsidyClaim.Kind.TRAINING:
            enrollment = Enrollment.objects.select_for_update().get(pk=claim.enrollment_id)
            if enrollment.status == EnrollmentStatus.APPROVED:
                ENROLLMENT_BANK_PAYMENT.apply(enrollment, BANK_PAID, user=user, note=note)
        moved += 1
        logger.info("subsidy claim paid by the bank", extra={"claim": claim.pk, "reference": references[claim.pk]})
    return moved
