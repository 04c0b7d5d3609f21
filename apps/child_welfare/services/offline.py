"""Home visits recorded offline (docs/offline-visits.md): the phone queued a visit against the case as it was cached
(its `version` and the id of its latest visit); the sync records it through `visit_record` — the one copy of the
visit rules — unless the case changed meanwhile, which is a 409 the worker resolves (submit anyway with a note, or
discard). Nothing is overwritten silently.

Reassignment to another worker or a transfer out of the region is not a conflict but a 404: the case is no longer
the caller's to open (apps.child_welfare.selectors), whatever they cached.
"""

import logging
from datetime import date

from django.db import transaction

from apps.child_welfare.models import Case, RiskLevel, Status, Visit
from apps.child_welfare.selectors import case_get
from apps.child_welfare.services.visits import visit_record
from apps.core.exceptions import ApplicationError, ConflictError

logger = logging.getLogger(__name__)

CONFLICT_CODE = "offline_visit_conflict"
# Why a case differs from the phone's copy: machine code → what the worker reads.
REASONS = {
    "case_closed": "个案已结案",
    "case_reassigned": "责任经办人或儿童主任已变更",
    "risk_changed": "风险等级已调整",
    "visit_recorded": "期间已有新的探访记录",
    "case_changed": "个案信息已被修改",
}
NOTE_MAX = 500


def latest_visit_id(case: Case) -> int | None:
    return Visit.objects.filter(case=case).order_by("-id").values_list("id", flat=True).first()


def _person(user) -> str:
    return str(user) if user is not None else "（无）"


def _snapshot(case: Case, version: int):
    """The case as the phone cached it: the latest history row at that version (None for a version never held)."""
    return (case.history.filter(version=version).select_related("history_user")
            .order_by("-history_date", "-history_id").first())


def conflicts(case: Case, *, case_version: int, known_last_visit_id: int | None) -> tuple[list[str], list[str], list]:
    """(reason codes, sentences naming then → now, visits the phone did not know) — all empty when nothing changed."""
    since = list(Visit.objects.filter(case=case).select_related("recorded_by").order_by("id")
                 .filter(**({"id__gt": known_last_visit_id} if known_last_visit_id is not None else {})))
    reasons: list[str] = []
    changes: list[str] = []
    if case.version != case_version:
        then = _snapshot(case, case_version)
        if then is None:
            reasons.append("case_changed")
            changes.append(f"个案版本已由 {case_version} 变为 {case.version}")
        else:
            if then.status != case.status and case.status == Status.CLOSED:
                reasons.append("case_closed")
                changes.append(f"个案状态：{Status(then.status).label} → {case.get_status_display()}"
                               + (f"（{case.closed_on:%Y-%m-%d} 结案）" if case.closed_on else ""))
            if (then.assigned_worker_id, then.director_id) != (case.assigned_worker_id, case.director_id):
                reasons.append("case_reassigned")
                if then.assigned_worker_id != case.assigned_worker_id:
                    changes.append(f"责任经办人：{_person(then.assigned_worker)} → {_person(case.assigned_worker)}")
                if then.director_id != case.director_id:
                    changes.append(f"儿童主任：{then.director or '（无）'} → {case.director or '（无）'}")
            if then.risk_level != case.risk_level:
                reasons.append("risk_changed")
                changes.append(f"风险等级：{RiskLevel(then.risk_level).label} → {case.get_risk_level_display()}")
    if since:
        reasons.append("visit_recorded")
        changes += [f"{v.visited_on:%Y-%m-%d} {_person(v.recorded_by)} 已记录探访"
                    f"（{'见到' if v.child_seen else '未见到'}儿童本人）" for v in since]
    if case.version != case_version and not reasons:
        reasons.append("case_changed")
        changes.append("个案的其他信息已被修改")
    return reasons, changes, since


class OfflineVisitConflict(ConflictError):
    """409: the case changed since the phone cached it. `data` holds both sides' facts for the worker's choice."""

    def __init__(self, *, case: Case, reasons: list[str], changes: list[str], since: list, latest_visit: int | None):
        super().__init__(CONFLICT_CODE, "离线记录期间个案已有变更，未自动保存。请核对后选择“仍然提交”（附说明）或“放弃”。",
                         {"case_version": changes})
        self.data = {
            "reasons": reasons,
            "reason_labels": [REASONS[r] for r in reasons],
            "changes": changes,
            "server": {
                "case_version": case.version,
                "last_visit_id": latest_visit,
                "status": case.get_status_display(),
                "assigned_worker": _person(case.assigned_worker),
                "last_visit_on": case.last_visit_on.isoformat() if case.last_visit_on else None,
                "next_visit_due": case.next_visit_due.isoformat() if case.next_visit_due else None,
                "visits_since": [{"visited_on": v.visited_on.isoformat(), "recorded_by": _person(v.recorded_by),
                                  "child_seen": v.child_seen} for v in since],
            },
        }


@transaction.atomic
def visit_sync(*, user, case_id: int, case_version: int, last_visit_id: int | None, visited_on: date, visitors: str,
               findings: str, child_seen: bool = True, services_delivered: str = "", acknowledged: list[str] | None = None,
               resolution_note: str = "") -> Visit:
    """Record a visit queued on a phone. `case_version` / `last_visit_id`: the case as the phone knew it (for a
    resubmission after a conflict: as the conflict showed it, so a second change is a second conflict).
    `acknowledged`: the conflict's reasons the worker saw; they then explain in `resolution_note`, which is kept
    with the visit's findings."""
    case = case_get(user=user, pk=case_id, for_update=True)  # locked: no visit slips in between check and write
    acknowledged = list(dict.fromkeys(acknowledged or []))
    unknown = [r for r in acknowledged if r not in REASONS]
    if unknown:
        raise ApplicationError("invalid_conflict_reason", "无法识别的冲突原因", {"acknowledged": ["无效的冲突原因"]})
    note = resolution_note.strip()
    if acknowledged and not note:
        raise ApplicationError("resolution_note_required", "仍然提交须填写说明", {"resolution_note": ["请填写说明"]})
    if len(note) > NOTE_MAX:
        raise ApplicationError("resolution_note_too_long", f"说明不能超过 {NOTE_MAX} 字",
                               {"resolution_note": [f"不能超过 {NOTE_MAX} 字"]})
    latest = latest_visit_id(case)
    reasons, changes, since = conflicts(case, case_version=case_version, known_last_visit_id=last_visit_id)
    if reasons:
        logger.info("child welfare offline visit conflict", extra={
            "case_id": case.pk, "reasons": reasons, "cached_version": case_version, "version": case.version,
            "user_id": user.pk})
        raise OfflineVisitConflict(case=case, reasons=reasons, changes=changes, since=since, latest_visit=latest)
    if acknowledged:
        labels = "、".join(REASONS[r] for r in acknowledged)
        findings = f"{findings}\n\n【离线记录，同步时发现：{labels}。经办人说明：{note}】"
    visit = visit_record(user=user, case_id=case.pk, visited_on=visited_on, visitors=visitors, findings=findings,
                         child_seen=child_seen, services_delivered=services_delivered)
    logger.info("child welfare offline visit synced", extra={
        "case_id": case.pk, "visit_id": visit.pk, "acknowledged": acknowledged, "user_id": user.pk})
    return visit
