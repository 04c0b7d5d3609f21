"""The programmes that send notices register here (from their AppConfig.ready()): documents knows no programme.

A source says, for one of its records (a refund run, a childcare claim list, …), which notices it has and
what each says: the recipient, the amount, the paragraphs, the basis (policy documents by title and 文号),
the permitted uses and the objection deadline — all as data the programme takes from its own decisions and
parameters. The documents service numbers, renders, hashes, stores and verifies them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.scoping import user_can_see_region
from apps.documents.pdf import DRAFT_NOTE, USES_INTRO


@dataclass(frozen=True)
class NoticeContent:
    """One notice as the source sees it now. Everything printed comes from here."""

    row_key: str  # unique within the source record (e.g. the employer id of a refund result)
    region_code: str
    year: int  # the 文号's year
    title: str  # 失业保险稳岗返还告知书
    recipient: str  # the unit's registered name
    recipient_code: str  # masked USCC
    salutation: str  # the first line: “某某公司（统一社会信用代码：…）：”
    paragraphs: tuple[str, ...]
    amount: Decimal | None = None
    basis: tuple[str, ...] = ()  # 依据文件: 《标题》（文号）
    uses: tuple[str, ...] = ()  # 资金用途
    objection: str = ""  # the sentence about the deadline and the channel (source text; channel from the series)
    issuer: str = ""  # 落款 when the series names none
    facts: dict[str, str] = field(default_factory=dict)  # non-personal facts for the public verify page
    # The line above the uses and the line under the title of a draft. Empty: the wording the first source
    # (refund runs) prints, USES_INTRO / DRAFT_NOTE — left out of the fingerprint, so notices made before
    # these fields existed keep theirs.
    uses_intro: str = ""
    draft_note: str = ""

    @property
    def uses_heading(self) -> str:
        return self.uses_intro or USES_INTRO

    @property
    def draft_line(self) -> str:
        return self.draft_note or DRAFT_NOTE

    def fingerprint(self, *, is_draft: bool, objection_channel: str, issuer: str) -> str:
        """What the PDF is made of; the same fingerprint → the stored version still stands."""
        data = {**asdict(self), "amount": None if self.amount is None else f"{self.amount:.2f}",
                "draft": is_draft, "channel": objection_channel, "issuer_effective": issuer, "layout": LAYOUT_VERSION}
        for name in ("uses_intro", "draft_note"):
            if not data[name]:
                del data[name]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


LAYOUT_VERSION = "1"  # raise when the PDF layout changes, so notices regenerate


@dataclass(frozen=True)
class NoticeRecord:
    """What the notice pages show about the record (a run), the region that scopes it, and whether it is final."""

    label: str
    region_code: str
    url: str
    is_draft: bool  # e.g. the run is not approved: every notice carries the 草稿 watermark
    draft_reason: str = ""


@dataclass(frozen=True)
class NoticeSource:
    key: str  # "refunds.run"
    slug: str  # in URLs: "refund-run"
    label: str  # 稳岗返还
    # record(source_id) → NoticeRecord, or None when there is no such record
    record: Callable[[int], NoticeRecord | None]
    # row_keys(source_id) → every row that gets a notice, in the order of the batch
    row_keys: Callable[[int], list[str]]
    # contents(source_id, row_keys) → the notices of those rows now (one query batch for many rows)
    contents: Callable[[int, Collection[str]], list[NoticeContent]]
    # the page of one row (for the admin and the verify page's staff link)
    row_url: Callable[[int, str], str] | None = None


SOURCES: dict[str, NoticeSource] = {}


def register_source(source: NoticeSource) -> None:
    SOURCES[source.key] = source


def source_get(key: str) -> NoticeSource:
    try:
        return SOURCES[key]
    except KeyError:
        raise ApplicationError("unknown_notice_source", f"未知的告知书类别：{key}", {"source": ["未知的告知书类别"]}) from None


def source_by_slug(slug: str) -> NoticeSource:
    found = next((source for source in SOURCES.values() if source.slug == slug), None)
    if found is None:
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    return found


def source_record(*, user, source: NoticeSource, source_id: int) -> NoticeRecord:
    """The record, if the user may see it (else 404, as for any record outside the region)."""
    record = source.record(source_id)
    if record is None or not user_can_see_region(user, record.region_code):
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    return record
