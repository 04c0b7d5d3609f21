"""The 严重失信名单 as a source of the publication service (公示, apps.publicity): one entry is one public list of
one row (吉民发〔2024〕33号 二(四)11: "对列入严重违法失信名单的养老机构经营主体和人员，依法依规 … 进行公示").

Public values only: an institution's name and its 统一社会信用代码 masked like the childcare list (mask_id_number), a person's name masked
(the first character, the rest `*`) — never an ID number, phone or address — the misconduct, the deciding document
and the listing date. An entry removed (信用修复) takes its list down (visible=False)."""

from __future__ import annotations

from typing import Any

from apps.core.validators import mask_id_number, mask_name
from apps.eldercare.models import BlacklistEntry
from apps.eldercare.services import PUBLICITY_SOURCE
from apps.publicity.selectors import publication_summary
from apps.publicity.sources import PublicitySource, PublicRecord

DAYS_PARAMETER = "elderly_care.blacklist_publicity_working_days"
COLUMNS = (("列入对象", "text"), ("名称 / 姓名", "text"), ("统一社会信用代码", "text"), ("失信行为", "text"),
           ("认定依据", "text"), ("列入日期", "text"))


def entry_public_record(entry_id: int) -> PublicRecord | None:
    entry = BlacklistEntry.objects.select_related("region").filter(pk=entry_id).first()
    if entry is None:
        return None
    return PublicRecord(title=f"{entry.region.name}养老服务严重失信名单公示", issuer=f"{entry.region.name}民政部门",
                        region_code=entry.region_id,
                        visible=entry.published_at is not None and entry.removed_on is None)


def entry_public_rows(entry_id: int) -> list[list[Any]]:
    """One query: the entry's one row, from its public columns."""
    rows = (BlacklistEntry.objects.filter(pk=entry_id)
            .values_list("subject", "institution__name", "institution__uscc", "person__name", "reason", "source",
                         "listed_on"))
    return [[str(BlacklistEntry.Subject(subject).label), institution or mask_name(person),
             mask_id_number(uscc) if uscc else "", reason, source, listed_on.isoformat()]
            for subject, institution, uscc, person, reason, source, listed_on in rows]


def entry_publicity(*, entry: BlacklistEntry, request=None) -> dict:
    return publication_summary(source_key=PUBLICITY_SOURCE, record_id=entry.pk,
                               rows=lambda: entry_public_rows(entry.pk), request=request)


SOURCE = PublicitySource(key=PUBLICITY_SOURCE, label="养老服务严重失信名单", days_parameter=DAYS_PARAMETER,
                         columns=COLUMNS, record=entry_public_record, rows=entry_public_rows)
