"""Caseworker UI. Views validate a form, call a service or selector, and render; no rules here."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.childcare import claims as claim_services
from apps.childcare import forms, selectors, services
from apps.childcare.exports import disbursement_response
from apps.childcare.filters import ClaimFilter, EnrollmentFilter, InstitutionFilter
from apps.childcare.models import Finding, OperatingSubsidyClaim
from apps.core import audit
from apps.core.exceptions import ApplicationError, NotFoundError


def _or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except NotFoundError as error:
        raise Http404 from error


class DashboardView(RoleRequiredMixin, TemplateView):
    template_name = "childcare/dashboard.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **selectors.dashboard_summary(user=self.request.user)}


# ---------------------------------------------------------------- institutions


class InstitutionListView(RoleRequiredMixin, TemplateView):
    template_name = "childcare/institution_list.html"

    def get_context_data(self, **kwargs):
        queryset = selectors.institution_list(user=self.request.user, filters=self.request.GET)
        page = Paginator(queryset, 50).get_page(self.request.GET.get("page"))
        for institution in page.object_list:
            institution.occupancy = selectors.occupancy_percent(institution.enrolled_now, institution.places)
        return {**super().get_context_data(**kwargs), "page_obj": page, "filter": InstitutionFilter(self.request.GET)}


class InstitutionDetailView(RoleRequiredMixin, TemplateView):
    template_name = "childcare/institution_detail.html"

    def get_context_data(self, **kwargs):
        institution = _or_404(selectors.institution_get, user=self.request.user, pk=kwargs["pk"])
        today = timezone.localdate()
        enrollments = list(institution.enrollments.select_related("child").order_by("end_date", "-start_date"))
        return {
            **super().get_context_data(**kwargs),
            "institution": institution,
            "occupancy": selectors.occupancy_percent(institution.enrolled_now, institution.places),
            "current": [e for e in enrollments if e.active_on(today) or e.start_date > today],
            "former": [e for e in enrollments if e.end_date is not None and e.end_date < today][:50],
            "staff": institution.staff.all(),
            "inspections": institution.inspections.prefetch_related("findings"),
            "claims": institution.claims.order_by("-year"),
            "compute_form": forms.ClaimComputeForm(),
        }


class ServiceFormView(RoleRequiredMixin, FormView):
    """A form whose valid data goes to one service; ApplicationError lands back on the form."""

    template_name = "childcare/form.html"
    title = ""

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except ApplicationError as error:
            forms.apply_error(form, error)
            return self.form_invalid(form)
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": self.title, "cancel_url": self.cancel_url()}

    def cancel_url(self):
        return reverse("childcare:institution-list")


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


class InstitutionMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.institution = _or_404(selectors.institution_get, user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("childcare:institution-detail", args=[self.institution.pk])

    def cancel_url(self):
        return reverse("childcare:institution-detail", args=[self.institution.pk])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "institution": self.institution}


class InstitutionUpdateView(InstitutionMixin, InstitutionCreateView):
    title = "修改机构信息"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.institution}

    def get_success_url(self):
        return reverse("childcare:institution-detail", args=[self.institution.pk])


class StaffCreateView(InstitutionMixin, ServiceFormView):
    form_class = forms.StaffForm
    title = "登记从业人员"

    def perform(self, form):
        staff = form.save(commit=False)
        staff.institution = self.institution
        return services.staff_member_save(staff=staff)


class InspectionCreateView(InstitutionMixin, ServiceFormView):
    form_class = forms.InspectionForm
    title = "登记安全检查"

    def perform(self, form):
        inspection = form.save(commit=False)
        inspection.institution = self.institution
        return services.inspection_save(inspection=inspection)


class FindingCreateView(RoleRequiredMixin, View):
    def post(self, request, pk):
        inspection = _or_404(_inspection_get, user=request.user, pk=pk)
        form = forms.FindingForm(request.POST)
        if form.is_valid():
            finding = form.save(commit=False)
            finding.inspection = inspection
            try:
                services.finding_save(finding=finding)
                messages.success(request, "已登记检查发现的问题")
            except ApplicationError as error:
                messages.error(request, error.message)
        else:
            messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
        return redirect(reverse("childcare:institution-detail", args=[inspection.institution_id]) + "#safety")


class FindingRectifyView(RoleRequiredMixin, View):
    def post(self, request, pk):
        finding = _or_404(_finding_get, user=request.user, pk=pk)
        form = forms.RectifyForm(request.POST)
        if form.is_valid():
            try:
                services.finding_rectify(finding=finding, **form.cleaned_data)
                messages.success(request, "已记录整改复查结果")
            except ApplicationError as error:
                messages.error(request, error.message)
        else:
            messages.error(request, "请填写整改完成日期和复查情况")
        return redirect(reverse("childcare:institution-detail", args=[finding.inspection.institution_id]) + "#safety")


def _inspection_get(*, user, pk):
    from apps.childcare.models import Inspection
    from apps.core.scoping import get_scoped_or_404

    return get_scoped_or_404(Inspection.objects.all(), user, "institution__region", pk=pk)


def _finding_get(*, user, pk):
    from apps.core.scoping import get_scoped_or_404

    return get_scoped_or_404(Finding.objects.select_related("inspection"), user, "inspection__institution__region",
                             pk=pk)


# ---------------------------------------------------------------- children


class EnrollmentCreateView(InstitutionMixin, ServiceFormView):
    form_class = forms.EnrollmentForm
    title = "办理入托"

    def perform(self, form):
        data = form.cleaned_data
        guardians = []
        if data["guardian_id_number"]:
            guardians.append(services.GuardianInput(
                id_number=data["guardian_id_number"], name=data["guardian_name"],
                relationship=data["guardian_relationship"] or "other", phone=data["guardian_phone"]))
        return services.enrollment_create(
            institution=self.institution, child_id_number=data["child_id_number"], child_name=data["child_name"],
            start_date=data["start_date"], age_group=data["age_group"], guardians=guardians)

    def get_success_url(self):
        messages.success(self.request, f"{self.result.child.name}已入托")
        return reverse("childcare:institution-detail", args=[self.institution.pk]) + "#children"


class EnrollmentListView(RoleRequiredMixin, TemplateView):
    template_name = "childcare/enrollment_list.html"

    def get_context_data(self, **kwargs):
        queryset = selectors.enrollment_list(user=self.request.user, filters=self.request.GET)
        page = Paginator(queryset, 50).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "filter": EnrollmentFilter(self.request.GET)}


class EnrollmentDetailView(RoleRequiredMixin, TemplateView):
    """The child's record: personal data, so every view is written to the access log."""

    template_name = "childcare/enrollment_detail.html"

    def get_context_data(self, **kwargs):
        enrollment = _or_404(selectors.enrollment_get, user=self.request.user, pk=kwargs["pk"])
        audit.log_read(user=self.request.user, obj=enrollment.child, request=self.request, purpose="托育在托婴幼儿档案")
        return {
            **super().get_context_data(**kwargs),
            "enrollment": enrollment,
            "child": enrollment.child,
            "history": selectors.child_enrollments(user=self.request.user, child=enrollment.child),
            "guardians": enrollment.guardians.select_related("person"),
            "attendance": enrollment.attendance.order_by("-month"),
            "childcare_subsidy_years": selectors.child_subsidy_years(enrollment.child),
            "leave_form": forms.LeaveForm(),
            "attendance_form": forms.AttendanceForm(),
        }


class EnrollmentActionView(RoleRequiredMixin, View):
    def post(self, request, pk, action):
        if action not in ("leave", "attendance"):
            raise Http404
        enrollment = _or_404(selectors.enrollment_get, user=request.user, pk=pk)
        form = (forms.LeaveForm if action == "leave" else forms.AttendanceForm)(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
        else:
            try:
                if action == "leave":
                    services.enrollment_leave(enrollment=enrollment, **form.cleaned_data)
                    messages.success(request, "已办理离托")
                else:
                    services.attendance_record(enrollment=enrollment, **form.cleaned_data)
                    messages.success(request, "已保存出勤")
            except ApplicationError as error:
                messages.error(request, error.message)
        return redirect("childcare:enrollment-detail", pk=enrollment.pk)


# ---------------------------------------------------------------- claims


class ClaimListView(RoleRequiredMixin, TemplateView):
    template_name = "childcare/claim_list.html"

    def get_context_data(self, **kwargs):
        queryset = selectors.claim_list(user=self.request.user, filters=self.request.GET)
        page = Paginator(queryset, 50).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "filter": ClaimFilter(self.request.GET),
                "run_form": forms.RunForm(), "runs": _recent_runs(self.request.user)}


def _recent_runs(user):
    from apps.childcare.models import ClaimRun
    from apps.core.scoping import scope_queryset

    return scope_queryset(ClaimRun.objects.select_related("region"), user)[:5]


class ClaimComputeView(RoleRequiredMixin, View):
    def post(self, request, pk):
        institution = _or_404(selectors.institution_get, user=request.user, pk=pk)
        form = forms.ClaimComputeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写正确的年度")
            return redirect("childcare:institution-detail", pk=pk)
        try:
            claim = claim_services.claim_compute(institution=institution, year=form.cleaned_data["year"],
                                                 user=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("childcare:institution-detail", pk=pk)
        messages.success(request, f"已测算{claim}补助")
        return redirect("childcare:claim-detail", pk=claim.pk)


class ClaimDetailView(RoleRequiredMixin, TemplateView):
    template_name = "childcare/claim_detail.html"

    def get_context_data(self, **kwargs):
        claim = _or_404(selectors.claim_get, user=self.request.user, pk=kwargs["pk"])
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "claim": claim,
            "flag_labels": [claim_services.FLAG_LABELS.get(f, f) for f in claim.flags],
            "can_review": claim.status == OperatingSubsidyClaim.Status.SUBMITTED and user.is_supervisor
            and claim.submitted_by_id != user.pk,
            "review_form": forms.ReviewForm(),
        }


class ClaimActionView(RoleRequiredMixin, View):
    ACTIONS = {"submit": "已提交审核", "approve": "已审核通过", "return": "已退回", "recompute": "已重新测算"}

    def post(self, request, pk, action):
        if action not in self.ACTIONS:
            raise Http404
        claim = _or_404(selectors.claim_get, user=request.user, pk=pk)
        comment = request.POST.get("comment", "")
        try:
            if action == "submit":
                claim_services.claim_submit(claim=claim, user=request.user)
            elif action == "approve":
                claim_services.claim_approve(claim=claim, user=request.user, comment=comment)
            elif action == "return":
                claim_services.claim_return(claim=claim, user=request.user, comment=comment)
            else:
                claim_services.claim_compute(institution=claim.institution, year=claim.year, user=request.user)
            messages.success(request, self.ACTIONS[action])
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("childcare:claim-detail", pk=pk)


class ClaimExportView(RoleRequiredMixin, View):
    def get(self, request):
        filters = {**request.GET.dict(), "status": OperatingSubsidyClaim.Status.APPROVED}
        claims = selectors.claim_list(user=request.user, filters=filters)
        year = request.GET.get("year")
        return disbursement_response(claims, request.GET.get("format", "csv"), int(year) if year else None)


class ClaimRunStartView(RoleRequiredMixin, View):
    def post(self, request):
        form = forms.RunForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写正确的年度")
            return redirect("childcare:claim-list")
        try:
            run = claim_services.claim_run_start(user=request.user, year=form.cleaned_data["year"])
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("childcare:claim-list")
        return redirect("childcare:run-detail", pk=run.pk)


class ClaimRunDetailView(RoleRequiredMixin, TemplateView):
    template_name = "childcare/run_detail.html"

    def get(self, request, *args, **kwargs):
        run = _or_404(selectors.claim_run_get, user=request.user, pk=kwargs["pk"])
        if request.GET.get("format") == "json":
            return JsonResponse({"status": run.status, "status_display": run.get_status_display(),
                                 "processed": run.processed, "total": run.total, "percent": run.percent,
                                 "computed": run.computed, "skipped": run.skipped, "failed": run.failed})
        return self.render_to_response(self.get_context_data(run=run))


