"""The app's overview pages: dashboard, case lists and exports, statistics, caseload, resource matching."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin, SupervisorRequiredMixin
from apps.child_welfare import selectors, services, statistics
from apps.child_welfare.bulk import CASE_BULK
from apps.child_welfare.filters import CaseFilter
from apps.child_welfare.models import Case, Domain, Referral, Severity
from apps.child_welfare.views.base import CaseMixin, download
from apps.core import audit, idempotency
from apps.core.bulk import BulkActionView, bulk_context
from apps.core.filters import ordered
from apps.core.listing import Listing, ListingMixin, register_listing
from apps.core.models import AccessLog
from apps.core.pagination import page_size


class DashboardView(RoleRequiredMixin, TemplateView):
    template_name = "child_welfare/dashboard.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, date.today()
        stats = statistics.case_statistics(user=user, today=today, months=6)
        return {**super().get_context_data(**kwargs), "totals": stats["totals"], "stats": stats, "today": today,
                "overdue_visits": selectors.overdue_visits(user=user, today=today)[:20],
                "overdue_reviews": selectors.overdue_reviews(user=user, today=today)[:20],
                "escalations": selectors.open_escalations(user=user)[:20],
                "to_verify": selectors.case_list(user=user, filters={"status": "reported"})[:20]}


class CaseListView(RoleRequiredMixin, ListingMixin, TemplateView):
    """`?scope=region` is the masked overview of every case in the region (to avoid double reports)."""

    template_name = "child_welfare/case_list.html"
    listing = register_listing(Listing("child-welfare-cases", "困境儿童个案", "child_welfare:case-list", CaseFilter,
                                       facets=("status", "risk_level")))

    def facet_queryset(self):
        if self.request.GET.get("scope") == "region":
            return selectors.case_region_overview(user=self.request.user, filters={})
        return selectors.case_list(user=self.request.user, filters={})

    def get_context_data(self, **kwargs):
        user, params = self.request.user, self.request.GET
        overview = params.get("scope") == "region"
        cases = (selectors.case_region_overview if overview else selectors.case_list)(user=user, filters=params)
        page = Paginator(ordered(cases, params, "-reported_on", "-id"), page_size(self.request, 50)).get_page(params.get("page"))
        openable = [case.pk for case in page.object_list
                    if case.can_open]  # type: ignore[attr-defined]  # annotated by the selector
        audit.log_bulk_read(user=user, model=Case, ids=openable, request=self.request, action=AccessLog.Action.VIEW)
        bulk = {} if overview else bulk_context(self.request, CASE_BULK, reverse("child_welfare:case-bulk"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "filter": CaseFilter(params),
                "overview": overview, "today": date.today(), **bulk}


class CaseBulkReassignView(SupervisorRequiredMixin, BulkActionView):
    """A supervisor reassigns several cases at once (apps.core.bulk): per case, with a report."""

    bulk = CASE_BULK
    list_url_name = "child_welfare:case-list"


class CaseListExportView(RoleRequiredMixin, View):
    def get(self, request):
        cases = list(selectors.case_list(user=request.user, filters=request.GET).order_by("id"))
        audit.log_bulk_read(user=request.user, model=Case, ids=[c.pk for c in cases], request=request)
        return download(statistics.case_rows(cases), "困境儿童个案", request.GET.get("format", "csv"))


class StatisticsView(RoleRequiredMixin, TemplateView):
    template_name = "child_welfare/statistics.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "stats": statistics.case_statistics(user=self.request.user, today=date.today())}


class StatisticsExportView(RoleRequiredMixin, View):
    def get(self, request):
        rows = statistics.statistics_table(statistics.case_statistics(user=request.user, today=date.today()))
        return download(rows, "困境儿童统计", request.GET.get("format", "csv"))


class CaseloadView(RoleRequiredMixin, TemplateView):
    template_name = "child_welfare/caseload.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, date.today()
        unassigned = selectors.open_cases_without_director(user=user)
        return {**super().get_context_data(**kwargs), "directors": selectors.director_caseload(user=user, today=today),
                "unassigned": unassigned}


class MatchingView(RoleRequiredMixin, TemplateView):
    """需求与慈善资源对接: needs from the latest assessments next to the resources that cover them."""

    template_name = "child_welfare/matching.html"

    def get_context_data(self, **kwargs):
        rows = selectors.resource_matches(user=self.request.user, filters=self.request.GET)
        return {**super().get_context_data(**kwargs), "rows": rows, "domains": Domain.choices,
                "domain": self.request.GET.get("domain", ""), "resources": selectors.resource_list()[:50],
                "high": Severity.HIGH}


class MatchReferView(CaseMixin, View):
    def post(self, request, pk):
        resource = selectors.resource_get(request.POST.get("resource"))
        target = (Referral.TargetType.VOLUNTEER if resource.provider_type == resource.ProviderType.VOLUNTEER
                  else Referral.TargetType.CHARITY)
        back = reverse("child_welfare:matching") + f"?domain={request.POST.get('domain', '')}"

        def refer() -> str:
            services.referral_create(user=request.user, case_id=self.case.pk, target_type=target,
                                     target_name=resource.provider, domain=resource.domain, resource=resource,
                                     request=f"需求对接：{resource.name}")
            messages.success(request, f"已转介至 {resource.provider}")
            return back

        return idempotency.once_redirect(request, refer, fallback_url=back)
