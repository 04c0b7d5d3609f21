from django.urls import path

from apps.training import views

app_name = "training"
urlpatterns = [
    path("", views.TrainingDashboardView.as_view(), name="dashboard"),
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path("programs/", views.ProgramListView.as_view(), name="program-list"),
    path("programs/new/", views.ProgramCreateView.as_view(), name="program-create"),
    path("programs/<int:pk>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path("enrollments/", views.EnrollmentListView.as_view(), name="enrollment-list"),
    path("enrollments/new/", views.EnrollmentRegisterView.as_view(), name="enrollment-register"),
    path("enrollments/import/", views.EnrollmentImportView.as_view(), name="enrollment-import"),
    path("enrollments/<int:pk>/", views.EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path("enrollments/<int:pk>/action/", views.EnrollmentActionView.as_view(), name="enrollment-action"),
    path("demand/", views.DemandView.as_view(), name="demand"),
    path("worklist/", views.WorklistView.as_view(), name="worklist"),
    path("indicators/", views.IndicatorView.as_view(), name="indicators"),
]
