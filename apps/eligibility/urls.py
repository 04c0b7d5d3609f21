from django.urls import path

from apps.eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("calculator/", views.CalculatorView.as_view(), name="calculator"),
    path("determinations/", views.DeterminationListView.as_view(), name="determination-list"),
    path("determinations/new/", views.DeterminationFromSubjectView.as_view(), name="determination-create"),
    path("determinations/<int:pk>/", views.DeterminationDetailView.as_view(), name="determination-detail"),
    path("matches/", views.BenefitMatchListView.as_view(), name="match-list"),
    path("matches/bulk/", views.BenefitMatchBulkView.as_view(), name="match-bulk"),
    path("matches/<int:pk>/resolve/", views.BenefitMatchResolveView.as_view(), name="match-resolve"),
]
