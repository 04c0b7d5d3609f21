from django.urls import path

from apps.core import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("history/<str:app_label>/<str:model_name>/<int:pk>/", views.RecordHistoryView.as_view(), name="history"),
    path("healthz", views.healthz, name="healthz"),
    path("access-log/", views.AccessLogView.as_view(), name="access-log"),
]
