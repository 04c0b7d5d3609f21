"""Writes of the payment service: prepare a disbursement file, approve and issue it (hash-bound), record the
bank's return, re-issue or close failed lines. Any programme that registered a PaymentSource uses these.

The approval is bound to a hash (apps.payments.canonical). Approving and issuing each recompute it twice:
from the stored lines (nothing was edited in the table) and from the source as it stands now (no amount,
no bank detail and no row changed since the file was prepared). When issuing finds a difference, the
approval is invalidated — that is committed — and the file is refused with `approval_invalidated`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import replace

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.locks import serialize
from apps.core.models import Region
from apps.core.review import may_review
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.notifications.events import Recipient
from apps.notifications.services import enqueue
from apps.payments.canonical import canonical_hash
from apps.payments.lifecycle import LIFECYCLE
from apps.payments.models import PaymentBatch, PaymentEvent, PaymentLine
from apps.payments.notices import PAID, paid_dedupe_key, paid_recipient_key
from apps.payments.selectors import (
    CLAIMING_KINDS,
    LIVE_BATCH_STATUSES,
    row_claim,
    supplement_due,
    unclaimed_lines,
)
from apps.payments.sources import (
    SOURCES,
    PayeeLine,
    PaymentSource,
    SourceRecord,
    lines_problems,
    source_get,
    source_record,
)

logger = logging.getLogger(__name__)

S = PaymentBatch.Status
LS = PaymentLine.Status
LINE_WRITE_BATCH = 1000


BANK_DETAILS_MISSING = "bank_details_missing"
APPROVAL_INVALIDATED = "approval_invalidated"
ROW_ALREADY_PAID = "row_already_paid"
ROW_ALREADY_PAID_MESSAGE = "有收款记录已列入其他发放文件，不能重复发放，请刷新页面后重试"
APPROVAL_INVALIDATED_MESSAGE = ("发放明细（金额、收款账户或明细行）在审批后发生了变化，原审批已失效，不予生成发放文件。"
                                "请作废本文件后重新制单并审批")


class PaymentRefused(ApplicationError):
    status_code = 403



def _check_bank_details(lines: list[PayeeLine]) -> None:
    blocked = [(line, [p for p in problems if p.blocking]) for line, problems in lines_problems(lines)]
    blocked = [(line, problems) for line, problems in blocked if problems]
    if blocked:
        names = [f"{line.payee_name}（{'、'.join(p.message for p in problems)}）" for line, problems in blocked]
        payees = "名收款人" if all(line.personal for line, _ in blocked) else "家收款单位"
        raise ConflictError(BANK_DETAILS_MISSING,
                            f"有 {len(blocked)} {payees}的银行账户信息缺失或有误，补正前不能生成发放文件",
                            {"payees": names[:50]})


def _stored_rows(batch: PaymentBatch) -> list[tuple]:
    return list(batch.lines.order_by("reference").values_list(
        "reference", "payee_code", "payee_name", "bank_name", "account_number", "account_name", "amount"))


def _live_rows(batch: PaymentBatch) -> list[tuple]:
    """The batch's lines as the source would pay them now, under the batch's references."""
    references = dict(batch.lines.values_list("row_key", "reference"))
    live = source_get(batch.source).lines(batch.source_id, list(references))
    return [(references.get(line.row_key, f"?{line.row_key}"), line.payee_code, line.payee_name, line.bank_name,
             line.account_number, line.account_name, line.amount) for line in live]


def batch_hashes(batch: PaymentBatch) -> tuple[str, str]:
    """(hash of the stored lines, hash of the lines as the source has them now)."""
    return (canonical_hash(purpose=batch.purpose, rows=_stored_rows(batch))[0],
            canonical_hash(purpose=batch.purpose, rows=_live_rows(batch))[0])


def _create_batch(*, user, source: PaymentSource, source_id: int, record: SourceRecord, lines: list[PayeeLine],
                  kind: str, reissue_of: dict[str, PaymentLine] | None = None) -> PaymentBatch:
    if not lines:
        raise ConflictError("nothing_to_pay", "没有需要发放的明细")
    _check_bank_details(lines)
    region = Region.objects.get(code=record.region_code)
    batch = PaymentBatch.objects.create(source=source.key, source_id=source_id, region=region, kind=kind,
                                        purpose=record.purpose[:60], prepared_by=user, sha256="")
    prefix = batch.reference_prefix
    claims = kind in CLAIMING_KINDS  # a first or supplementary line pays its row; a re-issue pays a failed line
    rows = [PaymentLine(batch=batch, reference=f"{prefix}-{index:05d}", row_key=line.row_key,
                        payee_code=line.payee_code, payee_name=line.payee_name, bank_name=line.bank_name,
                        account_number=line.account_number, account_name=line.account_name, amount=line.amount,
                        region_code=line.region_code,
                        reissue_of=(reissue_of or {}).get(line.row_key),
                        row_claim=row_claim(source.key, source_id, line.row_key) if claims else None)
            for index, line in enumerate(lines, start=1)]  # in the source's order (a run: by employer id)
    try:
        with transaction.atomic():
            PaymentLine.objects.bulk_create(rows, batch_size=LINE_WRITE_BATCH)
    except IntegrityError as error:
        # payment_line_one_claim_per_row: another file pays one of these rows (the service's check and its lock
        # should have seen it; the database is the last word).
        if "row_claim" not in str(error) and "one_claim_per_row" not in str(error):
            raise
        raise ConflictError(ROW_ALREADY_PAID, ROW_ALREADY_PAID_MESSAGE) from None
    digest, count, total = canonical_hash(purpose=batch.purpose, rows=[
        (row.reference, row.payee_code, row.payee_name, row.bank_name, row.account_number, row.account_name,
         row.amount) for row in rows])
    batch.sha256, batch.row_count, batch.total_amount = digest, count, total
    batch.save(update_fields=["sha256", "row_count", "total_amount"])
    PaymentEvent.objects.create(batch=batch, action="prepare", from_status="", to_status=batch.status, user=user,
                                note=f"{count} 笔，合计 {total:.2f} 元", sha256=digest)
    logger.info("payment batch prepared", extra={"batch": batch.pk, "source": source.key, "source_id": source_id,
                                                 "rows": count, "kind": kind})
    return batch


@transaction.atomic
def batch_prepare(*, user, source_key: str, source_id: int) -> PaymentBatch:
    """The first disbursement file of a record: every payable row, bank details complete and valid."""
    source = source_get(source_key)
    record = source_record(user=user, source=source, source_id=source_id)
    if not record.payable:
        raise ConflictError("source_not_payable", record.refusal or "该记录当前不能发放")
    serialize(f"payments.{source.key}.{source_id}")
    existing = _live_original(source.key, source_id)
    if existing is not None:
        raise ConflictError("batch_exists", f"该记录已有发放文件 #{existing.pk}（{existing.get_status_display()}），"
                                            "如需重新制单请先作废", {"batch": [str(existing.pk)]})
    # Rows a live supplementary file already pays stay out (a first file cancelled after one was made).
    return _create_batch(user=user, source=source, source_id=source_id, record=record,
                         lines=unclaimed_lines(source=source, source_id=source_id), kind=PaymentBatch.Kind.ORIGINAL)


def _live_original(source_key: str, source_id: int) -> PaymentBatch | None:
    return PaymentBatch.objects.filter(source=source_key, source_id=source_id, kind=PaymentBatch.Kind.ORIGINAL,
                                       status__in=LIVE_BATCH_STATUSES).first()


@transaction.atomic
def supplement_prepare(*, user, source_key: str, source_id: int) -> PaymentBatch:
    """补充发放: a file of the rows payable now that no live file pays — rows an open objection held back when the
    first file was made, payable since it was decided (rejected: the result as it was; upheld: the new version).
    Made after the first file is issued; approved and issued like any file (maker-checker, hash-bound)."""
    source = source_get(source_key)
    record = source_record(user=user, source=source, source_id=source_id)
    serialize(f"payments.{source.key}.{source_id}")  # the check below and the claims are one step per record
    original = _live_original(source.key, source_id)
    if original is None or original.status not in (S.ISSUED, S.RETURNED):
        raise ConflictError("original_not_issued", "首次发放文件发放后，才能为其后可发放的单位制作补充发放文件")
    lines = supplement_due(source=source, source_id=source_id)
    if not lines:
        raise ConflictError("nothing_to_supplement", "没有待补充发放的明细")
    return _create_batch(user=user, source=source, source_id=source_id, record=record, lines=lines,
                         kind=PaymentBatch.Kind.SUPPLEMENT)


def _locked_batch(user, batch_id: int) -> PaymentBatch:
    return get_scoped_or_404(PaymentBatch.objects.select_for_update(), user, pk=batch_id)


@transaction.atomic
def batch_approve(*, user, batch_id: int, note: str = "") -> PaymentBatch:
    """The checker approves the rows the preparer made — and exactly those: the approval records their hash."""
    batch = _locked_batch(user, batch_id)
    LIFECYCLE.check(batch, "approve", user, note=note)
    stored, live = batch_hashes(batch)
    if stored != batch.sha256 or live != batch.sha256:
        raise ConflictError("disbursement_changed", "发放明细在制单后发生了变化（金额、收款账户或明细行），"
                                                    "请作废本文件后重新制单")
    LIFECYCLE.apply(batch, "approve", user=user, note=note)
    return batch


def batch_issue(*, user, batch_id: int, note: str = "") -> PaymentBatch:
    """Issue the bank file of an approved batch. Refused — and the approval invalidated — when the rows no
    longer hash to what was approved."""
    with transaction.atomic():
        batch = _locked_batch(user, batch_id)
        LIFECYCLE.check(batch, "issue", user, note=note)
        stored, live = batch_hashes(batch)
        changed = stored != batch.approved_sha256 or live != batch.approved_sha256
        if changed:
            LIFECYCLE.apply(batch, "invalidate", user=user,
                            note=f"发放时校验不一致：审批 {batch.approved_sha256[:12]}…，明细 {stored[:12]}…，"
                                 f"当前数据 {live[:12]}…")
            _release(batch)
        else:
            LIFECYCLE.apply(batch, "issue", user=user, note=note)
            source = source_get(batch.source)
            if source.on_issued is not None:
                source.on_issued(batch.source_id, batch, user)
    if changed:  # the invalidation is committed; the file is refused
        logger.warning("payment batch invalidated", extra={"batch": batch.pk})
        raise ConflictError(APPROVAL_INVALIDATED, APPROVAL_INVALIDATED_MESSAGE, {"sha256": [stored, live]})
    logger.info("payment batch issued", extra={"batch": batch.pk, "sha256": batch.issued_sha256})
    return batch


def _release(batch: PaymentBatch) -> None:
    """A file that will not be paid gives its rows back: a re-issue's failed lines to the worklist, a first or
    supplementary file's claims (the rows may be paid by another file)."""
    PaymentLine.objects.filter(reissues__batch=batch, status=LS.REISSUED).update(status=LS.FAILED)
    batch.lines.filter(row_claim__isnull=False).update(row_claim=None)


@transaction.atomic
def batch_cancel(*, user, batch_id: int, note: str) -> PaymentBatch:
    batch = _locked_batch(user, batch_id)
    LIFECYCLE.apply(batch, "cancel", user=user, note=note)
    _release(batch)
    return batch


def check_issued_file(batch: PaymentBatch) -> None:
    """A file is produced only from an issued batch whose stored lines still hash to what was issued."""
    if batch.status not in (S.ISSUED, S.RETURNED):
        raise ConflictError("batch_not_issued", "发放文件尚未审批发放，不能下载")
    stored = canonical_hash(purpose=batch.purpose, rows=_stored_rows(batch))[0]
    if stored != batch.issued_sha256:
        raise ConflictError("disbursement_hash_mismatch", "发放明细与发放时记录的 SHA-256 不一致，文件不予生成，"
                                                          "请联系系统管理员核查", {"sha256": [stored]})


# ------------------------------------------------------------------ the bank's return

def lines_record_return(*, rows: list[dict], import_batch=None, user=None) -> tuple[int, int]:
    """Record paid / failed per reference (rows checked by the import spec). Returns (updated, unchanged).

    Called inside the import's transaction, one chunk at a time; a batch whose lines all came back moves to
    "returned"."""
    lines = {line.reference: line for line in PaymentLine.objects.filter(
        reference__in=[row["reference"] for row in rows]).select_for_update()}
    now, changed = timezone.now(), []
    for row in rows:
        line = lines[row["reference"]]
        status = LS.PAID if row["result"] == "paid" else LS.FAILED
        reason = (row.get("failure_reason") or "") if status == LS.FAILED else ""
        if line.status != LS.AWAITING:
            continue  # the same outcome again (the import spec refused a different one)
        line.status, line.failure_reason, line.returned_at, line.return_batch = status, reason, now, import_batch
        changed.append(line)
    PaymentLine.objects.bulk_update(changed, ["status", "failure_reason", "returned_at", "return_batch"],
                                    batch_size=LINE_WRITE_BATCH)
    for batch in PaymentBatch.objects.filter(pk__in={line.batch_id for line in changed}, status=S.ISSUED
                                             ).select_for_update():
        if not batch.lines.filter(status=LS.AWAITING).exists():
            LIFECYCLE.apply(batch, "complete", user=user, note=f"回盘导入批次 #{getattr(import_batch, 'pk', '')}")
    paid = [line for line in changed if line.status == LS.PAID]
    _settle_paid(paid, user)
    return len(changed), len(rows) - len(changed)


def _settle_paid(lines: list[PaymentLine], user) -> None:
    """Lines the bank paid, grouped by file in one pass (one query for the files): per file, the source records
    that its rows were paid (a training claim → paid), then 已发放到账 goes to each payee — both in the return's
    transaction (the outbox row commits with the line's "paid", or neither does). The payee's contact comes from
    the source; payments knows no programme."""
    by_batch: dict[int, list[PaymentLine]] = {}
    for line in lines:
        by_batch.setdefault(line.batch_id, []).append(line)
    if not by_batch:
        return
    for batch in PaymentBatch.objects.filter(pk__in=list(by_batch)).order_by("pk"):
        source = SOURCES.get(batch.source)
        if source is None:
            continue
        paid = by_batch[batch.pk]
        if source.on_paid is not None:
            source.on_paid(batch.source_id, paid, user)
        if source.contacts is not None:
            _notify_paid(batch, source.contacts, source.slug, paid)


def _notify_paid(batch: PaymentBatch, contacts_of: Callable[[int, Collection[str]], dict[str, Recipient]], slug: str,
                 paid: list[PaymentLine]) -> None:
    """已发放到账: one notice per paid line of the file to its payee (the source's contacts)."""
    contacts = contacts_of(batch.source_id, [line.row_key for line in paid])
    recipients = [replace(contacts[line.row_key], key=paid_recipient_key(line.pk), context={
        "amount": f"{line.amount:.2f}", "reference": line.reference,
        "paid_at": timezone.localtime(line.returned_at).strftime("%Y-%m-%d")})
        for line in paid if line.row_key in contacts]
    enqueue(PAID.code, recipients, {"purpose": batch.purpose}, dedupe_key=paid_dedupe_key(batch.pk),
            ref=(slug, batch.source_id))


# ------------------------------------------------------------------ failed lines

def failed_lines(*, user, source_key: str | None = None, source_id: int | None = None) -> QuerySet[PaymentLine]:
    lines = scope_queryset(PaymentLine.objects.select_related("batch"), user, "batch__region").filter(
        status=LS.FAILED)
    if source_key is not None:
        lines = lines.filter(batch__source=source_key)
    if source_id is not None:
        lines = lines.filter(batch__source_id=source_id)
    return lines


@transaction.atomic
def lines_reissue(*, user, source_key: str, source_id: int,
                  line_ids: Collection[int] | None = None) -> PaymentBatch:
    """A new file for failed lines only (default: every open failure of the record), with the bank details as
    they are now — corrected, one hopes — and a new hash. It is approved and issued like any file."""
    source = source_get(source_key)
    record = source_record(user=user, source=source, source_id=source_id)
    serialize(f"payments.{source.key}.{source_id}")
    failed = failed_lines(user=user, source_key=source.key, source_id=source_id).select_for_update(of=("self",))
    if line_ids is not None:
        failed = failed.filter(pk__in=list(line_ids))
    by_key = {line.row_key: line for line in failed}
    if not by_key:
        raise ConflictError("nothing_to_reissue", "没有待重新发放的失败明细")
    lines = source.lines(source_id, list(by_key))
    batch = _create_batch(user=user, source=source, source_id=source_id, record=record, lines=lines,
                          kind=PaymentBatch.Kind.REISSUE, reissue_of=by_key)
    PaymentLine.objects.filter(pk__in=[line.pk for line in by_key.values()]).update(status=LS.REISSUED)
    return batch


@transaction.atomic
def line_close(*, user, line_id: int, reason: str) -> PaymentLine:
    """A failed line that will not be paid again (the unit closed, the money returned to the fund): a reviewer's."""
    line = get_scoped_or_404(PaymentLine.objects.select_for_update(), user, "batch__region", pk=line_id)
    if not may_review(user):
        raise PaymentRefused("reviewer_required", "关闭失败明细须由审核人办理")
    if line.status != LS.FAILED:
        raise ConflictError("line_not_failed", f"明细当前状态为“{line.get_status_display()}”，只有支付失败待处理的明细可以关闭")
    if not reason.strip():
        raise ApplicationError("reason_required", "请填写关闭原因", {"reason": ["请填写关闭原因"]})
    line.status, line.closed_reason = LS.CLOSED, reason.strip()[:200]
    line.closed_by, line.closed_at = user, timezone.now()
    line.save(update_fields=["status", "closed_reason", "closed_by", "closed_at"])
    logger.info("payment line closed", extra={"line": line.pk, "by": user.pk})
    return line
