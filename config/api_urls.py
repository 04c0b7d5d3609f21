"""/api/v1/ — every app registers its viewsets on the one router."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from apps.accounts.api import MeView
from apps.applicants.api import PersonViewSet
from apps.child_welfare import api as child_welfare_api
from apps.employers.api import EmployerViewSet

router = DefaultRouter()
router.register("applicants", PersonViewSet, basename="applicant")
router.register("employers", EmployerViewSet, basename="employer")
router.register("child-welfare/cases", child_welfare_api.CaseViewSet, basename="cw-case")
router.register("child-welfare/assessments", child_welfare_api.AssessmentViewSet, basename="cw-assessment")
router.register("child-welfare/plans", child_welfare_api.PlanItemViewSet, basename="cw-plan")
router.register("child-welfare/visits", child_welfare_api.VisitViewSet, basename="cw-visit")
router.register("child-welfare/referrals", child_welfare_api.ReferralViewSet, basename="cw-referral")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
