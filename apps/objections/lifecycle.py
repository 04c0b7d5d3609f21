"""An objection's moves: lodged → under review (assigning a caseworker starts the review) → upheld or
rejected. The decision is a reviewer's and never that of whoever entered the objection (apps.core.review)."""

from __future__ import annotations

from apps.core.lifecycle import Lifecycle, Transition
from apps.core.review import REVIEWER_ROLES, not_the_maker
from apps.objections.models import Objection, ObjectionEvent

S = Objection.Status


def _record(objection: Objection, transition: Transition, from_status: str, user, note: str) -> None:
    ObjectionEvent.objects.create(objection=objection, action=transition.action, from_status=from_status,
                                  to_status=objection.status, user=user, note=note)


LIFECYCLE = Lifecycle(
    transitions=[
        Transition("assign", "指定承办人", (S.LODGED, S.UNDER_REVIEW), S.UNDER_REVIEW, needs_form=True,
                   icon="person-check"),
        Transition("uphold", "异议成立（按更正事实重算）", (S.UNDER_REVIEW,), S.UPHELD, roles=REVIEWER_ROLES,
                   actor_guards=(not_the_maker("entered_by_id"),), needs_reason=True, needs_form=True,
                   style="success", icon="check2-circle",
                   confirm="确认异议成立？将按更正后的事实重新计算该单位的结果，原结果保留并标记为已被更正。"),
        Transition("reject", "异议不成立", (S.UNDER_REVIEW,), S.REJECTED, roles=REVIEWER_ROLES,
                   actor_guards=(not_the_maker("entered_by_id"),), needs_reason=True, needs_form=True,
                   style="danger", icon="x-circle",
                   confirm="确认异议不成立？该单位的结果不变，暂缓发放随即解除。"),
    ],
    status_label=lambda status: str(S(status).label),
    record=_record,
    reason_field="reasons",
)
