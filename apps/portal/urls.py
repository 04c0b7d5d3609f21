from django.urls import path

from apps.portal import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("history/<str:app_label>/<str:model_name>/<int:pk>/", views.RecordHistoryView.as_view(), name="history"),
    path("access-log/", views.AccessLogView.as_view(), name="access-log"),
    path("lists/saved/", views.SavedFilterSaveView.as_view(), name="saved-filter-save"),
    path("lists/saved/<int:pk>/delete/", views.SavedFilterDeleteView.as_view(), name="saved-filter-delete"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("worklist/", views.WorklistView.as_view(), name="worklist"),
]
