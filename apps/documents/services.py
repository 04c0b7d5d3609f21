"""Writes: number, render, hash and store notices; generate a source record's notices as one ZIP.

`notices_ensure` is the one way a notice is made (a page's PDF download, the API, the batch task): for each
row it asks the source for the content now, and keeps the current version when the content fingerprint is
unchanged — so calling it twice writes nothing, and a batch that died half-way resumes where it stopped.
A changed content writes a new version (the 文号 stays, a new verification code) and supersedes the old one.
"""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
import zipfile
from collections.abc import Collection

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.locks import serialize
from apps.documents.models import Notice, NoticeBatch, NoticeCounter, NoticeSeries
from apps.documents.pdf import CODE_ALPHABET, CODE_LENGTH, notice_pdf
from apps.documents.sources import NoticeContent, NoticeSource, source_get

logger = logging.getLogger(__name__)

BATCH_TASK = "apps.documents.tasks.generate_batch"
CHUNK = 50  # notices per transaction of the batch; progress is saved after each


# ------------------------------------------------------------------ numbering


def series_for(source_key: str, region_code: str) -> NoticeSeries:
    """The series of the region or its nearest ancestor that has one (the longest matching code prefix)."""
    candidates = [series for series in NoticeSeries.objects.filter(source=source_key).select_related("region")
                  if region_code.startswith(series.region.scope_prefix)]
    if not candidates:
        raise ApplicationError("notice_series_missing",
                               f"区划 {region_code} 尚未设置这类告知书的文号，请管理员在“告知书文号”中设置后再生成。")
    return max(candidates, key=lambda series: len(series.region.scope_prefix))


def number_allot(series: NoticeSeries, year: int) -> str:
    """The next 文号 of the series in the year: 1, 2, 3 … under a row lock, a new year starts at 1."""
    with transaction.atomic():
        counter, _ = NoticeCounter.objects.select_for_update().get_or_create(series=series, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return series.format_number(year, counter.last)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verify_url(code: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("documents:verify", args=[code])


# ------------------------------------------------------------------ notices


def _render(content: NoticeContent, *, number: str, code: str, draft: bool, series: NoticeSeries,
            issued_on: str) -> bytes:
    objection = content.objection.replace("{channel}", series.objection_channel)
    return notice_pdf(title=content.title, number=number, salutation=content.salutation,
                      paragraphs=content.paragraphs, basis=content.basis, uses=content.uses, objection=objection,
                      issuer=series.issuer or content.issuer, issued_on=issued_on, code=code,
                      verify_url=verify_url(code), draft=draft, uses_intro=content.uses_heading,
                      draft_note=content.draft_line)


def notices_ensure(*, source: NoticeSource, source_id: int, row_keys: Collection[str], user=None) -> list[Notice]:
    """The current notice of every row, (re)generated where the content changed. One transaction."""
    record = source.record(source_id)
    if record is None:
        raise ApplicationError("not_found", "记录不存在。")
    contents = source.contents(source_id, row_keys)
    with transaction.atomic():
        serialize(f"notices:{source.key}:{source_id}")  # two generators of one record never race on a version
        current = {notice.row_key: notice for notice in
                   Notice.objects.filter(source=source.key, source_id=source_id, row_key__in=[c.row_key for c in contents],
                                         superseded_at__isnull=True)}
        series_cache: dict[str, NoticeSeries] = {}
        result, now = [], timezone.now()
        for content in contents:
            series = series_cache.get(content.region_code) or series_for(source.key, content.region_code)
            series_cache[content.region_code] = series
            fingerprint = content.fingerprint(is_draft=record.is_draft, objection_channel=series.objection_channel,
                                              issuer=series.issuer or content.issuer)
            old = current.get(content.row_key)
            if old is not None and old.content_sha256 == fingerprint:
                result.append(old)
                continue
            number = old.number if old is not None else number_allot(series, content.year)
            code = new_code()
            issued_on = f"{timezone.localdate(now):%Y年%-m月%-d日}"
            data = _render(content, number=number, code=code, draft=record.is_draft, series=series,
                           issued_on=issued_on)
            if old is not None:
                old.superseded_at = now
                old._change_reason = "内容变化，已生成新版本"  # type: ignore[attr-defined]
                old.save(update_fields=["superseded_at"])
            notice = Notice(source=source.key, source_id=source_id, row_key=content.row_key,
                            region_code=content.region_code, version=(old.version + 1) if old else 1, number=number,
                            code=code, sha256=hashlib.sha256(data).hexdigest(), content_sha256=fingerprint,
                            size=len(data), title=content.title, recipient=content.recipient,
                            recipient_code=content.recipient_code, amount=content.amount,
                            facts=[[label, value] for label, value in
                                   {**content.facts, "发文机关": series.issuer or content.issuer,
                                    "成文日期": issued_on}.items()],
                            is_draft=record.is_draft, generated_by=user)
            notice.file.save(f"{content.row_key}-v{notice.version}-{code[:6]}.pdf", ContentFile(data), save=False)
            notice.save()
            result.append(notice)
        logger.info("notices ensured", extra={"source": source.key, "source_id": source_id, "rows": len(contents),
                                              "generated": sum(1 for n in result if n.generated_at >= now)})
    return result


def notice_ensure(*, source: NoticeSource, source_id: int, row_key: str, user=None) -> Notice:
    notices = notices_ensure(source=source, source_id=source_id, row_keys=[row_key], user=user)
    if not notices:
        raise ApplicationError("no_notice", "该对象没有告知书（例如不符合条件）。")
    return notices[0]


# ------------------------------------------------------------------ batches


def batch_start(*, source: NoticeSource, source_id: int, user) -> NoticeBatch:
    """Start (or resume) generating every notice of the record. A batch already queued or running is returned
    as it is; a failed one resumes where it stopped; a finished one is started afresh (notices whose content
    did not change are kept, so this is cheap)."""
    record = source.record(source_id)
    if record is None:
        raise ApplicationError("not_found", "记录不存在。")
    with transaction.atomic():
        serialize(f"notice-batch:{source.key}:{source_id}")
        batch = (NoticeBatch.objects.select_for_update().filter(source=source.key, source_id=source_id)
                 .exclude(status=NoticeBatch.Status.DONE).order_by("-id").first())
        if batch is not None and batch.status in (NoticeBatch.Status.PENDING, NoticeBatch.Status.RUNNING):
            return batch
        if batch is None:
            batch = NoticeBatch.objects.create(source=source.key, source_id=source_id, region_code=record.region_code,
                                               started_by=user, total=len(source.row_keys(source_id)))
        else:
            batch.status, batch.error = NoticeBatch.Status.PENDING, ""
            batch._change_reason = "继续生成"  # type: ignore[attr-defined]
            batch.save(update_fields=["status", "error"])
        batch_id = batch.pk
        transaction.on_commit(lambda: current_app.tasks[BATCH_TASK].delay(batch_id))
    logger.info("notice batch started", extra={"batch_id": batch.pk, "source": source.key, "source_id": source_id})
    return batch


def batch_run(*, batch_id: int) -> NoticeBatch:
    """The task's body: the rows after `done`, CHUNK at a time (progress saved after each), then the ZIP."""
    batch = NoticeBatch.objects.get(pk=batch_id)
    if batch.status == NoticeBatch.Status.DONE:
        return batch  # a redelivered message: nothing to do
    source = source_get(batch.source)
    keys = source.row_keys(batch.source_id)
    NoticeBatch.objects.filter(pk=batch.pk).update(status=NoticeBatch.Status.RUNNING, total=len(keys))
    batch.refresh_from_db()
    try:
        for start in range(batch.done, len(keys), CHUNK):
            chunk = keys[start:start + CHUNK]
            notices_ensure(source=source, source_id=batch.source_id, row_keys=chunk, user=batch.started_by)
            NoticeBatch.objects.filter(pk=batch.pk).update(done=start + len(chunk))
        batch.refresh_from_db()
        _write_zip(batch, source, keys)
    except Exception as error:
        message = error.message if isinstance(error, ApplicationError) else f"{type(error).__name__}"
        NoticeBatch.objects.filter(pk=batch.pk).update(status=NoticeBatch.Status.FAILED, error=message[:500])
        logger.exception("notice batch failed", extra={"batch_id": batch.pk})
        raise
    return batch


def _write_zip(batch: NoticeBatch, source: NoticeSource, keys: list[str]) -> None:
    notices = list(Notice.objects.filter(source=source.key, source_id=batch.source_id, row_key__in=keys,
                                         superseded_at__isnull=True).order_by("row_key"))
    order = {key: i for i, key in enumerate(keys)}
    notices.sort(key=lambda notice: order[notice.row_key])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        manifest = ["文号,单位名称,验证码,SHA-256,草稿"]
        for notice in notices:
            with notice.file.open("rb") as handle:
                data = handle.read()
            if hashlib.sha256(data).hexdigest() != notice.sha256:
                raise ConflictError("notice_hash_mismatch", f"告知书 {notice.number} 的文件与登记的校验值不符，已停止打包。")
            name = f"{notice.row_key}_{notice.number}.pdf".replace("/", "_")
            archive.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data)
            manifest.append(",".join([notice.number, _csv(notice.recipient), notice.code, notice.sha256,
                                      "是" if notice.is_draft else "否"]))
        archive.writestr(zipfile.ZipInfo("清单.csv", date_time=(2000, 1, 1, 0, 0, 0)),
                         "\ufeff" + "\n".join(manifest) + "\n")
    data = buffer.getvalue()
    with transaction.atomic():
        batch = NoticeBatch.objects.select_for_update().get(pk=batch.pk)
        batch.file.save(f"{source.slug}-{batch.source_id}-{batch.pk}.zip", ContentFile(data), save=False)
        batch.sha256 = hashlib.sha256(data).hexdigest()
        batch.status, batch.done, batch.total, batch.finished_at = NoticeBatch.Status.DONE, len(keys), len(keys), timezone.now()
        batch._change_reason = f"已打包 {len(notices)} 份告知书"  # type: ignore[attr-defined]
        batch.save()
    logger.info("notice batch done", extra={"batch_id": batch.pk, "notices": len(notices)})


def _csv(text: str) -> str:
    """A manifest cell: no comma or quote breaks the line; a leading formula character is neutralised."""
    from apps.core.exports import neutralise

    value = str(neutralise(text))
    return '"' + value.replace('"', '""') + '"' if any(ch in value for ch in ',"\n') else value
