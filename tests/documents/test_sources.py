"""NoticeContent's fingerprint: the per-notice wording fields, when left empty, do not change the fingerprint
of the notices made before they existed (stored refund notices stand); when set, they are part of it."""

import hashlib
import json
from dataclasses import asdict
from decimal import Decimal

import pytest

from apps.documents.sources import LAYOUT_VERSION, NoticeContent

CONTENT = NoticeContent(row_key="7", region_code="220102", year=2026, title="失业保险稳岗返还告知书", recipient="某公司",
                        recipient_code="2201**********123X", salutation="某公司：", paragraphs=("第一段",),
                        amount=Decimal("7200.00"), basis=("《文件》（文号）",), uses=("职工生活补助",),
                        objection="请通过{channel}提出", issuer="经办机构", facts={"单位名称": "某公司"})


def _before_the_wording_fields(content: NoticeContent) -> str:
    """The fingerprint as it was computed before uses_intro / draft_note existed."""
    data = {key: value for key, value in asdict(content).items() if key not in ("uses_intro", "draft_note")}
    data = {**data, "amount": f"{content.amount:.2f}", "draft": True, "channel": "窗口", "issuer_effective": "经办机构",
            "layout": LAYOUT_VERSION}
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _print(content: NoticeContent) -> str:
    return content.fingerprint(is_draft=True, objection_channel="窗口", issuer="经办机构")


def test_empty_wording_keeps_the_old_fingerprint():
    assert _print(CONTENT) == _before_the_wording_fields(CONTENT)


@pytest.mark.parametrize("field", ["uses_intro", "draft_note"])
def test_set_wording_is_part_of_the_fingerprint(field):
    from dataclasses import replace

    changed = replace(CONTENT, **{field: "另一种说法"})
    assert _print(changed) != _print(CONTENT)
    assert _print(replace(changed, **{field: "第三种说法"})) != _print(changed)
