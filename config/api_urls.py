"""/api/v1/ — every app registers its viewsets on the one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from apps.accounts.api import MeView
from apps.applicants.api import PersonViewSet
from apps.eligibility.api import CalculateView, CalculatorListView, PolicyParameterListView
from apps.employers.api import EmployerViewSet

router = DefaultRouter()
router.register("applicants", PersonViewSet, basename="applicant")
router.register("employers", EmployerViewSet, basename="employer")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("eligibility/", CalculatorListView.as_view(), name="api-eligibility-list"),
    path("eligibility/<str:calculator>/", CalculateView.as_view(), name="api-eligibility-calculate"),
    path("policy-parameters/", PolicyParameterListView.as_view(), name="api-policy-parameters"),
    path("", include(router.urls)),
]
