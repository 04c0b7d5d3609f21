from django.urls import path

from apps.documents import views

app_name = "documents"
urlpatterns = [
    path("verify/", views.VerifyView.as_view(), name="verify-form"),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="verify"),
    path("documents/<slug:slug>/<int:source_id>/notices/", views.BatchStartView.as_view(), name="batch-start"),
    path("documents/<slug:slug>/<int:source_id>/notices/status/", views.BatchStatusView.as_view(), name="batch-status"),
    path("documents/<slug:slug>/<int:source_id>/notices/download/", views.BatchDownloadView.as_view(),
         name="batch-download"),
]
