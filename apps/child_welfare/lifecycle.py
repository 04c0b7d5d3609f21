"""The case lifecycle as one table (apps.core.lifecycle). UI buttons, API actions, admin actions and tests
all read CASE_LIFECYCLE; apps.child_welfare.services.cases.case_transition applies it.

reported → verified (精准识别) → assessed → planned → in service ⇄ under review → closed → reopened.
A guard returns the Chinese reason an action is refused now (or None); the lifecycle raises it with the
transition's stable guard code. Refusals are 400s (ApplicationError), as this API has always answered.
Closing as "moved out" is the one move that does not end here: the service hands the case to the new
region (see services.cases._transfer), after the same check.
"""

from __future__ import annotations

from datetime import date

from apps.child_welfare.ages import ADULT_AGE, child_age
from apps.child_welfare.models import OPEN_STATUSES, CaseTransition, ClosureReason, Domain, Status
from apps.child_welfare.monitoring import resolve_escalations
from apps.core.exceptions import ApplicationError
from apps.core.lifecycle import Lifecycle, Transition

# Not user-triggered: recorded when a case is reported, and when a moved-out case arrives in its new region.
REPORT = "report"
TRANSFER_IN = "transfer_in"
_EXTRA_LABELS = {REPORT: "报告", TRANSFER_IN: "转入"}

# The stepper: the main path, in order.
STEPS: list[str] = [Status.REPORTED, Status.VERIFIED, Status.ASSESSED, Status.PLANNED, Status.IN_SERVICE,
         Status.UNDER_REVIEW, Status.CLOSED]


# ---------------------------------------------------------------- guards: (case, user, payload) → refusal or None


def _verified(case, user, payload) -> str | None:
    missing = []
    if not case.identity_verified:
        missing.append("身份")
    if not case.documents_verified:
        missing.append("证明材料")
    if not case.categories.exists():
        missing.append("困境类别")
    return f"精准识别未完成：请先核实{'、'.join(missing)}" if missing else None


def _assessed(case, user, payload) -> str | None:
    latest = case.assessments.order_by("-assessed_on", "-id").first()
    if latest is None:
        return "尚无需求评估：请先完成六个领域的评估"
    if latest.domains.count() < len(Domain.values):
        return "最近一次评估未覆盖全部六个领域"
    return None


def _planned(case, user, payload) -> str | None:
    return None if case.plan_items.exists() else "服务计划尚无事项：请至少添加一项目标和服务"


def _may_reopen(case, user, payload) -> str | None:
    if case.closure_reason == ClosureReason.DECEASED:
        return "儿童已死亡结案，不能重新开案"
    if child_age(case.child) >= ADULT_AGE:
        return "儿童已年满18周岁，不能重新开案"
    return None


# ---------------------------------------------------------------- effects: what else a move writes


def closure_reason_of(payload: dict) -> str:
    """The closure reason a close carries; refused when missing (the case page and the API ask for it)."""
    reason = payload.get("closure_reason", "")
    if reason not in ClosureReason.values:
        raise ApplicationError("closure_reason_required", "请选择结案原因", {"closure_reason": ["必填"]})
    return reason


def _close(case, user, payload) -> None:
    case.closure_reason, case.closed_on = closure_reason_of(payload), date.today()
    resolve_escalations(case, resolution="已结案")


def _reopen(case, user, payload) -> None:
    case.closure_reason, case.closed_on = "", None


def _fresh_review(case, user, payload) -> None:
    case.next_review_due = None  # monitoring.schedule sets a fresh review date on save


# ---------------------------------------------------------------- what is recorded


def record_step(case, transition: Transition, from_status: str, user, note: str) -> None:
    CaseTransition.objects.create(
        case=case, action=transition.action, from_status=from_status, to_status=case.status, reason=note,
        closure_reason=case.closure_reason if transition.target == Status.CLOSED else "", by=user)


CASE_LIFECYCLE = Lifecycle(
    transitions=(
        Transition("verify", "核实（精准识别）", (Status.REPORTED,), Status.VERIFIED, icon="patch-check",
                   guards=(_verified,), guard_code="verification_incomplete"),
        Transition("assess", "完成评估", (Status.VERIFIED,), Status.ASSESSED, icon="clipboard2-pulse",
                   guards=(_assessed,), guard_code="assessment_incomplete"),
        Transition("plan", "确定服务计划", (Status.ASSESSED,), Status.PLANNED, icon="list-check",
                   guards=(_planned,), guard_code="plan_empty"),
        Transition("start_service", "开始服务", (Status.PLANNED,), Status.IN_SERVICE, icon="play-circle",
                   effect=_fresh_review),
        Transition("review", "发起复核", (Status.IN_SERVICE,), Status.UNDER_REVIEW, icon="search"),
        Transition("resume", "复核通过，继续服务", (Status.UNDER_REVIEW,), Status.IN_SERVICE,
                   icon="arrow-repeat", effect=_fresh_review),
        Transition("reassess", "复核后重新评估", (Status.UNDER_REVIEW,), Status.VERIFIED, needs_reason=True,
                   icon="arrow-counterclockwise"),
        Transition("close", "结案", tuple(OPEN_STATUSES), Status.CLOSED, needs_reason=True, icon="archive",
                   effect=_close),
        Transition("reopen", "重新开案", (Status.CLOSED,), Status.VERIFIED, needs_reason=True, icon="box-arrow-up",
                   guards=(_may_reopen,), guard_code="reopen_refused", effect=_reopen),
    ),
    status_label=lambda status: str(Status(status).label),
    record=record_step,
    refusal=ApplicationError,
    reason_field="reason",
)


def action_label(action: str) -> str:
    """The Chinese name of a recorded step, the table's moves and the two the system records."""
    return CASE_LIFECYCLE.label(action, default=_EXTRA_LABELS.get(action, action))


def stepper(status: str) -> list[dict]:
    # The end of the road: every step done, the last one too.
    return CASE_LIFECYCLE.stepper(STEPS, status, finished=status == Status.CLOSED)
