"""The case lifecycle as one table. UI buttons, API actions, admin actions and tests all read it.

reported → verified (精准识别) → assessed → planned → in service ⇄ under review → closed → reopened.
A guard returns the Chinese reason an action is refused now (or None); the service raises it as an
ApplicationError with the action's stable code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from apps.child_welfare.models import OPEN_STATUSES, ClosureReason, Domain, Status


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button
    sources: tuple[str, ...]
    target: str
    needs_reason: bool = False
    icon: str = "arrow-right-circle"
    guard: Callable | None = None  # (case) -> refusal message or None
    guard_code: str = ""


def _verify_guard(case) -> str | None:
    missing = []
    if not case.identity_verified:
        missing.append("身份")
    if not case.documents_verified:
        missing.append("证明材料")
    if not case.categories.exists():
        missing.append("困境类别")
    return f"精准识别未完成：请先核实{'、'.join(missing)}" if missing else None


def _assess_guard(case) -> str | None:
    latest = case.assessments.order_by("-assessed_on", "-id").first()
    if latest is None:
        return "尚无需求评估：请先完成六个领域的评估"
    if latest.domains.count() < len(Domain.values):
        return "最近一次评估未覆盖全部六个领域"
    return None


def _plan_guard(case) -> str | None:
    return None if case.plan_items.exists() else "服务计划尚无事项：请至少添加一项目标和服务"


def _reopen_guard(case) -> str | None:
    if case.closure_reason == ClosureReason.DECEASED:
        return "儿童已死亡结案，不能重新开案"
    from apps.child_welfare.selectors import child_age

    if child_age(case.child) >= 18:
        return "儿童已年满18周岁，不能重新开案"
    return None


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    Transition("verify", "核实（精准识别）", (Status.REPORTED,), Status.VERIFIED, icon="patch-check",
               guard=_verify_guard, guard_code="verification_incomplete"),
    Transition("assess", "完成评估", (Status.VERIFIED,), Status.ASSESSED, icon="clipboard2-pulse",
               guard=_assess_guard, guard_code="assessment_incomplete"),
    Transition("plan", "确定服务计划", (Status.ASSESSED,), Status.PLANNED, icon="list-check",
               guard=_plan_guard, guard_code="plan_empty"),
    Transition("start_service", "开始服务", (Status.PLANNED,), Status.IN_SERVICE, icon="play-circle"),
    Transition("review", "发起复核", (Status.IN_SERVICE,), Status.UNDER_REVIEW, icon="search"),
    Transition("resume", "复核通过，继续服务", (Status.UNDER_REVIEW,), Status.IN_SERVICE, icon="arrow-repeat"),
    Transition("reassess", "复核后重新评估", (Status.UNDER_REVIEW,), Status.VERIFIED, needs_reason=True,
               icon="arrow-counterclockwise"),
    Transition("close", "结案", tuple(OPEN_STATUSES), Status.CLOSED, needs_reason=True, icon="archive"),
    Transition("reopen", "重新开案", (Status.CLOSED,), Status.VERIFIED, needs_reason=True, icon="box-arrow-up",
               guard=_reopen_guard, guard_code="reopen_refused"),
)}

# Not user-triggered: recorded when a moved-out case arrives in its new region.
TRANSFER_IN = "transfer_in"
REPORT = "report"
_EXTRA_LABELS = {TRANSFER_IN: "转入", REPORT: "报告"}

# The stepper: the main path, in order.
STEPS = [Status.REPORTED, Status.VERIFIED, Status.ASSESSED, Status.PLANNED, Status.IN_SERVICE,
         Status.UNDER_REVIEW, Status.CLOSED]


def action_label(action: str) -> str:
    transition = TRANSITIONS.get(action)
    return transition.label if transition else _EXTRA_LABELS.get(action, action)


def available(status: str) -> list[Transition]:
    """Actions offered from `status`, in table order (the buttons on the case page)."""
    return [t for t in TRANSITIONS.values() if status in t.sources]


def stepper(status: str) -> list[dict]:
    current = STEPS.index(status)
    closed = status == Status.CLOSED  # the end of the road: every step done, the last one too
    return [{"status": s, "label": Status(s).label, "done": i < current or closed, "current": i == current}
            for i, s in enumerate(STEPS)]
