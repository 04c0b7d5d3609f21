"""/api/v1/ — every app registers its viewsets on the one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from apps.accounts.api import MeView
from apps.applicants.api import PersonViewSet
from apps.employers.api import EmployerViewSet
from apps.refunds.api import RefundRunViewSet

router = DefaultRouter()
router.register("applicants", PersonViewSet, basename="applicant")
router.register("employers", EmployerViewSet, basename="employer")
router.register("refund-runs", RefundRunViewSet, basename="refund-run")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
