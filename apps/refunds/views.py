"""The runs page: start, follow, review, export; per-employer explanation and notice (告知书)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.core.audit import log_read
from apps.core.exceptions import ApplicationError
from apps.core.export_jobs import job_start, job_status, jobs_latest
from apps.core.forms import add_service_error
from apps.core.idempotency import once_redirect
from apps.core.listing import Listing, ListingMixin, facet_counts, register_listing
from apps.core.pagination import page_size
from apps.core.review import ReviewRefused
from apps.documents.selectors import batch_latest, batch_status
from apps.documents.views import notice_pdf_response, notice_preview_context
from apps.objections.selectors import decided_rows, objection_list, open_objection_for
from apps.payments.selectors import paid_notices, supplement_due
from apps.refunds.explain import result_explain
from apps.refunds.exports import FORMATS, export_check, export_inline, export_response
from apps.refunds.exports import SOURCE as EXPORT_SOURCE
from apps.refunds.filters import RefundResultFilter, RefundRunFilter
from apps.refunds.forms import ReviewForm, RunStartForm
from apps.refunds.models import REASON_LABELS, RUN_SLUG, SIZE_LABELS, RefundRun
from apps.refunds.notices import SOURCE as NOTICE_SOURCE
from apps.refunds.notices import is_draft as notice_is_draft
from apps.refunds.payment_lifecycle import LIFECYCLE as PAYMENT_LIFECYCLE
from apps.refunds.payment_lifecycle import SYSTEM_ACTIONS as PAYMENT_SYSTEM_ACTIONS
from apps.refunds.payments import SOURCE as PAYMENT_SOURCE
from apps.refunds.publicity import REVIEW_LIFECYCLE
from apps.refunds.selectors import (
    official_run_for,
    result_get,
    result_list,
    run_diff,
    run_get,
    run_list,
    run_progress,
    run_publicity,
    run_summary,
    version_comparison,
    visible_prefix,
)
from apps.refunds.services import (
    chunks_sweep_if_due,
    run_approve,
    run_confirm_notified,
    run_first_review,
    run_publish,
    run_reconcile,
    run_reject,
    run_start,
)


class RunListView(RoleRequiredMixin, ListingMixin, TemplateView):
    listing = register_listing(Listing("refund-runs", "稳岗返还批次", "refunds:list", RefundRunFilter, facets=("status",)))
    template_name = "refunds/run_list.html"

    def facet_queryset(self):
        # Official runs only: a 试算 is never 待初审 (its status is "computed" too, but nobody reviews it).
        return run_list(user=self.request.user, filters={}).filter(is_official=True)

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or RunStartForm(user=self.request.user)
        page = Paginator(run_list(user=self.request.user, filters=self.request.GET), page_size(self.request, 20)).get_page(
            self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "form": form, "page_obj": page, "runs": page.object_list}

    def post(self, request):
        form = RunStartForm(request.POST, user=request.user)
        if form.is_valid():
            def start() -> str:
                run = run_start(user=request.user, year=form.cleaned_data["year"],
                                region_code=form.cleaned_data["region"], dry_run=form.cleaned_data["dry_run"],
                                overrides=form.overrides() or None)
                messages.success(request, f"已发起 {run}，正在计算")
                return reverse("refunds:detail", args=[run.pk])

            try:  # once per form shown: a double click starts one run (apps.core.idempotency)
                return once_redirect(request, start, fallback_url=reverse("refunds:list"))
            except ApplicationError as error:
                add_service_error(form, error)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RunDetailView(RoleRequiredMixin, TemplateView):
    template_name = "refunds/run_detail.html"
    # A run's results: sortable and counted by decision and size; not saved (each run is its own list).
    results_listing = register_listing(Listing("refund-results", "返还结果", "refunds:detail", RefundResultFilter,
                                               facets=("size_class",), url_kwargs=("pk",)))

    def get_context_data(self, **kwargs):
        run = run_get(user=self.request.user, pk=kwargs["pk"])
        context = {**super().get_context_data(**kwargs), "run": run, "progress": run_progress(run=run),
                   "review_form": ReviewForm(), "reason_labels": REASON_LABELS, "size_labels": SIZE_LABELS}
        if run.status in (RefundRun.Status.CREATED, RefundRun.Status.COMPUTING):
            return context
        prefix = visible_prefix(self.request.user, run)
        summary = run_summary(run=run, region_prefix=prefix)
        results = result_list(user=self.request.user, run=run, filters=self.request.GET)
        results = results.select_related(None).prefetch_related("employer")  # as the API does (see there)
        page = Paginator(results, page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        base = None if run.is_official else official_run_for(run)
        moves = list(run.transitions.select_related("user").order_by("id"))
        context.update({
            "summary": summary, "partial_view": bool(prefix), "page_obj": page, "results": page.object_list,
            "filter": RefundResultFilter(self.request.GET),
            "listing": self.results_listing,
            "facets": facet_counts(self.results_listing, self.request.GET,
                                   result_list(user=self.request.user, run=run, filters={})),
            "diff": run_diff(run=run, base=base, region_prefix=prefix) if base else None,
            "chart_size": {"labels": [s["label"] for s in summary["by_size"]],
                           "values": [float(s["amount"]) for s in summary["by_size"]]},  # display only
            "chart_reason": {"labels": [r["label"] for r in summary["by_reason"]],
                             "values": [r["count"] for r in summary["by_reason"]]},
            "review_actions": [(t, reverse(f"refunds:{t.action.replace('_', '-')}", args=[run.pk]))
                               for t in REVIEW_LIFECYCLE.available(run, self.request.user)] if run.is_official else [],
            "publicity": run_publicity(run=run, request=self.request) if run.is_official else None,
            "history": run.history.select_related("history_user").order_by("history_date")[:50],
            "payment_actions": [(t, reverse(f"refunds:{t.action.replace('_', '-')}", args=[run.pk]))
                                for t in PAYMENT_LIFECYCLE.available(run, self.request.user)
                                if t.action not in PAYMENT_SYSTEM_ACTIONS],
            "payment_transitions": [m for m in moves if m.action not in REVIEW_LIFECYCLE.transitions],
            "review_transitions": [m for m in moves if m.action in REVIEW_LIFECYCLE.transitions],
            "notice_batch": batch_status(batch_latest(user=self.request.user, source=NOTICE_SOURCE, source_id=run.pk)),
            "export_jobs": [job_status(job) for job in
                            jobs_latest(user=self.request.user, source=EXPORT_SOURCE, source_id=run.pk).values()],
            "notice_slug": NOTICE_SOURCE.slug, "notice_draft": notice_is_draft(run),
            # Rows held by an open objection (left out of payment until decided): the run is not held.
            "held": held_objections(user=self.request.user, run=run),
            # Decided since the first file: 待补充发放 (the payments page prepares the file). Only rows with a
            # decided objection can be due, so only those are read (not the whole run on every page view).
            "supplement_count": len(supplement_due(source=PAYMENT_SOURCE, source_id=run.pk,
                                                   row_keys=decided_rows(RUN_SLUG, run.pk)))
            if run.is_official and run.is_frozen else 0,
            # 已对账, not yet 已告知: where the 已发放到账 notices are.
            "paid_notices": paid_notices(source=PAYMENT_SOURCE, source_id=run.pk)
            if run.status == RefundRun.Status.RECONCILED else None,
        })
        return context


def held_objections(*, user, run: RefundRun):
    return list(objection_list(user=user, source=RUN_SLUG, record_id=run.pk)
                .filter(status__in=["lodged", "under_review"])[:200])


class RunProgressView(RoleRequiredMixin, View):
    def get(self, request, pk):
        run = run_get(user=request.user, pk=pk)
        if run.status == RefundRun.Status.COMPUTING and chunks_sweep_if_due():
            run.refresh_from_db()
        return JsonResponse({"status": run.status, "status_display": run.status_label,
                             **run_progress(run=run)})


REVIEW_DONE = {
    "first_review": "初审通过，可发布公示",
    "publish": "已发布公示，公示期满后由另一位审核人复核",
    "approve": "批次已复核通过，结果已冻结，可导出发放清单",
    "reject": "批次已退回",
}


class RunReviewView(RoleRequiredMixin, View):
    """初审, 公示, 复核 (approve) or 退回 (apps.refunds.publicity.REVIEW_LIFECYCLE). Who may is core.review's
    rule, checked by the service: a wrong role, the starter or the first reviewer gets its one refusal as a 403
    page, like every approval flow."""

    decision = "approve"

    def post(self, request, pk):
        run = run_get(user=request.user, pk=pk)
        form = ReviewForm(request.POST)
        comment = form.data.get("comment", "") if form.is_valid() else ""
        try:
            if self.decision == "first_review":
                run_first_review(run_id=run.pk, user=request.user, comment=comment)
            elif self.decision == "publish":
                run_publish(run_id=run.pk, user=request.user)
            elif self.decision == "approve":
                run_approve(run_id=run.pk, user=request.user, comment=comment)
            else:
                run_reject(run_id=run.pk, user=request.user, comment=comment)
            messages.success(request, REVIEW_DONE[self.decision])
        except ReviewRefused:
            raise  # the one review refusal: a 403 page (core.middleware), the same in every approval flow
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("refunds:detail", pk=run.pk)


class RunReconcileView(RoleRequiredMixin, View):
    """Who may confirm reconciliation is the lifecycle's rule (a reviewer), refused as every approval is."""

    move = staticmethod(run_reconcile)
    done = "已确认对账完成"

    def post(self, request, pk):
        run = run_get(user=request.user, pk=pk)
        try:
            self.move(run_id=run.pk, user=request.user, note=request.POST.get("comment", ""))
            messages.success(request, self.done)
        except ReviewRefused:
            raise  # the one review refusal: a 403 page, as in every approval flow
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("refunds:detail", pk=run.pk)


class RunConfirmNotifiedView(RunReconcileView):
    """确认已告知: the units without any contact were told by letter or phone (the reason says how)."""

    move = staticmethod(run_confirm_notified)
    done = "已确认告知完成"


class RunExportView(RoleRequiredMixin, View):
    """GET: a small CSV streamed at once. POST (the page's buttons): the same small CSV, or — an XLSX, a CSV
    over EXPORT_INLINE_MAX_ROWS — a background job (apps.core.export_jobs) whose progress the page shows."""

    def get(self, request, pk):
        return self.export(request, pk, request.GET.get("format", "csv"), start=False)

    def post(self, request, pk):
        return self.export(request, pk, request.POST.get("format", "csv"), start=True)

    def export(self, request, pk, fmt: str, *, start: bool):
        run = run_get(user=request.user, pk=pk)
        try:
            if fmt not in FORMATS:
                raise ApplicationError("invalid_format", "导出格式只能是 csv 或 xlsx")
            export_check(run)
            if not start or export_inline(result_list(user=request.user, run=run).count(), fmt):
                return export_response(run=run, user=request.user, request=request, fmt=fmt)
            job_start(source=EXPORT_SOURCE, record=run, fmt=fmt, user=request.user)
            messages.success(request, f"已开始在后台生成 {fmt.upper()} 文件，完成后可在“导出文件”处下载")
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect(reverse("refunds:detail", args=[run.pk]) + "#exports")


class _ResultMixin(RoleRequiredMixin):
    request: HttpRequest

    def get_result(self, **kwargs):
        run = run_get(user=self.request.user, pk=kwargs["pk"])
        return run, result_get(user=self.request.user, run=run, employer_id=kwargs["employer_id"])


class ResultDetailView(_ResultMixin, TemplateView):
    template_name = "refunds/result_detail.html"

    def get_context_data(self, **kwargs):
        run, result = self.get_result(**kwargs)
        explanation = result_explain(result)
        context = {**super().get_context_data(**kwargs), "run": run, "result": result, "explanation": explanation,
                   "reason_labels": REASON_LABELS, "size_labels": SIZE_LABELS, "parameters": explanation.parameters,
                   "objection": open_objection_for(RUN_SLUG, run.pk, str(result.employer_id)),
                   "may_object": run.status == RefundRun.Status.PUBLICIZING and run.is_official}
        previous = result.supersedes
        if previous is not None:  # an upheld objection: the old and the new explanation side by side
            context["comparison"] = version_comparison(previous, result)
        return context


class NoticeView(_ResultMixin, TemplateView):
    """告知书 preview (HTML, printable): the same content as the PDF (apps.refunds.notices, through
    apps.documents.views.notice_preview_context), with the 草稿 watermark on screen and in print while the run is
    not approved; only for eligible units with an amount."""

    template_name = "refunds/notice.html"

    def get_context_data(self, **kwargs):
        run, result = self.get_result(**kwargs)
        if not result.eligible:
            raise Http404
        log_read(user=self.request.user, obj=run, request=self.request, purpose=f"查看告知书：单位 {result.employer_id}")
        context = {**super().get_context_data(**kwargs), "run": run, "result": result,
                   **notice_preview_context(user=self.request.user, source=NOTICE_SOURCE, source_id=run.pk,
                                            row_key=str(result.employer_id))}
        if context["content"] is None:
            context["explanation"] = result_explain(result)
        return context


class NoticePdfView(_ResultMixin, View):
    """The notice as PDF (apps.documents.views.notice_pdf_response): the stored version when its content is
    unchanged, else a new version. Each download is an access-log row."""

    def get(self, request, pk, employer_id):
        run, result = self.get_result(pk=pk, employer_id=employer_id)
        if not result.eligible:
            raise Http404
        return notice_pdf_response(request=request, source=NOTICE_SOURCE, source_id=run.pk,
                                   row_key=str(result.employer_id), filename=f"告知书-{run.pk}-{result.employer_id}")
