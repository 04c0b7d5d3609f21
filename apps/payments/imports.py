"""The bank's return file (银行回盘) as an import kind: one row per reference, paid or failed with a reason.

Through the one import service (apps.imports): every bad row is reported with its line number and nothing is
written unless the whole file is clean. A reference the importer may not see answers like one that does not
exist (no existence oracle). Re-importing the same file changes nothing.
"""

from __future__ import annotations

from apps.core.scoping import filter_by_prefix
from apps.imports.spec import CellError, Column, Context, Counts, Issue, Row, RowSpec, text
from apps.payments.models import PaymentBatch, PaymentLine
from apps.payments.services import lines_record_return

RESULT_WORDS = {"paid": "paid", "成功": "paid", "已支付": "paid", "success": "paid",
                "failed": "failed", "失败": "failed", "支付失败": "failed", "fail": "failed"}
UNKNOWN_REFERENCE = "参考号不存在或不在您的经办范围内"


def result(value: str, ctx: Context) -> str:
    found = RESULT_WORDS.get(value.lower())
    if found is None:
        raise CellError("应为 paid/failed（或 成功/失败）")
    return found


class PaymentReturnSpec(RowSpec):
    kind = "payment_returns"
    list_url_name = ""
    columns = (
        Column("reference", "参考号", text(20), required=True),
        Column("result", "支付结果", result, required=True),
        Column("failure_reason", "失败原因", text(200), empty=""),
    )
    key_columns = ("reference",)
    fallback_encoding = "gb18030"  # banks' files come from Chinese Windows

    def check_chunk(self, rows: list[Row], ctx: Context) -> list[Issue]:
        issues = []
        lines = filter_by_prefix(PaymentLine.objects.filter(reference__in=[row.values["reference"] for row in rows]),
                                 ctx.scope_prefix, "batch__region__code")
        found = {reference: (status, batch_status) for reference, status, batch_status
                 in lines.values_list("reference", "status", "batch__status")}
        for row in rows:
            reference, outcome = row.values["reference"], row.values["result"]
            if outcome == "failed" and not row.values.get("failure_reason"):
                issues.append(Issue(row.line, "failure_reason", "", "失败原因：支付失败的明细必须填写失败原因"))
            if reference not in found:
                issues.append(Issue(row.line, "reference", reference, UNKNOWN_REFERENCE))
                continue
            status, batch_status = found[reference]
            if batch_status not in (PaymentBatch.Status.ISSUED, PaymentBatch.Status.RETURNED):
                issues.append(Issue(row.line, "reference", reference, "该明细所在的发放文件尚未发放，不能登记回盘"))
            elif status != PaymentLine.Status.AWAITING and _outcome(status) != outcome:
                label = PaymentLine.Status(status).label
                issues.append(Issue(row.line, "result", outcome, f"该明细已登记为“{label}”，不能改为其他结果"))
        return issues

    def write_chunk(self, rows: list[Row], ctx: Context) -> Counts:
        updated, unchanged = lines_record_return(rows=[row.values for row in rows], import_batch=ctx.batch,
                                                 user=ctx.user)
        return Counts(updated=updated, unchanged=unchanged)


def _outcome(status: str) -> str:
    return "paid" if status == PaymentLine.Status.PAID else "failed"
