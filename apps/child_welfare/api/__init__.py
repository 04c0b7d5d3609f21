"""/api/v1/child-welfare/… (config/api_urls.py registers these viewsets): cases.py (the case and its
lifecycle), care.py (assessments, plans, visits, referrals), base.py (what they share)."""

from apps.child_welfare.api.care import AssessmentViewSet, PlanItemViewSet, ReferralViewSet, VisitViewSet
from apps.child_welfare.api.cases import CaseViewSet

__all__ = ["AssessmentViewSet", "CaseViewSet", "PlanItemViewSet", "ReferralViewSet", "VisitViewSet"]
