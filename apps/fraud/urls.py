from django.urls import path

from apps.fraud import views

app_name = "fraud"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="case-list"),
    path("new/", views.CaseCreateView.as_view(), name="case-create"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("<int:pk>/<str:action>/", views.CaseActionView.as_view(), name="case-action"),
]
