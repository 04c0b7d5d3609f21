from django.urls import path

from apps.refunds import views

app_name = "refunds"
urlpatterns = [
    path("", views.RunListView.as_view(), name="list"),
    path("<int:pk>/", views.RunDetailView.as_view(), name="detail"),
    path("<int:pk>/progress/", views.RunProgressView.as_view(), name="progress"),
    path("<int:pk>/first-review/", views.RunReviewView.as_view(decision="first_review"), name="first-review"),
    path("<int:pk>/publish/", views.RunReviewView.as_view(decision="publish"), name="publish"),
    path("<int:pk>/approve/", views.RunReviewView.as_view(decision="approve"), name="approve"),
    path("<int:pk>/reject/", views.RunReviewView.as_view(decision="reject"), name="reject"),
    path("<int:pk>/reconcile/", views.RunReconcileView.as_view(), name="reconcile"),
    path("<int:pk>/confirm-notified/", views.RunConfirmNotifiedView.as_view(), name="confirm-notified"),
    path("<int:pk>/export/", views.RunExportView.as_view(), name="export"),
    path("<int:pk>/employers/<int:employer_id>/", views.ResultDetailView.as_view(), name="result"),
    path("<int:pk>/employers/<int:employer_id>/notice/", views.NoticeView.as_view(), name="notice"),
    path("<int:pk>/employers/<int:employer_id>/notice.pdf", views.NoticePdfView.as_view(), name="notice-pdf"),
]
