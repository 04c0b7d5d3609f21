"""Caseworker pages of the payment service: a record's payment (readiness, files, actions), a file, the
reconciliation report and the 重新发放 worklist. The same services and selectors as the API."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.core.exceptions import ApplicationError
from apps.core.exports import table_download
from apps.core.review import may_review
from apps.payments import services
from apps.payments.files import FORMATS, file_download
from apps.payments.lifecycle import LIFECYCLE, SYSTEM_ACTIONS
from apps.payments.selectors import (
    REPORT_ROWS,
    batch_events,
    batch_get,
    batch_lines,
    batch_list,
    report_table,
    source_readiness,
    source_report,
    supplement_due,
)
from apps.payments.sources import SOURCES, PaymentSource, source_by_slug

LINES_SHOWN = 500  # a file page lists this many lines; the file itself has them all


def _source(slug: str) -> PaymentSource:
    source = source_by_slug(slug)
    if source is None:
        raise Http404
    return source


class SourcePaymentView(RoleRequiredMixin, TemplateView):
    """One record's payment: who is missing bank details, its files, re-issue, the report."""

    template_name = "payments/source.html"

    def get_context_data(self, **kwargs):
        source = _source(kwargs["source"])
        source_id = kwargs["source_id"]
        record = services.source_record(user=self.request.user, source=source, source_id=source_id)
        readiness = source_readiness(user=self.request.user, source_key=source.key, source_id=source_id)
        failed = services.failed_lines(user=self.request.user, source_key=source.key, source_id=source_id)
        due = supplement_due(source=source, source_id=source_id)
        return {**super().get_context_data(**kwargs), "source": source, "source_id": source_id, "record": record,
                "readiness": readiness, "supplement_due": due[:LINES_SHOWN], "supplement_count": len(due),
                "supplement_total": sum((line.amount for line in due), Decimal("0.00")), "failed_lines": list(failed.order_by("reference")[:LINES_SHOWN]),
                "batches": batch_list(user=self.request.user, source_key=source.key, source_id=source_id)}


class SourceActionView(RoleRequiredMixin, View):
    """POST prepare (the first file), supplement (rows payable since) or reissue (the failed lines)."""

    action = "prepare"

    def post(self, request, source, source_id):
        payment_source = _source(source)
        # 404 for a record the user may not see, before any refusal is said (one answer for unknown and elsewhere)
        services.source_record(user=request.user, source=payment_source, source_id=source_id)
        try:
            if self.action == "prepare":
                batch = services.batch_prepare(user=request.user, source_key=payment_source.key, source_id=source_id)
                messages.success(request, f"已制作发放文件 #{batch.pk}，请由另一位审核人审批")
            elif self.action == "supplement":
                batch = services.supplement_prepare(user=request.user, source_key=payment_source.key,
                                                    source_id=source_id)
                messages.success(request, f"已制作补充发放文件 #{batch.pk}（{batch.row_count} 笔），请由另一位审核人审批")
            else:
                batch = services.lines_reissue(user=request.user, source_key=payment_source.key, source_id=source_id,
                                               line_ids=[int(i) for i in request.POST.getlist("line") if i.isdigit()]
                                               or None)
                messages.success(request, f"已为失败明细制作重新发放文件 #{batch.pk}，请由另一位审核人审批")
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("payments:source", source=source, source_id=source_id)
        return redirect("payments:batch", pk=batch.pk)


class BatchView(RoleRequiredMixin, TemplateView):
    template_name = "payments/batch.html"

    def get_context_data(self, **kwargs):
        batch = batch_get(user=self.request.user, pk=kwargs["pk"])
        source = SOURCES.get(batch.source)
        lines = list(batch_lines(batch=batch)[:LINES_SHOWN])
        # every move a person makes, the refused ones (the maker: four eyes) disabled with the reason
        offers = [o for o in LIFECYCLE.offers(batch, self.request.user) if o.action not in SYSTEM_ACTIONS]
        actions = [o for o in offers if not o.refusal]
        return {**super().get_context_data(**kwargs), "batch": batch, "source": source, "lines": lines,
                "events": batch_events(batch=batch), "actions": actions, "offers": offers, "formats": FORMATS,
                "may_close": may_review(self.request.user)}


MOVES = {"approve": services.batch_approve, "issue": services.batch_issue, "cancel": services.batch_cancel}


class BatchMoveView(RoleRequiredMixin, View):
    def post(self, request, pk, action):
        batch = batch_get(user=request.user, pk=pk)
        if action not in MOVES:
            raise Http404
        try:
            MOVES[action](user=request.user, batch_id=batch.pk, note=request.POST.get("note", ""))
            messages.success(request, f"{LIFECYCLE.label(action)}：已完成")
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("payments:batch", pk=batch.pk)


class BatchFileView(RoleRequiredMixin, View):
    def get(self, request, pk, fmt):
        batch = batch_get(user=request.user, pk=pk)
        if fmt not in FORMATS:
            raise Http404
        try:
            return file_download(batch=batch, user=request.user, request=request, fmt=fmt)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("payments:batch", pk=batch.pk)


class LineCloseView(RoleRequiredMixin, View):
    def post(self, request, pk):
        try:
            line = services.line_close(user=request.user, line_id=pk, reason=request.POST.get("reason", ""))
            messages.success(request, f"明细 {line.reference} 已关闭")
        except ApplicationError as error:
            if error.status_code == 404:
                raise
            messages.error(request, error.message)
        return redirect(request.POST.get("next") if _safe_next(request) else reverse("payments:reissue-worklist"))


def _safe_next(request) -> bool:
    target = request.POST.get("next", "")
    return target.startswith("/") and not target.startswith("//")


class ReportView(RoleRequiredMixin, TemplateView):
    template_name = "payments/report.html"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in FORMATS:
            source = _source(kwargs["source"])
            report = source_report(user=request.user, source_key=source.key, source_id=kwargs["source_id"])
            return table_download(report_table(report), fmt=fmt, title="对账报告", widths=(40, 10, 18),
                                  stem=f"对账报告_{kwargs['source']}_{kwargs['source_id']}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        source = _source(kwargs["source"])
        report = source_report(user=self.request.user, source_key=source.key, source_id=kwargs["source_id"])
        labels = dict(report_rows())
        return {**super().get_context_data(**kwargs), "source": source, "source_id": kwargs["source_id"],
                "report": report, "rows": [(labels[key], report["figures"][key]) for key, _ in report_rows()]}


def report_rows():
    return REPORT_ROWS


class ReissueWorklistView(RoleRequiredMixin, TemplateView):
    template_name = "payments/reissue_worklist.html"

    def get_context_data(self, **kwargs):
        lines = services.failed_lines(user=self.request.user).order_by("returned_at", "id")[:LINES_SHOWN]
        rows = []
        for line in lines:
            source = SOURCES.get(line.batch.source)
            rows.append((line, reverse("payments:source", args=[source.slug, line.batch.source_id]) if source else ""))
        return {**super().get_context_data(**kwargs), "rows": rows}
