"""Writes of the child-welfare app, by concept: cases.py (the case and its lifecycle), assessments.py
(assessment and plan), visits.py (visits and referrals), offline.py (visits
queued on a phone), locking.py (optimistic locking, the recorded save).
Re-exported so `services.case_report(…)` reads the same from every face."""

from apps.child_welfare.services.assessments import assessment_create, assessment_update, plan_item_save
from apps.child_welfare.services.cases import (
    CASE_EDITABLE,
    PURPOSE_MIN_LENGTH,
    case_reassign,
    case_report,
    case_set_risk,
    case_transition,
    case_update,
    category_add,
    category_remove,
    director_save,
    guardian_add,
    sensitive_note_add,
    sensitive_notes_read,
)
from apps.child_welfare.services.locking import StaleVersionError
from apps.child_welfare.services.offline import OfflineVisitConflict, visit_sync
from apps.child_welfare.services.visits import referral_create, referral_respond, visit_record

__all__ = [
    "CASE_EDITABLE", "PURPOSE_MIN_LENGTH", "StaleVersionError", "assessment_create", "assessment_update",
    "case_reassign", "case_report", "case_set_risk", "case_transition", "case_update", "category_add", "category_remove",
    "director_save", "guardian_add", "OfflineVisitConflict", "plan_item_save", "referral_create", "referral_respond",
    "sensitive_note_add", "sensitive_notes_read", "visit_record", "visit_sync",
]
