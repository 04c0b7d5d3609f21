"""Writes for the training domain, one module per concept:

programs.py     programs and their amount in the subsidy parameter table
demand.py       shortage reports and training willingness
enrollments.py  registering trainees; `enrollment_transition` applies the lifecycle
enrollment_lifecycle.py  the lifecycle table (apps.core.lifecycle): moves, who, guards, effects, record
certificates.py certificates
claims.py       subsidy claims and the reviewer's decisions
follow_ups.py   follow-ups after completion and the worklist of overdue ones

Everything public is re-exported here, so `from apps.training.services import program_save` works.
"""

from apps.training.services.certificates import CERTIFIABLE, certificate_add
from apps.training.services.claims import CLAIM_LIFECYCLE, claim_actions, claim_decide, subsidy_claim_create
from apps.training.services.demand import (
    shortage_report_create,
    shortage_report_update,
    willingness_create,
    willingness_register,
    willingness_register_by_id_number,
    willingness_update,
)
from apps.training.services.enrollment_lifecycle import ENROLLMENT_LIFECYCLE, MAIN_PATH
from apps.training.services.enrollments import (
    claim_move,
    enrollment_register,
    enrollment_register_by_id_number,
    enrollment_transition,
)
from apps.training.services.follow_ups import (
    FOLLOW_UP_MONTHS_KEY,
    WORKLIST_BATCH,
    follow_up_due_on,
    follow_up_months,
    follow_up_record,
    follow_ups_schedule,
    worklist_refresh,
)
from apps.training.services.programs import PROGRAM_SUBSIDY_KEY, program_save, program_subsidy_amount_set

__all__ = [
    "CERTIFIABLE",
    "CLAIM_LIFECYCLE",
    "ENROLLMENT_LIFECYCLE",
    "FOLLOW_UP_MONTHS_KEY",
    "MAIN_PATH",
    "PROGRAM_SUBSIDY_KEY",
    "WORKLIST_BATCH",
    "certificate_add",
    "claim_actions",
    "claim_decide",
    "claim_move",
    "enrollment_register",
    "enrollment_register_by_id_number",
    "enrollment_transition",
    "follow_up_due_on",
    "follow_up_months",
    "follow_up_record",
    "follow_ups_schedule",
    "program_save",
    "program_subsidy_amount_set",
    "shortage_report_create",
    "shortage_report_update",
    "subsidy_claim_create",
    "willingness_register",
    "willingness_create",
    "willingness_register_by_id_number",
    "willingness_update",
    "worklist_refresh",
]
