from django.urls import path, reverse_lazy
from django.utils.text import format_lazy
from django.views.generic import RedirectView

from apps.childcare.views import claims, enrollments, institutions

app_name = "childcare"
urlpatterns = [
    path("", institutions.DashboardView.as_view(), name="dashboard"),
    path("institutions/", institutions.InstitutionListView.as_view(), name="institution-list"),
    path("institutions/new/", institutions.InstitutionCreateView.as_view(), name="institution-create"),
    path("institutions/<int:pk>/", institutions.InstitutionDetailView.as_view(), name="institution-detail"),
    path("institutions/<int:pk>/edit/", institutions.InstitutionUpdateView.as_view(), name="institution-update"),
    path("institutions/<int:pk>/staff/new/", institutions.StaffCreateView.as_view(), name="staff-create"),
    path("institutions/<int:pk>/inspections/new/", institutions.InspectionCreateView.as_view(), name="inspection-create"),
    path("institutions/<int:pk>/enrol/", enrollments.EnrollmentCreateView.as_view(), name="enrollment-create"),
    path("institutions/<int:pk>/claims/compute/", claims.ClaimComputeView.as_view(), name="claim-compute"),
    path("inspections/<int:pk>/findings/new/", institutions.FindingCreateView.as_view(), name="finding-create"),
    path("findings/<int:pk>/rectify/", institutions.FindingRectifyView.as_view(), name="finding-rectify"),
    path("children/", enrollments.EnrollmentListView.as_view(), name="enrollment-list"),
    path("children/<int:pk>/", enrollments.EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path("children/<int:pk>/<str:action>/", enrollments.EnrollmentActionView.as_view(), name="enrollment-action"),
    # The attendance import is a kind of the shared import page; the old address still leads there.
    path("attendance/import/", RedirectView.as_view(url=format_lazy("{}?kind=attendance", reverse_lazy("imports:upload"))),
         name="attendance-import"),
    path("claims/", claims.ClaimListView.as_view(), name="claim-list"),
    path("claims/bulk/", claims.ClaimBulkView.as_view(), name="claim-bulk"),
    path("claims/export/", claims.ClaimExportView.as_view(), name="claim-export"),
    path("claims/runs/", claims.ClaimRunStartView.as_view(), name="run-start"),
    path("claims/runs/<int:pk>/", claims.ClaimRunDetailView.as_view(), name="run-detail"),
    path("claims/<int:pk>/", claims.ClaimDetailView.as_view(), name="claim-detail"),
    path("claims/<int:pk>/notice/", claims.ClaimNoticeView.as_view(), name="claim-notice"),
    path("claims/<int:pk>/notice.pdf", claims.ClaimNoticePdfView.as_view(), name="claim-notice-pdf"),
    path("claims/<int:pk>/<str:action>/", claims.ClaimActionView.as_view(), name="claim-action"),
]
