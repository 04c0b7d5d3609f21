"""Institutions: the dashboard, the register, staff, safety inspections and their findings."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.childcare import forms, selectors
from apps.childcare.filters import InstitutionFilter
from apps.childcare.services import institutions as services
from apps.childcare.services.institutions import FINDING_LIFECYCLE
from apps.childcare.views.base import InstitutionFormView, ServiceFormView, form_error_message
from apps.core.exceptions import ApplicationError
from apps.core.idempotency import once_redirect
from apps.core.listing import Listing, ListingMixin, register_listing
from apps.core.pagination import page_size


class DashboardView(RoleRequiredMixin, TemplateView):
    template_name = "childcare/dashboard.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **selectors.dashboard_summary(user=self.request.user)}


class InstitutionListView(RoleRequiredMixin, ListingMixin, TemplateView):
    listing = register_listing(Listing("childcare-institutions", "托育机构", "childcare:institution-list",
                                       InstitutionFilter, facets=("status", "category")))
    template_name = "childcare/institution_list.html"

    def facet_queryset(self):
        return selectors.institution_list(user=self.request.user, filters={})

    def get_context_data(self, **kwargs):
        queryset = selectors.institution_list(user=self.request.user, filters=self.request.GET)
        page = Paginator(queryset, page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        row: Any  # annotated rows: the template reads `occupancy` beside the model's fields
        for row in page.object_list:
            row.occupancy = selectors.occupancy_of(row)
        return {**super().get_context_data(**kwargs), "page_obj": page, "filter": InstitutionFilter(self.request.GET)}


class InstitutionDetailView(RoleRequiredMixin, TemplateView):
    template_name = "childcare/institution_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        institution = selectors.institution_get(user=user, pk=kwargs["pk"])
        today = timezone.localdate()
        enrollments = list(institution.enrollments.select_related("child").order_by("end_date", "-start_date"))
        inspections = list(institution.inspections.prefetch_related("findings"))
        for inspection in inspections:
            finding: Any
            for finding in inspection.findings.all():  # the prefetched rows the template iterates
                finding.actions = FINDING_LIFECYCLE.available(finding, user)
        return {
            **super().get_context_data(**kwargs),
            "institution": institution,
            "occupancy": selectors.occupancy_of(institution),
            "current": [e for e in enrollments if e.active_on(today) or e.start_date > today],
            "former": [e for e in enrollments if e.end_date is not None and e.end_date < today][:50],
            "staff": institution.staff.all(),
            "inspections": inspections,
            "claims": institution.claims.order_by("-year"),
            "compute_form": forms.ClaimComputeForm(),
        }


class InstitutionCreateView(ServiceFormView):
    form_class = forms.InstitutionForm
    title = "登记托育机构"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return services.institution_save(institution=form.save(commit=False))

    def get_success_url(self):
        messages.success(self.request, f"已登记{self.result.name}")
        return reverse("childcare:institution-detail", args=[self.result.pk])


class InstitutionUpdateView(InstitutionFormView, InstitutionCreateView):
    title = "修改机构信息"
    creates_records = False

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.institution}

    def get_success_url(self):
        return reverse("childcare:institution-detail", args=[self.institution.pk])


class StaffCreateView(InstitutionFormView):
    form_class = forms.StaffForm
    title = "登记从业人员"

    def perform(self, form):
        staff = form.save(commit=False)
        staff.institution = self.institution
        return services.staff_member_save(staff=staff)


class InspectionCreateView(InstitutionFormView):
    form_class = forms.InspectionForm
    title = "登记安全检查"

    def perform(self, form):
        inspection = form.save(commit=False)
        inspection.institution = self.institution
        return services.inspection_save(inspection=inspection)


class FindingCreateView(RoleRequiredMixin, View):
    def post(self, request, pk):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        form = forms.FindingForm(request.POST)
        if form.is_valid():
            finding = form.save(commit=False)
            finding.inspection = inspection
            back = reverse("childcare:institution-detail", args=[inspection.institution_id]) + "#safety"

            def record() -> str:
                services.finding_save(finding=finding)
                messages.success(request, "已登记检查发现的问题")
                return back

            try:
                return once_redirect(request, record, fallback_url=back)
            except ApplicationError as error:
                messages.error(request, error.message)
        else:
            messages.error(request, form_error_message(form))
        return redirect(reverse("childcare:institution-detail", args=[inspection.institution_id]) + "#safety")


class FindingRectifyView(RoleRequiredMixin, View):
    def post(self, request, pk):
        finding = selectors.finding_get(user=request.user, pk=pk)
        form = forms.RectifyForm(request.POST)
        if form.is_valid():
            try:
                services.finding_rectify(finding=finding, user=request.user, **form.cleaned_data)
                messages.success(request, "已记录整改复查结果")
            except ApplicationError as error:
                messages.error(request, error.message)
        else:
            messages.error(request, "请填写整改完成日期和复查情况")
        return redirect(reverse("childcare:institution-detail", args=[finding.inspection.institution_id]) + "#safety")
