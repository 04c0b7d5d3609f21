from django.urls import path, reverse_lazy
from django.utils.text import format_lazy
from django.views.generic import RedirectView

from apps.childcare import views

app_name = "childcare"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("institutions/", views.InstitutionListView.as_view(), name="institution-list"),
    path("institutions/new/", views.InstitutionCreateView.as_view(), name="institution-create"),
    path("institutions/<int:pk>/", views.InstitutionDetailView.as_view(), name="institution-detail"),
    path("institutions/<int:pk>/edit/", views.InstitutionUpdateView.as_view(), name="institution-update"),
    path("institutions/<int:pk>/staff/new/", views.StaffCreateView.as_view(), name="staff-create"),
    path("institutions/<int:pk>/inspections/new/", views.InspectionCreateView.as_view(), name="inspection-create"),
    path("institutions/<int:pk>/enrol/", views.EnrollmentCreateView.as_view(), name="enrollment-create"),
    path("institutions/<int:pk>/claims/compute/", views.ClaimComputeView.as_view(), name="claim-compute"),
    path("inspections/<int:pk>/findings/new/", views.FindingCreateView.as_view(), name="finding-create"),
    path("findings/<int:pk>/rectify/", views.FindingRectifyView.as_view(), name="finding-rectify"),
    path("children/", views.EnrollmentListView.as_view(), name="enrollment-list"),
    path("children/<int:pk>/", views.EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path("children/<int:pk>/<str:action>/", views.EnrollmentActionView.as_view(), name="enrollment-action"),
    # The attendance import is a kind of the shared import page; the old address still leads there.
    path("attendance/import/", RedirectView.as_view(url=format_lazy("{}?kind=attendance", reverse_lazy("imports:upload"))),
         name="attendance-import"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/export/", views.ClaimExportView.as_view(), name="claim-export"),
    path("claims/runs/", views.ClaimRunStartView.as_view(), name="run-start"),
    path("claims/runs/<int:pk>/", views.ClaimRunDetailView.as_view(), name="run-detail"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("claims/<int:pk>/<str:action>/", views.ClaimActionView.as_view(), name="claim-action"),
]
