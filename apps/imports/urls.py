from django.urls import path

from apps.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportUploadView.as_view(), name="upload"),
    path("template/<slug:kind>.xlsx", views.ImportTemplateView.as_view(), name="template"),
    path("<int:pk>/", views.ImportBatchView.as_view(), name="detail"),
    path("<int:pk>/progress/", views.ImportProgressView.as_view(), name="progress"),
    path("<int:pk>/errors.<str:fmt>", views.ErrorReportView.as_view(), name="errors"),
]
