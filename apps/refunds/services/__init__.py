"""Writes of the refund runs: starting, reviewing and exporting a run (runs.py); computing its chunks,
reconciling and sweeping (computing.py); enqueueing chunk tasks by name (dispatch.py)."""

from apps.refunds.services.computing import (
    COLUMNS,
    chunk_compute,
    chunk_session_settings,
    chunks_sweep,
    chunks_sweep_if_due,
    compute_rows,
    run_finalize,
    write_results,
)
from apps.refunds.services.dispatch import enqueue_chunks
from apps.refunds.services.payment import (
    run_confirm_notified,
    run_mark_notified,
    run_reconcile,
    runs_mark_notified,
)
from apps.refunds.services.runs import (
    CHUNK_SIZE,
    FIRST_REFUND_YEAR,
    PermissionDeniedError,
    default_region_code,
    run_approve,
    run_export_record,
    run_first_review,
    run_mark_exported,
    run_publish,
    run_reject,
    run_start,
)

__all__ = [
    "CHUNK_SIZE", "COLUMNS", "FIRST_REFUND_YEAR", "PermissionDeniedError", "chunk_compute", "chunk_session_settings",
    "chunks_sweep", "chunks_sweep_if_due", "compute_rows", "default_region_code", "run_confirm_notified", "runs_mark_notified", "enqueue_chunks", "run_approve", "run_export_record", "run_first_review", "run_publish",
    "run_finalize", "run_mark_exported", "run_mark_notified", "run_reconcile", "run_reject", "run_start", "write_results",
]
