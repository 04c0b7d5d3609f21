from django.urls import path

from apps.employers import views

app_name = "employers"
urlpatterns = [
    path("", views.EmployerListView.as_view(), name="list"),
    path("<int:pk>/", views.EmployerDetailView.as_view(), name="detail"),
]
