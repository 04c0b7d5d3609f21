"""Disadvantaged-child cases (困境儿童). Re-exported here so `from apps.child_welfare.models import Case` reads
the same wherever the class lives: choices.py (choice sets), cases.py (the case and its direct records),
care.py (assessment, plan, visits, referrals, resources)."""

from apps.child_welfare.models.care import (
    Assessment,
    AssessmentDomain,
    CharityResource,
    PlanItem,
    Referral,
    Visit,
)
from apps.child_welfare.models.cases import (
    Case,
    CaseCategory,
    CaseGuardian,
    CaseTransition,
    ChildrenDirector,
    Escalation,
    RiskChange,
    SensitiveNote,
)
from apps.child_welfare.models.choices import (
    OPEN_STATUSES,
    Category,
    ClosureReason,
    Domain,
    ReferralSource,
    RiskLevel,
    Severity,
    Status,
)

__all__ = [
    "OPEN_STATUSES", "Assessment", "AssessmentDomain", "Case", "CaseCategory", "CaseGuardian", "CaseTransition",
    "Category", "CharityResource", "ChildrenDirector", "ClosureReason", "Domain", "Escalation", "PlanItem",
    "Referral", "ReferralSource", "RiskChange", "RiskLevel", "SensitiveNote", "Severity", "Status", "Visit",
]
