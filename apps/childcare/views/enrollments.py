"""Enrolled children: enrol, list, the child's record (access-logged), leaving and monthly attendance."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.childcare import forms, selectors
from apps.childcare.filters import EnrollmentFilter
from apps.childcare.services import attendance as attendance_services
from apps.childcare.services import enrollments as services
from apps.childcare.views.base import InstitutionFormView, form_error_message
from apps.core import audit
from apps.core.exceptions import ApplicationError
from apps.core.pagination import page_size


class EnrollmentCreateView(InstitutionFormView):
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
        page = Paginator(queryset, page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "filter": EnrollmentFilter(self.request.GET)}


class EnrollmentDetailView(RoleRequiredMixin, TemplateView):
    """The child's record: personal data, so every view is written to the access log."""

    template_name = "childcare/enrollment_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        enrollment = selectors.enrollment_get(user=user, pk=kwargs["pk"])
        audit.log_read(user=user, obj=enrollment.child, request=self.request, purpose="托育在托婴幼儿档案")
        return {
            **super().get_context_data(**kwargs),
            "enrollment": enrollment,
            "child": enrollment.child,
            "history": selectors.child_enrollments(user=user, child=enrollment.child),
            "guardians": enrollment.guardians.select_related("person"),
            "attendance": enrollment.attendance.order_by("-month"),
            "childcare_subsidy_years": selectors.child_subsidy_years(enrollment.child),
            "actions": {t.action: t for t in services.ENROLLMENT_LIFECYCLE.available(enrollment, user)},
            "leave_form": forms.LeaveForm(),
            "attendance_form": forms.AttendanceForm(),
        }


class EnrollmentActionView(RoleRequiredMixin, View):
    def post(self, request, pk, action):
        if action not in ("leave", "attendance"):
            raise Http404
        enrollment = selectors.enrollment_get(user=request.user, pk=pk)
        form = forms.LeaveForm(request.POST) if action == "leave" else forms.AttendanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_error_message(form))
        else:
            try:
                if action == "leave":
                    services.enrollment_leave(enrollment=enrollment, user=request.user, **form.cleaned_data)
                    messages.success(request, "已办理离托")
                else:
                    attendance_services.attendance_record(enrollment=enrollment, **form.cleaned_data)
                    messages.success(request, "已保存出勤")
            except ApplicationError as error:
                messages.error(request, error.message)
        return redirect("childcare:enrollment-detail", pk=enrollment.pk)
