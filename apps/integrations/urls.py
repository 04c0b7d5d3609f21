from django.urls import path

from apps.integrations import views

app_name = "integrations"

urlpatterns = [
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery-list"),
    path("deliveries/<int:pk>/resend/", views.DeliveryResendView.as_view(), name="delivery-resend"),
]
