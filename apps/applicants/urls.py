from django.urls import path

from apps.applicants import views

app_name = "applicants"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("new/", views.PersonFormView.as_view(), name="create"),
    path("duplicates/", views.DuplicateListView.as_view(), name="duplicates"),
    path("duplicates/<int:pk>/", views.DuplicateResolveView.as_view(), name="duplicate-resolve"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PersonFormView.as_view(), name="edit"),
    path("<int:pk>/add/<str:what>/", views.PersonAddRelatedView.as_view(), name="add"),
]
