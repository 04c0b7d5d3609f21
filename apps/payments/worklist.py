"""The payments' 待办 (registered in PaymentsConfig): disbursement files waiting for a reviewer who did not prepare
them (approve, then issue: four eyes), and the 重新发放 worklist — failed payments nobody has re-issued or closed yet."""

from __future__ import annotations

from django.urls import reverse

from apps.core.money import format_money
from apps.core.registry import WorkItem, WorklistSource
from apps.core.review import REVIEWER_ROLES
from apps.core.scoping import scope_queryset
from apps.payments.models import PaymentBatch, PaymentLine
from apps.payments.services import failed_lines as failed_line_list
from apps.payments.sources import SOURCES

S = PaymentBatch.Status
NEXT_STEP: dict[str, str] = {S.PREPARED: "待审批", S.APPROVED: "已审批，待发放（生成银行文件）"}


def batches_awaiting_review(user, today):
    batches = scope_queryset(PaymentBatch.objects.filter(status__in=list(NEXT_STEP)), user)
    # Ordered by id: a file's id follows its preparation time (`since`); the primary key serves the sort.
    return batches.exclude(prepared_by=user).select_related("prepared_by").order_by("id")


def batch_item(batch: PaymentBatch) -> WorkItem:
    return WorkItem(what=f"{batch} · {batch.purpose}", url=reverse("payments:batch", args=[batch.pk]),
                    why=f"{NEXT_STEP[batch.status]}：{batch.row_count} 笔，合计 {format_money(batch.total_amount)} 元"
                        f"（制单人：{batch.prepared_by}）",
                    since=batch.approved_at if batch.status == S.APPROVED else batch.prepared_at)


def failed_lines(user, today):
    return failed_line_list(user=user).order_by("returned_at", "id")


def failed_line_item(line: PaymentLine) -> WorkItem:
    source = SOURCES.get(line.batch.source)
    url = (reverse("payments:source", args=[source.slug, line.batch.source_id]) if source
           else reverse("payments:reissue-worklist"))
    return WorkItem(what=f"{line.payee_name} · {format_money(line.amount)} 元 · {line.failure_reason}", url=url,
                    why=f"银行退回（{line.failure_reason or '支付失败'}），核实收款账户后重新发放，或由审核人说明原因后关闭",
                    since=line.returned_at)


BATCH_REVIEW = WorklistSource(key="payments.batch_review", module="payments", label="发放文件待审批或发放",
                              queryset=batches_awaiting_review, item=batch_item, roles=REVIEWER_ROLES, order=40)
REISSUE_WORKLIST = WorklistSource(key="payments.reissue", module="payments", label="支付失败待重新发放",
                                  queryset=failed_lines, item=failed_line_item, order=42)
WORKLIST_SOURCES = (BATCH_REVIEW, REISSUE_WORKLIST)
