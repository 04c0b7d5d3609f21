"""The operating-subsidy claim as a source of the publication service (公示, apps.publicity): one claim is one
public list of one row (as it is one payment record, apps.childcare.payments). The moves that open and take
down the list are CLAIM_LIFECYCLE's (apps.childcare.services.claims: publish / return).

Public values only: the institution's name, its masked USCC (the refund list's mask), the year and the
amount — no child, no guardian, no contact, no bank account.
"""

from __future__ import annotations

from typing import Any

from apps.childcare.models import OperatingSubsidyClaim
from apps.childcare.services.claims import PUBLICITY_SOURCE
from apps.core.money_sql import stored_decimal
from apps.core.validators import mask_id_number
from apps.publicity.selectors import publication_summary
from apps.publicity.sources import PublicitySource, PublicRecord

DAYS_PARAMETER = "childcare.publicity_working_days"
COLUMNS = (("机构名称", "text"), ("统一社会信用代码", "text"), ("年度", "text"), ("补助金额", "money"))
S = OperatingSubsidyClaim.Status


def claim_public_record(claim_id: int) -> PublicRecord | None:
    claim = OperatingSubsidyClaim.objects.select_related("institution__region").filter(pk=claim_id).first()
    if claim is None:
        return None
    visible = claim.published_at is not None and claim.status in (S.PUBLICIZING, S.APPROVED)
    region = claim.institution.region
    return PublicRecord(title=f"{claim.year}年普惠托育服务补助拟补助机构公示", issuer=f"{region.name}卫生健康部门",
                        region_code=claim.institution.region_id, visible=visible)


def claim_public_rows(claim_id: int) -> list[list[Any]]:
    """One query: the claim's one row."""
    rows = (OperatingSubsidyClaim.objects.filter(pk=claim_id)
            .values_list("institution__name", "institution__uscc", "year", "amount"))
    return [[name or "", mask_id_number(uscc), f"{year}年", stored_decimal(amount)]
            for name, uscc, year, amount in rows]


def claim_publicity(*, claim: OperatingSubsidyClaim, request=None) -> dict:
    """The claim's publication for its page and the API: window, progress, public link and the row."""
    return publication_summary(source_key=PUBLICITY_SOURCE, record_id=claim.pk,
                               rows=lambda: claim_public_rows(claim.pk), request=request)


SOURCE = PublicitySource(key=PUBLICITY_SOURCE, label="普惠托育服务补助", days_parameter=DAYS_PARAMETER,
                         columns=COLUMNS, record=claim_public_record, rows=claim_public_rows)
