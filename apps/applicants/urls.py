from django.urls import path

from apps.applicants import views

app_name = "applicants"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
]
