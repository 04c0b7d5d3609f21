"""Caseworker UI: the policy calculator (政策计算器), stored determinations, proactive matches (主动发现)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView, TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.core import audit
from apps.core.bulk import BulkActionView, bulk_context
from apps.core.exceptions import ApplicationError
from apps.core.forms import add_service_error
from apps.core.idempotency import once_redirect
from apps.core.pagination import PageSizeMixin
from apps.eligibility.bulk import MATCH_BULK
from apps.eligibility.calculators import maternity
from apps.eligibility.calculators.registry import CALCULATORS
from apps.eligibility.forms import BenefitMatchResolveForm, FactsForm
from apps.eligibility.models import BenefitMatch
from apps.eligibility.providers import APPLICANT, EMPLOYER, fact_provider
from apps.eligibility.selectors import (
    benefit_match_get,
    benefit_match_list,
    calculation_compute,
    calculator_get,
    determination_compare,
    determination_get,
    determination_list,
    facts_parse,
    region_code_check,
)
from apps.eligibility.services import benefit_match_resolve, determination_create


def _calculator(name: str | None):
    return calculator_get(name or maternity.NAME)  # an unknown name: NotFoundError, a 404


class CalculatorView(RoleRequiredMixin, View):
    """Counter staff: choose a calculator, fill in the generated form, see the result and its explanation."""

    template_name = "eligibility/calculator.html"

    def get(self, request):
        calculator = _calculator(request.GET.get("calculator"))
        return self._render(request, calculator, FactsForm(calculator))

    def post(self, request):
        calculator = _calculator(request.POST.get("calculator"))
        form = FactsForm(calculator, request.POST)
        if not form.is_valid():
            return self._render(request, calculator, form, status=400)
        try:
            facts = facts_parse(calculator, form.facts_json())
            if request.POST.get("action") == "save":
                def save() -> str:
                    determination = determination_create(user=request.user, calculator=calculator.name,
                                                         facts=facts, label="政策计算器")
                    messages.success(request, f"已保存测算记录 #{determination.pk}")
                    return reverse("eligibility:determination-detail", args=[determination.pk])

                # once per form shown (apps.core.idempotency): a double click saves one record
                return once_redirect(request, save, fallback_url=reverse("eligibility:determination-list"))
            calculation = calculation_compute(calculator=calculator, facts=facts,
                                              region_code=region_code_check(request.user.region_id))
        except ApplicationError as error:  # FactsInvalid too: its messages under the facts' fields
            add_service_error(form, error)
            return self._render(request, calculator, form, status=400)
        return self._render(request, calculator, form, result=calculation.to_dict())

    def _render(self, request, calculator, form, result=None, status=200):
        return render(request, self.template_name, {
            "calculator": calculator, "calculators": CALCULATORS.values(), "form": form, "result": result,
        }, status=status)


class DeterminationListView(RoleRequiredMixin, PageSizeMixin, ListView):
    template_name = "eligibility/determination_list.html"
    paginate_by = 50

    def get_queryset(self):
        return determination_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "calculators": CALCULATORS.values(),
                "selected": self.request.GET.get("calculator", "")}


class DeterminationDetailView(RoleRequiredMixin, TemplateView):
    """The stored explanation, as computed then; `?recompute=1` adds 按当前参数重算 beside it."""

    template_name = "eligibility/determination_detail.html"

    def get_context_data(self, **kwargs):
        determination = determination_get(user=self.request.user, pk=kwargs["pk"])
        audit.log_read(user=self.request.user, obj=determination, request=self.request, purpose="查看待遇测算决定")
        comparison = error = None
        if self.request.GET.get("recompute"):
            try:
                comparison = determination_compare(determination=determination)
            except ApplicationError as failure:
                error = failure.message
        # The stored Result.to_dict(), shown with what the determination row itself records.
        result = {**determination.result, "title": determination.calculator_title,
                  "as_of": determination.as_of.isoformat(), "region": determination.region_id,
                  "facts": determination.facts}
        return {**super().get_context_data(**kwargs), "determination": determination, "result": result,
                "comparison": comparison, "recompute_error": error}


class DeterminationFromSubjectView(RoleRequiredMixin, View):
    """Benefits panel / employer panel → 保存为决定: the facts are gathered again from the registry now."""

    # The form field naming the subject → the fact provider's subject kind.
    SUBJECT_FIELDS = {"person": APPLICANT, "employer": EMPLOYER}

    def post(self, request):
        calculator = _calculator(request.POST.get("calculator"))
        field = next((name for name in self.SUBJECT_FIELDS if request.POST.get(name)), None)
        if field is None:
            raise Http404
        provider = fact_provider(self.SUBJECT_FIELDS[field])
        try:
            pk = int(request.POST[field])
        except ValueError:
            return self._refused(request, "提交的数据有误。")
        subject = provider.get(user=request.user, pk=pk)  # outside the region: NotFoundError is a 404
        today = timezone.localdate()
        try:
            if field == "person":
                entries = provider.benefit_entries(subject, as_of=today, calculator=calculator.name)
                index = int(request.POST.get("index", 0))
                kwargs = {"person": subject}
            else:
                year = int(request.POST.get("year", today.year - 1))
                entries = provider.benefit_entries(subject, as_of=today, calculator=calculator.name, year=year)
                index = 0
                kwargs = {"employer": subject}
            if not 0 <= index < len(entries):
                raise ApplicationError("no_facts_for_subject", "登记信息不足以生成此项测算。")
            entry = entries[index]

            def save() -> str:
                determination = determination_create(user=request.user, calculator=calculator.name,
                                                     facts=entry.facts, label=entry.label, **kwargs)
                messages.success(request, f"已保存待遇测算决定 #{determination.pk}")
                return reverse("eligibility:determination-detail", args=[determination.pk])

            # once per form shown (apps.core.idempotency): a double click saves one decision
            return once_redirect(request, save, fallback_url=reverse("eligibility:determination-list"))
        except (ValueError, ApplicationError) as error:
            return self._refused(request, getattr(error, "message", "提交的数据有误。"))

    def _refused(self, request, message: str):
        messages.error(request, message)
        return redirect(request.META.get("HTTP_REFERER") or "eligibility:determination-list")


class BenefitMatchListView(RoleRequiredMixin, PageSizeMixin, ListView):
    """主动发现: people the daily job found qualifying for a benefit they have not received."""

    template_name = "eligibility/match_list.html"
    paginate_by = 50

    def get_queryset(self):
        return benefit_match_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", BenefitMatch.Status.OPEN)
        bulk = (bulk_context(self.request, MATCH_BULK, reverse("eligibility:match-bulk"))
                if status == BenefitMatch.Status.OPEN else {})
        return {**super().get_context_data(**kwargs), "statuses": BenefitMatch.Status.choices, "status": status,
                "resolve_form": BenefitMatchResolveForm(), **bulk}


class BenefitMatchBulkView(RoleRequiredMixin, BulkActionView):
    """Several open leads marked at once (apps.core.bulk): per record, with a report."""

    bulk = MATCH_BULK
    list_url_name = "eligibility:match-list"


class BenefitMatchResolveView(RoleRequiredMixin, View):
    def post(self, request, pk: int):
        match = benefit_match_get(user=request.user, pk=pk)
        form = BenefitMatchResolveForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择处理结果。")
        else:
            try:
                match = benefit_match_resolve(user=request.user, match=match, **form.cleaned_data)
                messages.success(request, f"已将“{match.person.name}·{match.calculator_title}”标记为"
                                          f"{match.get_status_display()}")
            except ApplicationError as error:
                detail = "；".join(m for msgs in error.fields.values() for m in msgs)
                messages.error(request, f"{error.message}{'（' + detail + '）' if detail else ''}")
        return redirect("eligibility:match-list")
