"""The runs page: start, follow, review, export; per-employer explanation and notice (告知书)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.models import User
from apps.accounts.permissions import RoleRequiredMixin
from apps.core.exceptions import ApplicationError
from apps.core.idempotency import once_redirect
from apps.core.pagination import page_size
from apps.core.review import ReviewRefused
from apps.employers.models import Employer
from apps.objections.selectors import objection_list, open_objection_for
from apps.refunds.explain import result_explain
from apps.refunds.exports import export_response
from apps.refunds.filters import RefundResultFilter
from apps.refunds.forms import ReviewForm, RunStartForm
from apps.refunds.models import REASON_LABELS, SIZE_LABELS, RefundRun
from apps.refunds.objections import SLUG as OBJECTION_SLUG
from apps.refunds.payment_lifecycle import LIFECYCLE as PAYMENT_LIFECYCLE
from apps.refunds.selectors import (
    official_run_for,
    result_get,
    result_list,
    run_diff,
    run_get,
    run_list,
    run_progress,
    run_summary,
    version_comparison,
    visible_prefix,
)
from apps.refunds.services import chunks_sweep_if_due, run_approve, run_reconcile, run_reject, run_start
from apps.refunds.snapshots import run_snapshot


class RunListView(RoleRequiredMixin, TemplateView):
    template_name = "refunds/run_list.html"

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
                form.add_error(None, error.message)
                for field, errors in error.fields.items():
                    if field in form.fields:
                        for message in errors:
                            form.add_error(field, message)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RunDetailView(RoleRequiredMixin, TemplateView):
    template_name = "refunds/run_detail.html"

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
        context.update({
            "summary": summary, "partial_view": bool(prefix), "page_obj": page, "results": page.object_list,
            "filter": RefundResultFilter(self.request.GET),
            "diff": run_diff(run=run, base=base, region_prefix=prefix) if base else None,
            "chart_size": {"labels": [s["label"] for s in summary["by_size"]],
                           "values": [float(s["amount"]) for s in summary["by_size"]]},  # display only
            "chart_reason": {"labels": [r["label"] for r in summary["by_reason"]],
                             "values": [r["count"] for r in summary["by_reason"]]},
            "can_review": (isinstance(self.request.user, User) and self.request.user.is_supervisor and run.is_official
                           and run.status in (RefundRun.Status.COMPUTED, RefundRun.Status.FAILED)),
            "history": run.history.select_related("history_user").order_by("history_date")[:50],
            "payment_actions": [t for t in PAYMENT_LIFECYCLE.available(run, self.request.user) if t.action != "issue"],
            "payment_transitions": run.transitions.select_related("user").order_by("id"),
            # Rows held by an open objection (left out of payment until decided): the run is not held.
            "held": held_objections(user=self.request.user, run=run),
        })
        return context


def held_objections(*, user, run: RefundRun):
    return list(objection_list(user=user, source=OBJECTION_SLUG, record_id=run.pk)
                .filter(status__in=["lodged", "under_review"])[:200])


class RunProgressView(RoleRequiredMixin, View):
    def get(self, request, pk):
        run = run_get(user=request.user, pk=pk)
        if run.status == RefundRun.Status.COMPUTING and chunks_sweep_if_due():
            run.refresh_from_db()
        return JsonResponse({"status": run.status, "status_display": run.status_label,
                             **run_progress(run=run)})


class RunReviewView(RoleRequiredMixin, View):
    """Approve or return a run. Who may is core.review's rule, checked by the service: a wrong role or the
    run's starter gets its one refusal as a 403 page, like every approval flow."""

    decision = "approve"

    def post(self, request, pk):
        run = run_get(user=request.user, pk=pk)
        form = ReviewForm(request.POST)
        comment = form.data.get("comment", "") if form.is_valid() else ""
        try:
            if self.decision == "approve":
                run_approve(run_id=run.pk, user=request.user, comment=comment)
                messages.success(request, "批次已审核通过，结果已冻结，可导出发放清单")
            else:
                run_reject(run_id=run.pk, user=request.user, comment=comment)
                messages.warning(request, "批次已退回")
        except ReviewRefused:
            raise  # the one review refusal: a 403 page (core.middleware), the same in every approval flow
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("refunds:detail", pk=run.pk)


class RunReconcileView(RoleRequiredMixin, View):
    """Who may confirm reconciliation is the lifecycle's rule (a reviewer), refused as every approval is."""

    def post(self, request, pk):
        run = run_get(user=request.user, pk=pk)
        try:
            run_reconcile(run_id=run.pk, user=request.user, note=request.POST.get("comment", ""))
            messages.success(request, "已确认对账完成")
        except ReviewRefused:
            raise  # the one review refusal: a 403 page, as in every approval flow
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("refunds:detail", pk=run.pk)


class RunExportView(RoleRequiredMixin, View):
    def get(self, request, pk):
        run = run_get(user=request.user, pk=pk)
        fmt = request.GET.get("format", "csv")
        try:
            if fmt not in ("csv", "xlsx"):
                raise ApplicationError("invalid_format", "导出格式只能是 csv 或 xlsx")
            return export_response(run=run, user=request.user, request=request, fmt=fmt)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("refunds:detail", pk=run.pk)


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
                   "objection": open_objection_for(OBJECTION_SLUG, run.pk, str(result.employer_id)),
                   "may_object": run.status == RefundRun.Status.PUBLICIZING and run.is_official}
        previous = result.supersedes
        if previous is not None:  # an upheld objection: the old and the new explanation side by side
            context["comparison"] = version_comparison(previous, result)
        return context


class NoticeView(_ResultMixin, TemplateView):
    """告知书: printable; only for eligible employers of a run that is not a what-if."""

    template_name = "refunds/notice.html"

    def get_context_data(self, **kwargs):
        run, result = self.get_result(**kwargs)
        if not result.eligible:
            raise Http404
        explanation = result_explain(result)
        context = {**super().get_context_data(**kwargs), "run": run, "result": result, "explanation": explanation,
                   "size_label": SIZE_LABELS.get(result.size_class, "")}
        if explanation.problem or explanation.refund is None:
            return context  # the page says what happened; no notice is printed from unverifiable figures
        params = run_snapshot(run)
        value = lambda key: format(params.get(f"stable_job_refund.{key}").value.normalize(), "f")  # noqa: E731
        basis = {"min_months": params.get("stable_job_refund.min_months_paid").value,
                 "small_headcount": params.get("stable_job_refund.small_employer_max_headcount").value,
                 "small_limit": value("small_employer_max_layoff_rate"),
                 "target": value("unemployment_control_target"),
                 "large_rate": value("large_enterprise_rate"), "sme_rate": value("sme_rate")}
        return {**context, "parameters": explanation.refund.parameters, "basis": basis, "sources": sorted({p.source for p in explanation.refund.parameters}),
                "entity_type_label": Employer.EntityType(result.entity_type).label}
