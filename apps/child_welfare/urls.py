from django.urls import path

from apps.child_welfare.views import care, cases, offline, overview

app_name = "child_welfare"
urlpatterns = [
    path("", overview.DashboardView.as_view(), name="dashboard"),
    path("cases/", overview.CaseListView.as_view(), name="case-list"),
    path("cases/bulk/reassign/", overview.CaseBulkReassignView.as_view(), name="case-bulk"),
    path("cases/export/", overview.CaseListExportView.as_view(), name="case-list-export"),
    path("cases/report/", cases.CaseReportView.as_view(), name="case-report"),
    path("cases/<int:pk>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/edit/", cases.CaseEditView.as_view(), name="case-edit"),
    path("cases/<int:pk>/risk/", cases.CaseRiskView.as_view(), name="case-risk"),
    path("cases/<int:pk>/export/", cases.CaseExportView.as_view(), name="case-export"),
    path("cases/<int:pk>/actions/<str:action>/", cases.CaseTransitionView.as_view(), name="case-transition"),
    path("cases/<int:pk>/categories/add/", cases.CategoryAddView.as_view(), name="category-add"),
    path("cases/<int:pk>/guardians/add/", cases.GuardianAddView.as_view(), name="guardian-add"),
    path("cases/<int:pk>/sensitive/", cases.SensitiveNotesView.as_view(), name="sensitive"),
    path("cases/<int:pk>/assessments/add/", care.AssessmentCreateView.as_view(), name="assessment-add"),
    path("cases/<int:pk>/assessments/<int:assessment_id>/", care.AssessmentEditView.as_view(),
         name="assessment-edit"),
    path("cases/<int:pk>/plan/add/", care.PlanItemView.as_view(), name="plan-add"),
    path("cases/<int:pk>/plan/<int:item_id>/", care.PlanItemView.as_view(), name="plan-edit"),
    path("cases/<int:pk>/visits/add/", care.VisitCreateView.as_view(), name="visit-add"),
    path("cases/<int:pk>/referrals/add/", care.ReferralCreateView.as_view(), name="referral-add"),
    path("cases/<int:pk>/referrals/<int:referral_id>/respond/", care.ReferralRespondView.as_view(),
         name="referral-respond"),
    path("cases/<int:pk>/match/", overview.MatchReferView.as_view(), name="match-refer"),
    path("offline/", offline.OfflineVisitView.as_view(), name="offline"),
    path("caseload/", overview.CaseloadView.as_view(), name="caseload"),
    path("matching/", overview.MatchingView.as_view(), name="matching"),
    path("statistics/", overview.StatisticsView.as_view(), name="statistics"),
    path("statistics/export/", overview.StatisticsExportView.as_view(), name="statistics-export"),
]
