"""Occupations, providers, programs, demand, enrollments and what follows them (R6).

One module per concept; everything is re-exported here, so `from apps.training.models import X` works.
The enrollment lifecycle itself — which action may move which state where, and on what condition —
is the table in `apps/training/services/enrollment_lifecycle.py`, read by the UI, the API and the admin.
"""

from apps.training.models.catalogue import Occupation, Provider
from apps.training.models.choices import EmploymentEvidence, EnrollmentStatus, SkillLevel, TargetGroup
from apps.training.models.claims import CLAIM_SLUG, TrainingSubsidyClaim
from apps.training.models.demand import ShortageReport, TrainingWillingness
from apps.training.models.enrollments import Certificate, Enrollment, EnrollmentTransition, FollowUp
from apps.training.models.programs import Program
from apps.training.models.worklist import WorklistItem

__all__ = [
    "Certificate",
    "EmploymentEvidence",
    "Enrollment",
    "EnrollmentStatus",
    "EnrollmentTransition",
    "FollowUp",
    "Occupation",
    "Program",
    "Provider",
    "ShortageReport",
    "SkillLevel",
    "TargetGroup",
    "CLAIM_SLUG",
    "TrainingSubsidyClaim",
    "TrainingWillingness",
    "WorklistItem",
]
