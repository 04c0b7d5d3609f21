"""The bank-ready disbursement file (CSV or XLSX), through the one export module (apps.core.exports).

Columns (a 批量代发 file a bank's corporate channel imports): 参考号, 收款单位代码, 收款单位, 开户银行, 收款账号,
户名, 金额, 用途 — for a source whose payees are people (`PaymentSource.personal`, training claims) the payee
columns read 收款人身份证号 (the masked ID number the line carries) and 收款人. The CSV ends with one control line — 合计, the count, the sum, SHA-256 — and the XLSX has a second
sheet 控制信息 with the same figures, the batch, the approver and the issuer. Amounts are exact: text with two
decimals in the CSV, Decimal (a number cell, #,##0.00) in the XLSX. A name that starts with = + - @ is
neutralised by the export module; the hash is over the raw values (apps.payments.canonical).
"""

from __future__ import annotations

from django.apps import apps as django_apps

from apps.core import exports
from apps.core.audit import log_bulk_read, log_read
from apps.core.models import AccessLog
from apps.payments.canonical import amount_text
from apps.payments.models import PaymentBatch
from apps.payments.selectors import batch_lines
from apps.payments.services import check_issued_file
from apps.payments.sources import SOURCES

HEADER = ["参考号", "收款单位代码", "收款单位", "开户银行", "收款账号", "户名", "金额", "用途"]
PERSONAL_HEADER = ["参考号", "收款人身份证号", "收款人", *HEADER[3:]]
FORMATS = ("csv", "xlsx")


def header(batch: PaymentBatch) -> list[str]:
    """收款人 when the source pays people, 收款单位 when it pays units (and for a source no longer registered)."""
    source = SOURCES.get(batch.source)
    return PERSONAL_HEADER if source is not None and source.personal else HEADER


def _rows(batch: PaymentBatch, *, typed: bool) -> list[list]:
    rows = []
    for line in batch_lines(batch=batch).iterator(chunk_size=2000):
        amount = line.amount if typed else amount_text(line.amount)
        rows.append([line.reference, line.payee_code, line.payee_name, line.bank_name, line.account_number,
                     line.account_name, amount, batch.purpose])
    return rows


def control_rows(batch: PaymentBatch) -> list[list]:
    return [["发放文件", f"#{batch.pk}（{batch.get_kind_display()}）"], ["用途", batch.purpose],
            ["笔数", batch.row_count], ["总金额", batch.total_amount], ["SHA-256", batch.issued_sha256],
            ["审批人", str(batch.approved_by or "")],
            ["审批时间", f"{batch.approved_at:%Y-%m-%d %H:%M:%S}" if batch.approved_at else ""],
            ["发放人", str(batch.issued_by or "")],
            ["发放时间", f"{batch.issued_at:%Y-%m-%d %H:%M:%S}" if batch.issued_at else ""]]


def file_bytes(batch: PaymentBatch, fmt: str) -> bytes:
    check_issued_file(batch)
    if fmt == "xlsx":
        return _xlsx(batch)
    control = ["合计", str(batch.row_count), "", "", "", "", amount_text(batch.total_amount),
               f"SHA-256:{batch.issued_sha256}"]
    return exports.csv_bytes([header(batch), *_rows(batch, typed=False), control])


def _xlsx(batch: PaymentBatch) -> bytes:
    return exports.xlsx_sheets_bytes([("发放明细", [header(batch), *_rows(batch, typed=True)], (18, 22, 34, 30, 26, 34, 14, 20)),
                                      ("控制信息", [["项目", "内容"], *control_rows(batch)], (12, 70))])


def file_name(batch: PaymentBatch, fmt: str) -> str:
    return f"发放文件_{batch.source.replace('.', '_')}_{batch.source_id}_{batch.pk}.{fmt}"


def file_download(*, batch: PaymentBatch, user, request, fmt: str):
    """The file carries full account numbers: one access-log row per download."""
    content = file_bytes(batch, fmt)
    log_read(user=user, obj=batch, request=request, action=AccessLog.Action.EXPORT,
             purpose=f"下载发放文件 {batch.row_count} 笔（{fmt.upper()}）")
    source = SOURCES.get(batch.source)
    if source is not None and source.payee_model:  # the payees are people: their accounts were read
        log_bulk_read(user=user, model=django_apps.get_model(source.payee_model), request=request,
                      ids=list(batch.lines.order_by("reference").values_list("row_key", flat=True)),
                      action=AccessLog.Action.EXPORT, purpose=f"下载发放文件 #{batch.pk}（收款账号）")
    return exports.download(content, filename=file_name(batch, fmt))
