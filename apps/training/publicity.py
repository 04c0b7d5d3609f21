"""The training / skills-assessment subsidy claim as a source of the publication service (公示, apps.publicity):
one claim is one public list of one row (as it is one payment record, apps.training.payments, and one 告知书,
apps.training.notices). The moves that open and take down the list are CLAIM_LIFECYCLE's
(apps.training.services.claims: publish / reject).

Public values only: the person's name masked (the first character, the rest `*`), the occupation, the level, the
kind of subsidy and the amount — no ID number, no phone, no bank account, no employer.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from apps.core.money_sql import stored_decimal
from apps.core.validators import mask_name
from apps.eligibility.calculators.training import CERTIFICATE_LEVELS
from apps.publicity.selectors import publication_summary
from apps.publicity.sources import PublicitySource, PublicRecord
from apps.training.models import TrainingSubsidyClaim
from apps.training.services.claims import PUBLICITY_SOURCE

DAYS_PARAMETER = "training.publicity_working_days"
COLUMNS = (("姓名", "text"), ("职业（工种）", "text"), ("等级", "text"), ("补贴类型", "text"), ("补贴金额", "money"))
S = TrainingSubsidyClaim.Status
VISIBLE = (S.PUBLICIZING, S.APPROVED, S.PAID)


def claim_public_record(claim_id: int) -> PublicRecord | None:
    claim = TrainingSubsidyClaim.objects.select_related("enrollment__region").filter(pk=claim_id).first()
    if claim is None:
        return None
    region = claim.enrollment.region
    year = timezone.localtime(claim.published_at or claim.created_at).year
    return PublicRecord(title=f"{year}年职业培训补贴拟补贴人员公示", issuer=f"{region.name}人力资源和社会保障部门",
                        region_code=region.code,
                        visible=claim.published_at is not None and claim.status in VISIBLE)


def claim_public_rows(claim_id: int) -> list[list[Any]]:
    """One query: the claim's one row, from the columns that are public (no ID number, phone or account)."""
    rows = (TrainingSubsidyClaim.objects.filter(pk=claim_id)
            .values_list("person__name", "occupation__name", "level", "kind", "amount"))
    return [[mask_name(name), occupation or "", str(CERTIFICATE_LEVELS.get(level, level)),
             str(TrainingSubsidyClaim.Kind(kind).label), stored_decimal(amount)]
            for name, occupation, level, kind, amount in rows]


def claim_publicity(*, claim: TrainingSubsidyClaim, request=None) -> dict:
    """The claim's publication for its page and the API: window, progress, public link and the row."""
    return publication_summary(source_key=PUBLICITY_SOURCE, record_id=claim.pk,
                               rows=lambda: claim_public_rows(claim.pk), request=request)


SOURCE = PublicitySource(key=PUBLICITY_SOURCE, label="职业培训补贴", days_parameter=DAYS_PARAMETER,
                         columns=COLUMNS, record=claim_public_record, rows=claim_public_rows)
