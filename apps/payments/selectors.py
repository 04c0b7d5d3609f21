"""Reads of the payment service: batches and lines (scoped by the batch's region), what keeps a record from
being paid (bank details), and the reconciliation report."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from apps.core.money_sql import MoneySum
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.notifications.selectors import SENT, message_statuses
from apps.payments.models import PaymentBatch, PaymentEvent, PaymentLine
from apps.payments.notices import PAID, paid_dedupe_key, paid_recipient_key
from apps.payments.sources import PayeeLine, PaymentSource, lines_problems, source_get, source_record

S = PaymentBatch.Status
LS = PaymentLine.Status
K = PaymentBatch.Kind
ZERO = Decimal("0.00")
# Batches that still hold their lines (a cancelled or invalidated file pays nothing).
LIVE_BATCH_STATUSES = (S.PREPARED, S.APPROVED, S.ISSUED, S.RETURNED)
# Kinds whose lines pay a source row for the first time (and claim it); a re-issue pays a failed line again.
CLAIMING_KINDS = (K.ORIGINAL, K.SUPPLEMENT)


def row_claim(source_key: str, source_id: int, row_key: str) -> str:
    """PaymentLine.row_claim: unique while the line's file is live (payment_line_one_claim_per_row)."""
    return f"{source_key}:{source_id}:{row_key}"


def claimed_rows(*, source_key: str, source_id: int, row_keys: Collection[str] | None = None) -> set[str]:
    """Row keys a live first or supplementary file pays already (a cancelled or invalidated file released its)."""
    lines = PaymentLine.objects.filter(batch__source=source_key, batch__source_id=source_id, row_claim__isnull=False)
    if row_keys is not None:
        lines = lines.filter(row_key__in=list(row_keys))
    return set(lines.values_list("row_key", flat=True))


def unclaimed_lines(*, source: PaymentSource, source_id: int,
                    row_keys: Collection[str] | None = None) -> list[PayeeLine]:
    """The lines the source would pay now that no live file pays (of `row_keys` only, when given)."""
    claimed = claimed_rows(source_key=source.key, source_id=source_id, row_keys=row_keys)
    keys = None if row_keys is None else list(row_keys)
    return [line for line in source.lines(source_id, keys) if line.row_key not in claimed]


def supplement_due(*, source: PaymentSource, source_id: int,
                   row_keys: Collection[str] | None = None) -> list[PayeeLine]:
    """待补充发放: once the first file is issued, the rows payable now that no file pays — held by an open objection
    when the first file was made and decided since (unscoped: callers have checked the record). Two queries and
    the source's lines; a caller that knows which rows can be due (a run page: its decided objections' rows)
    passes them as `row_keys` and reads only those."""
    issued = PaymentBatch.objects.filter(source=source.key, source_id=source_id, kind=K.ORIGINAL,
                                         status__in=(S.ISSUED, S.RETURNED)).exists()
    return unclaimed_lines(source=source, source_id=source_id, row_keys=row_keys) if issued else []


def batch_list(*, user, source_key: str | None = None, source_id: int | None = None) -> QuerySet[PaymentBatch]:
    batches = scope_queryset(PaymentBatch.objects.select_related("prepared_by", "approved_by", "issued_by"), user)
    if source_key is not None:
        batches = batches.filter(source=source_key)
    if source_id is not None:
        batches = batches.filter(source_id=source_id)
    return batches.order_by("-id")


def source_has_live_batch(*, source_key: str, source_id: int) -> bool:
    """Has the record a disbursement file that is not cancelled or invalidated (its payment is under way or
    done)? Not scoped: the caller has scoped the record itself."""
    return PaymentBatch.objects.filter(source=source_key, source_id=source_id,
                                       status__in=LIVE_BATCH_STATUSES).exists()


def batch_get(*, user, pk: int) -> PaymentBatch:
    return get_scoped_or_404(PaymentBatch.objects.select_related("region", "prepared_by", "approved_by", "issued_by"),
                             user, pk=pk)


def batch_lines(*, batch: PaymentBatch) -> QuerySet[PaymentLine]:
    return batch.lines.order_by("reference")


def batch_events(*, batch: PaymentBatch) -> QuerySet[PaymentEvent]:
    return batch.events.select_related("user").order_by("id")


def line_get(*, user, pk: int) -> PaymentLine:
    return get_scoped_or_404(PaymentLine.objects.select_related("batch"), user, "batch__region", pk=pk)


@dataclass
class Readiness:
    """Who cannot be paid (blocking: missing or invalid bank details) and who should be checked (flagged)."""

    lines: int
    total: Decimal
    blocking: list[dict] = field(default_factory=list)
    flagged: list[dict] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.lines > 0 and not self.blocking


def _problem_row(line: PayeeLine, problems) -> dict:
    return {"row_key": line.row_key, "payee_code": line.payee_code, "payee_name": line.payee_name,
            "amount": line.amount, "url": line.payee_url,
            "problems": [{"code": p.code, "message": p.message} for p in problems]}


def source_readiness(*, user, source_key: str, source_id: int) -> Readiness:
    source = source_get(source_key)
    source_record(user=user, source=source, source_id=source_id)
    lines = source.lines(source_id, None)
    readiness = Readiness(lines=len(lines), total=sum((line.amount for line in lines), ZERO))
    for line, problems in lines_problems(lines):
        blocking = [p for p in problems if p.blocking]
        if blocking:
            readiness.blocking.append(_problem_row(line, problems))
        else:
            readiness.flagged.append(_problem_row(line, problems))
    return readiness


# ------------------------------------------------------------------ 已发放到账 notices

@dataclass(frozen=True)
class PaidNotices:
    """Where the 已发放到账 notices of a record's paid lines are (the outbox's statuses)."""

    paid: int  # paid lines
    notified: int  # paid lines with at least one message, every one of them sent
    without_contact: int  # paid lines with no message at all (the payee had no mobile, e-mail or portal user)
    messages: int
    unsent: int  # messages pending, sending, failed or dead

    @property
    def complete(self) -> bool:
        """Every payee that was paid has been told, on every channel its notice went out on."""
        return self.paid > 0 and self.notified == self.paid


def paid_notices(*, source: PaymentSource, source_id: int) -> PaidNotices:
    """Two queries: the record's paid lines, and the statuses of its 已发放到账 messages (unscoped: the system's
    own check, e.g. a refund run's 已告知)."""
    lines = PaymentLine.objects.filter(batch__source=source.key, batch__source_id=source_id, status=LS.PAID)
    keys = {f"{paid_dedupe_key(batch_id)}|{paid_recipient_key(pk)}": pk
            for pk, batch_id in lines.values_list("pk", "batch_id")}
    statuses = message_statuses(source=source.slug, source_id=source_id, event=PAID.code)
    per_line: dict[int, list[str]] = {}
    for dedupe_key, status in statuses:  # "<occurrence>|<recipient>|<channel>"
        line = keys.get(dedupe_key.rsplit("|", 1)[0])
        if line is not None:
            per_line.setdefault(line, []).append(status)
    return PaidNotices(paid=len(keys), notified=sum(1 for found in per_line.values() if set(found) == {SENT}),
                       without_contact=len(keys) - len(per_line), messages=len(statuses),
                       unsent=sum(1 for _key, status in statuses if status != SENT))


# ------------------------------------------------------------------ reconciliation

REPORT_ROWS = (("issued", "已发放"), ("supplement", "其中：补充发放"), ("paid", "已支付"), ("failed", "支付失败"),
               ("awaiting", "待回盘"), ("reissued", "已重新发放"), ("closed", "已关闭"), ("open", "失败待处理"))


def _figure(count, amount) -> dict:
    return {"count": count or 0, "amount": amount if amount is not None else ZERO}


def source_report(*, user, source_key: str, source_id: int) -> dict:
    """Totals issued, paid, failed, awaiting the return, re-issued, closed and still open, with the two
    balances checked from independent counts: the issued files' control totals against their lines'
    outcomes (issued = paid + failed + awaiting), and failures against what became of them (failed =
    reissued + closed + open, the re-issued side counted from the new lines that point back). Four queries
    whatever the number of lines."""
    source = source_get(source_key)
    record = source_record(user=user, source=source, source_id=source_id)
    batches = list(batch_list(user=user, source_key=source.key, source_id=source_id))
    sent = [S.ISSUED, S.RETURNED]
    control = PaymentBatch.objects.filter(source=source.key, source_id=source_id, status__in=sent).aggregate(
        count=Count("id"), rows=Sum("row_count"), amount=MoneySum("total_amount"))
    lines = PaymentLine.objects.filter(batch__source=source.key, batch__source_id=source_id, batch__status__in=sent)
    by_status = {row["status"]: _figure(row["n"], row["amount"])
                 for row in lines.order_by().values("status").annotate(n=Count("id"), amount=MoneySum("amount"))}
    reissues = PaymentLine.objects.filter(batch__source=source.key, batch__source_id=source_id,
                                          batch__status__in=[S.PREPARED, S.APPROVED, *sent],
                                          reissue_of__isnull=False).aggregate(
        n=Count("id"), amount=MoneySum("reissue_of__amount"))

    def status(name):
        return by_status.get(name, _figure(0, ZERO))

    paid, awaiting, open_, reissued, closed = (status(LS.PAID), status(LS.AWAITING), status(LS.FAILED),
                                               status(LS.REISSUED), status(LS.CLOSED))
    failed = _figure(open_["count"] + reissued["count"] + closed["count"],
                     open_["amount"] + reissued["amount"] + closed["amount"])
    issued = _figure(int(control["rows"] or 0), control["amount"])
    reissued_new = _figure(reissues["n"], reissues["amount"])
    # Supplementary files are issued files like the others (in `issued` already); shown apart, from the batches.
    supplementary = [b for b in batches if b.kind == K.SUPPLEMENT and b.status in sent]
    supplement = _figure(sum(b.row_count for b in supplementary),
                         sum((Decimal(b.total_amount) for b in supplementary), ZERO))
    checks = {
        "issued_equals_paid_failed_awaiting": all(
            issued[k] == paid[k] + failed[k] + awaiting[k] for k in ("count", "amount")),
        "failed_equals_reissued_closed_open": all(
            failed[k] == reissued_new[k] + closed[k] + open_[k] for k in ("count", "amount")),
    }
    return {
        "source": source.key, "source_id": source_id, "label": record.label,
        "figures": {"issued": issued, "supplement": supplement, "paid": paid, "failed": failed, "awaiting": awaiting, "reissued": reissued_new,
                    "closed": closed, "open": open_},
        "files": len([b for b in batches if b.status in sent]),
        "pending_files": len([b for b in batches if b.status in (S.PREPARED, S.APPROVED)]),
        "checks": checks,
        "balanced": all(checks.values()),
        "settled": all(checks.values()) and awaiting["count"] == 0 and open_["count"] == 0
        and not any(b.status in (S.PREPARED, S.APPROVED) for b in batches) and issued["count"] > 0,
        "batches": batches,
    }


def report_table(report: dict) -> list[list]:
    """The report as rows for apps.core.exports (XLSX/CSV): amounts stay Decimal."""
    labels = dict(REPORT_ROWS)
    rows: list[list] = [["项目", "笔数", "金额（元）"]]
    rows += [[labels[key], report["figures"][key]["count"], report["figures"][key]["amount"]] for key, _ in REPORT_ROWS]
    rows.append(["已发放 = 已支付 + 支付失败 + 待回盘", "平衡" if report["checks"]["issued_equals_paid_failed_awaiting"]
                 else "不平衡", ""])
    rows.append(["支付失败 = 已重新发放 + 已关闭 + 失败待处理",
                 "平衡" if report["checks"]["failed_equals_reissued_closed_open"] else "不平衡", ""])
    return rows
