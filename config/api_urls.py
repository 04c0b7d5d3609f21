"""/api/v1/ — every app registers its viewsets on the one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from apps.accounts.api import MeView
from apps.applicants.api import PersonViewSet
from apps.employers.api import ContributionViewSet, EmployerViewSet
from apps.imports.api import ImportBatchView, ImportUploadView

router = DefaultRouter()
router.register("applicants", PersonViewSet, basename="applicant")
router.register("employers", EmployerViewSet, basename="employer")
router.register("contributions", ContributionViewSet, basename="contribution")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("imports/", ImportUploadView.as_view(), name="api-import-upload"),
    path("imports/<int:pk>/", ImportBatchView.as_view(), name="api-import-detail"),
    path("", include(router.urls)),
]
