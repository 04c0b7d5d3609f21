"""Pages: the case list, 立案, the case with its lifecycle buttons, one POST per move, the statistics."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.applicants.selectors import person_by_id_number
from apps.core.audit import log_read
from apps.core.exceptions import ApplicationError
from apps.core.exports import table_download
from apps.core.idempotency import ServiceCreateMixin
from apps.core.listing import Listing, ListingMixin, register_listing
from apps.core.pagination import page_size
from apps.core.review import ReviewRefused
from apps.fraud import selectors, services
from apps.fraud.filters import FraudCaseFilter
from apps.fraud.forms import CaseForm, FindingForm, NoteForm


class CaseListView(RoleRequiredMixin, ListingMixin, TemplateView):
    listing = register_listing(Listing("fraud-cases", "欺诈骗保案件", "fraud:case-list", FraudCaseFilter,
                                       facets=("status",)))
    template_name = "fraud/case_list.html"

    def facet_queryset(self):
        return selectors.case_list(user=self.request.user, filters={})

    def get_context_data(self, **kwargs):
        queryset = selectors.case_list(user=self.request.user, filters=self.request.GET)
        page = Paginator(queryset, page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "filter": FraudCaseFilter(self.request.GET)}


class CaseCreateView(RoleRequiredMixin, ServiceCreateMixin, FormView):
    template_name = "fraud/case_form.html"
    form_class = CaseForm
    fallback_url_name = "fraud:case-list"

    def create(self, form) -> str:
        data = form.cleaned_data
        person = person_by_id_number(user=self.request.user, id_number=data["id_number"])
        case = services.case_create(user=self.request.user, person=person, kind=data["kind"],
                                    reported_on=data["reported_on"], hospital=data["hospital"],
                                    amount_billed=data["amount_billed"], description=data["description"])
        messages.success(self.request, f"已立案：{case}")
        return reverse("fraud:case-detail", args=[case.pk])


class CaseDetailView(RoleRequiredMixin, TemplateView):
    template_name = "fraud/case_detail.html"

    def get_context_data(self, **kwargs):
        case = selectors.case_get(user=self.request.user, pk=kwargs["pk"])
        log_read(user=self.request.user, obj=case.person, request=self.request, purpose="欺诈骗保案件")
        finding = selectors.case_finding(case)
        offers = services.case_offers(case=case, user=self.request.user)
        return {**super().get_context_data(**kwargs), "case": case, "finding": finding,
                "appeals": list(selectors.case_appeals(case)), "offers": offers,
                "find_offer": next((o for o in offers if o.action == "find"), None),
                "other_offers": [o for o in offers if o.action != "find"],
                "needs_note": any(o.needs_reason and not o.refusal for o in offers if o.action != "find"),
                "finding_form": FindingForm(initial={"misused_amount": case.amount_billed}),
                "note_form": NoteForm(), "stepper": services.CASE_LIFECYCLE.stepper(
                    ("opened", "investigating", "found", "effective"), case.status,
                    finished=case.status in ("appealing", "revoked"))}


class CaseActionView(RoleRequiredMixin, View):
    """One POST per move of CASE_LIFECYCLE."""

    def post(self, request, pk, action):
        if action not in services.CASE_LIFECYCLE.transitions:
            raise Http404
        case = selectors.case_get(user=request.user, pk=pk)
        if action == "find":
            form = FindingForm(request.POST)
            if not form.is_valid():
                messages.error(request, "；".join(str(m) for errors in form.errors.values() for m in errors))
                return redirect("fraud:case-detail", pk=pk)
            extra = form.cleaned_data
        else:
            extra = {}
        try:
            services.case_transition(case=case, action=action, user=request.user, note=request.POST.get("note", ""),
                                     **extra)
            messages.success(request, f"已{services.CASE_LIFECYCLE.label(action)}")
        except ReviewRefused:
            raise  # the one review refusal: a 403 page (core.middleware), as in every approval flow
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("fraud:case-detail", pk=pk)


class StatisticsView(RoleRequiredMixin, TemplateView):
    template_name = "fraud/statistics.html"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            stats = selectors.statistics(user=request.user, today=timezone.localdate())
            stamp = stats.today.strftime("%Y%m%d")
            return table_download(selectors.statistics_table(stats), fmt=fmt, stem=f"fraud-statistics-{stamp}",
                                  title="欺诈骗保统计")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        stats = selectors.statistics(user=self.request.user, today=timezone.localdate())
        return {**super().get_context_data(**kwargs), "stats": stats,
                "chart": {"labels": [label for _, label, _n in stats.by_status],
                          "counts": [n for _, _l, n in stats.by_status],
                          "regions": [r.name for r in stats.by_region],
                          "repay": [str(r.repay) for r in stats.by_region],
                          "fine": [str(r.fine) for r in stats.by_region]}}
