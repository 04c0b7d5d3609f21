"""Reads: a record's current notices and latest batch (scoped through the source), and the public check."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import QuerySet

from apps.core.scoping import scope_queryset_by_code
from apps.documents.models import Notice, NoticeBatch
from apps.documents.pdf import normalise_code
from apps.documents.sources import NoticeSource, source_record


def notice_list(*, user) -> QuerySet[Notice]:
    return scope_queryset_by_code(Notice.objects.all(), user).order_by("-id")


def notice_current(*, source: NoticeSource, source_id: int, row_key: str) -> Notice | None:
    return Notice.objects.filter(source=source.key, source_id=source_id, row_key=row_key,
                                 superseded_at__isnull=True).first()


def batch_latest(*, user, source: NoticeSource, source_id: int) -> NoticeBatch | None:
    """The record's latest batch, if the user may see the record (else 404)."""
    source_record(user=user, source=source, source_id=source_id)
    return NoticeBatch.objects.filter(source=source.key, source_id=source_id).order_by("-id").first()


def batch_status(batch: NoticeBatch | None) -> dict:
    if batch is None:
        return {"id": None, "status": "none", "status_display": "尚未生成", "total": 0, "done": 0, "percent": 0,
                "ready": False, "sha256": "", "error": ""}
    return {"id": batch.pk, "status": batch.status, "status_display": batch.get_status_display(),
            "total": batch.total, "done": batch.done, "percent": batch.percent,
            "ready": batch.status == NoticeBatch.Status.DONE and bool(batch.file), "sha256": batch.sha256,
            "error": batch.error}


@dataclass(frozen=True)
class Verification:
    outcome: str  # valid | superseded | tampered | unknown
    notice: Notice | None = None

    LABELS = {"valid": "有效", "superseded": "已失效", "tampered": "已失效", "unknown": "不存在"}

    @property
    def label(self) -> str:
        return self.LABELS[self.outcome]

    @property
    def explanation(self) -> str:
        if self.outcome == "unknown":
            return "没有这个验证码对应的告知书。请核对验证码（16 位，不区分大小写）。"
        if self.outcome == "superseded":
            return "该告知书已被新版本取代，以新版本为准。请向出具机关索取最新告知书。"
        if self.outcome == "tampered":
            return "登记的告知书文件与其校验值不符，不能确认其内容。请联系出具机关。"
        if self.notice is not None and self.notice.is_draft:
            return "这是一份草稿：尚未审核通过，草稿不作为正式告知。"
        return "该告知书由本平台出具，内容与登记的文件一致。"


def verify_code(text: str) -> Verification:
    """The public check: is there a notice with this code, is it the current version, does its stored file
    still hash to the registered SHA-256? Anything that cannot be a code is unknown (never an error)."""
    code = normalise_code(text)
    notice = Notice.objects.filter(code=code).first() if code else None
    if notice is None:
        return Verification("unknown")
    if notice.superseded_at is not None:
        return Verification("superseded", notice)
    try:
        with notice.file.open("rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
    except (OSError, ValueError):
        digest = ""
    if digest != notice.sha256:
        return Verification("tampered", notice)
    return Verification("valid", notice)
