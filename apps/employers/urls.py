from django.urls import path

from apps.employers import views

app_name = "employers"
urlpatterns = [
    path("", views.EmployerListView.as_view(), name="list"),
    path("new/", views.EmployerFormView.as_view(), name="create"),
    path("<int:pk>/", views.EmployerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EmployerFormView.as_view(), name="edit"),
]
