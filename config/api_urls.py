"""/api/v1/ — every app registers its viewsets on the one router."""

from django.urls import include, path

from apps.accounts.api import MeView
from apps.applicants.api import PersonViewSet
from apps.child_welfare import api as child_welfare_api
from apps.childcare import api as childcare_api
from apps.core.api.routers import NumericIdRouter
from apps.documents.export_api import ExportJobViewSet
from apps.eldercare import api as eldercare_api
from apps.eligibility.api import CalculateView, CalculatorListView, PolicyParameterListView
from apps.employers.api import ContributionViewSet, EmployerViewSet
from apps.fraud import api as fraud_api
from apps.gig import api as gig_api
from apps.imports.api import ImportBatchView, ImportUploadView
from apps.integrations.api import OutboundMessageViewSet
from apps.notifications.api import MessageViewSet
from apps.objections.api import ObjectionViewSet
from apps.payments import api as payments_api
from apps.public_posts import api as public_posts_api
from apps.refunds.api import RefundRunViewSet
from apps.startup_loans import api as startup_loans_api
from apps.training import api as training_api
from apps.training import api_demand as training_demand_api

router = NumericIdRouter()  # every {pk} is digits: /applicants/null/ is a 404, not a 500
router.register("applicants", PersonViewSet, basename="applicant")
router.register("employers", EmployerViewSet, basename="employer")
router.register("public-posts/posts", public_posts_api.PostViewSet, basename="public-post")
router.register("public-posts/placements", public_posts_api.PlacementViewSet, basename="public-post-placement")
router.register("public-posts/runs", public_posts_api.RunViewSet, basename="public-post-run")
router.register("eldercare/institutions", eldercare_api.InstitutionViewSet, basename="eldercare-institution")
router.register("eldercare/staff", eldercare_api.StaffViewSet, basename="eldercare-staff")
router.register("eldercare/blacklist", eldercare_api.BlacklistViewSet, basename="eldercare-blacklist")
router.register("eldercare/claims", eldercare_api.ClaimViewSet, basename="eldercare-claim")
router.register("contributions", ContributionViewSet, basename="contribution")
router.register("training/occupations", training_api.OccupationViewSet, basename="training-occupation")
router.register("training/providers", training_api.ProviderViewSet, basename="training-provider")
router.register("training/programs", training_api.ProgramViewSet, basename="training-program")
router.register("training/enrollments", training_api.EnrollmentViewSet, basename="training-enrollment")
router.register("training/certificates", training_api.CertificateViewSet, basename="training-certificate")
router.register("training/follow-ups", training_api.FollowUpViewSet, basename="training-follow-up")
router.register("training/claims", training_api.ClaimViewSet, basename="training-claim")
router.register("training/willingness", training_demand_api.WillingnessViewSet, basename="training-willingness")
router.register("training/shortages", training_demand_api.ShortageViewSet, basename="training-shortage")
childcare_api.register(router)
router.register("child-welfare/cases", child_welfare_api.CaseViewSet, basename="cw-case")
router.register("child-welfare/assessments", child_welfare_api.AssessmentViewSet, basename="cw-assessment")
router.register("child-welfare/plans", child_welfare_api.PlanItemViewSet, basename="cw-plan")
router.register("child-welfare/visits", child_welfare_api.VisitViewSet, basename="cw-visit")
router.register("child-welfare/referrals", child_welfare_api.ReferralViewSet, basename="cw-referral")
router.register("refund-runs", RefundRunViewSet, basename="refund-run")
router.register("exports", ExportJobViewSet, basename="export-job-api")
payments_api.register(router)
gig_api.register(router)
router.register("notifications", MessageViewSet, basename="notification")
router.register("integrations/deliveries", OutboundMessageViewSet, basename="integration-delivery")
router.register("objections", ObjectionViewSet, basename="objection")
fraud_api.register(router)
startup_loans_api.register(router)

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("eligibility/", CalculatorListView.as_view(), name="api-eligibility-list"),
    path("eligibility/<str:calculator>/", CalculateView.as_view(), name="api-eligibility-calculate"),
    path("policy-parameters/", PolicyParameterListView.as_view(), name="api-policy-parameters"),
    path("imports/", ImportUploadView.as_view(), name="api-import-upload"),
    path("imports/<int:pk>/", ImportBatchView.as_view(), name="api-import-detail"),
    path("payments/<slug:source>/<int:source_id>/readiness/", payments_api.ReadinessView.as_view(),
         name="api-payment-readiness"),
    path("payments/<slug:source>/<int:source_id>/batches/", payments_api.SourceBatchesView.as_view(),
         name="api-payment-batches"),
    path("payments/<slug:source>/<int:source_id>/reissue/", payments_api.ReissueView.as_view(),
         name="api-payment-reissue"),
    path("payments/<slug:source>/<int:source_id>/supplement/", payments_api.SupplementView.as_view(),
         name="api-payment-supplement"),
    path("payments/<slug:source>/<int:source_id>/report/", payments_api.ReportView.as_view(),
         name="api-payment-report"),
    path("", include(router.urls)),
]
