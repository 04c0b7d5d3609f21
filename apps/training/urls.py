from django.urls import path, reverse_lazy
from django.utils.text import format_lazy
from django.views.generic import RedirectView

from apps.training import views

app_name = "training"
urlpatterns = [
    path("", views.TrainingDashboardView.as_view(), name="dashboard"),
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path("programs/", views.ProgramListView.as_view(), name="program-list"),
    path("programs/new/", views.ProgramCreateView.as_view(), name="program-create"),
    path("programs/<int:pk>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path("enrollments/", views.EnrollmentListView.as_view(), name="enrollment-list"),
    path("enrollments/bulk/", views.EnrollmentBulkView.as_view(), name="enrollment-bulk"),
    path("enrollments/new/", views.EnrollmentRegisterView.as_view(), name="enrollment-register"),
    # The enrollment import is a kind of the shared import page; the old address still leads there.
    path("enrollments/import/", RedirectView.as_view(
        url=format_lazy("{}?kind=training_enrollments", reverse_lazy("imports:upload"))), name="enrollment-import"),
    path("enrollments/<int:pk>/", views.EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path("enrollments/<int:pk>/action/", views.EnrollmentActionView.as_view(), name="enrollment-action"),
    path("claims/<int:pk>/notice/", views.ClaimNoticeView.as_view(), name="claim-notice"),
    path("claims/<int:pk>/notice.pdf", views.ClaimNoticePdfView.as_view(), name="claim-notice-pdf"),
    path("demand/", views.DemandView.as_view(), name="demand"),
    path("worklist/", views.WorklistView.as_view(), name="worklist"),
    path("indicators/", views.IndicatorView.as_view(), name="indicators"),
]
