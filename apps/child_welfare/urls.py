from django.urls import path

from apps.child_welfare import views

app_name = "child_welfare"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/export/", views.CaseListExportView.as_view(), name="case-list-export"),
    path("cases/report/", views.CaseReportView.as_view(), name="case-report"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/edit/", views.CaseEditView.as_view(), name="case-edit"),
    path("cases/<int:pk>/risk/", views.CaseRiskView.as_view(), name="case-risk"),
    path("cases/<int:pk>/export/", views.CaseExportView.as_view(), name="case-export"),
    path("cases/<int:pk>/actions/<str:action>/", views.CaseTransitionView.as_view(), name="case-transition"),
    path("cases/<int:pk>/categories/add/", views.CategoryAddView.as_view(), name="category-add"),
    path("cases/<int:pk>/guardians/add/", views.GuardianAddView.as_view(), name="guardian-add"),
    path("cases/<int:pk>/sensitive/", views.SensitiveNotesView.as_view(), name="sensitive"),
    path("cases/<int:pk>/assessments/add/", views.AssessmentCreateView.as_view(), name="assessment-add"),
    path("cases/<int:pk>/assessments/<int:assessment_id>/", views.AssessmentEditView.as_view(),
         name="assessment-edit"),
    path("cases/<int:pk>/plan/add/", views.PlanItemView.as_view(), name="plan-add"),
    path("cases/<int:pk>/plan/<int:item_id>/", views.PlanItemView.as_view(), name="plan-edit"),
    path("cases/<int:pk>/visits/add/", views.VisitCreateView.as_view(), name="visit-add"),
    path("cases/<int:pk>/referrals/add/", views.ReferralCreateView.as_view(), name="referral-add"),
    path("cases/<int:pk>/referrals/<int:referral_id>/respond/", views.ReferralRespondView.as_view(),
         name="referral-respond"),
    path("cases/<int:pk>/match/", views.MatchReferView.as_view(), name="match-refer"),
    path("caseload/", views.CaseloadView.as_view(), name="caseload"),
    path("matching/", views.MatchingView.as_view(), name="matching"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("statistics/export/", views.StatisticsExportView.as_view(), name="statistics-export"),
]
