"""One transition helper for every record with a lifecycle (enrollments, cases, claims, runs).

A lifecycle is a table of allowed moves: action, from which states, to which state, who may make it,
what must hold (guards), what else it writes (effect) and what is recorded. The UI draws its buttons
from `available`, the API and the admin call `apply`, the tests walk the table — one reading for all.
Locking the row (select_for_update) stays with the caller's service, which owns the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.review import REVIEWER_CODE, REVIEWER_MESSAGE, ReviewRefused

# A guard refuses by returning the Chinese reason (or by raising ApplicationError with its own code);
# None means the move may go ahead. An effect writes what else the move changes, before the save.
Guard = Callable[[Any, Any, dict], "str | None"]
Effect = Callable[[Any, Any, dict], None]
# What is recorded: (obj, transition, from_status, user, note) → e.g. a *Transition history row.
Recorder = Callable[[Any, "Transition", str, Any, str], None]


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button, in Chinese
    sources: tuple[str, ...]
    target: str
    # Who may make the move (review.REVIEWER_ROLES for a decision); empty: anyone the view already admits.
    # A user without the role is refused with review's one code, `reviewer_required` (403).
    roles: tuple[str, ...] = ()
    guards: tuple[Guard, ...] = ()
    guard_code: str = "transition_refused"  # the stable code of a guard's refusal
    # Guards about who is acting (the four-eyes rule): `check` runs them right after the role check, and
    # `available` runs them too, so no button is offered that this user may never press on this record.
    actor_guards: tuple[Guard, ...] = ()
    state_code: str = "transition_not_allowed"  # the stable code when the current status does not allow it
    effect: Effect | None = None
    needs_reason: bool = False  # a note is required (closing, returning, rejecting)
    needs_form: bool = False  # the UI asks for details before posting
    style: str = "primary"  # Bootstrap colour of the button
    # An irreversible move asks first: what will happen, in Chinese (the button's data-confirm; behaviour.js).
    confirm: str = ""
    icon: str = "arrow-right-circle"


class Offer:
    """One button of a record's page: the transition, and why this user may not press it ("" when they may).

    Reads like its Transition (`offer.label`, `.style`, `.confirm` …). templates/includes/transition_button.html
    draws a refused one disabled with the reason beside it, so no page draws a button that only answers 403."""

    def __init__(self, transition: Transition, refusal: str = ""):
        self.transition = transition
        self.refusal = refusal

    def __getattr__(self, name: str):
        if name == "transition":  # not set yet (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self.transition, name)

    def __repr__(self) -> str:
        return f"Offer({self.transition.action!r}, refusal={self.refusal!r})"


class Lifecycle:
    def __init__(self, *, transitions: Iterable[Transition], status_label: Callable[[str], str],
                 record: Recorder | None = None, status_field: str = "status",
                 reason_code: str = "reason_required", reason_field: str = "note",
                 refusal: type[ApplicationError] = ConflictError):
        self.transitions: dict[str, Transition] = {t.action: t for t in transitions}
        self.status_label = status_label
        self.record = record
        self.status_field = status_field
        self.reason_code = reason_code
        self.reason_field = reason_field
        # The error class of a refused move (wrong state, a guard's reason): 409 by default; a lifecycle whose
        # API has always answered 400 passes ApplicationError.
        self.refusal = refusal

    # ------------------------------------------------------------------ reading the table

    def get(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except KeyError:
            raise ApplicationError("unknown_action", f"未知的操作“{action}”", {"action": ["未知的操作"]}) from None

    def label(self, action: str, default: str | None = None) -> str:
        transition = self.transitions.get(action)
        return str(transition.label) if transition else (default if default is not None else action)

    def from_status(self, status: str) -> list[Transition]:
        return [t for t in self.transitions.values() if status in t.sources]

    def may(self, transition: Transition, user) -> bool:
        return not transition.roles or bool(user is not None and user.has_role(*transition.roles))

    def available(self, obj, user) -> list[Transition]:
        """The moves offered now to this user (guards are not run: a refused click says why)."""
        return [offer.transition for offer in self.offers(obj, user) if not offer.refusal]

    def offers(self, obj, user) -> list[Offer]:
        """Every move of the record's current status, each with the reason this user may not make it: the
        wrong role (review's one sentence) or an actor guard (four eyes). A page draws the refused ones
        disabled with the reason (includes/transition_button.html) instead of a button that answers 403."""
        status = getattr(obj, self.status_field)
        return [Offer(t, self.refusal_for(t, obj, user)) for t in self.from_status(status)]

    def refusal_for(self, transition: Transition, obj, user) -> str:
        if not self.may(transition, user):
            return REVIEWER_MESSAGE
        try:
            for guard in transition.actor_guards:
                reason = guard(obj, user, {})
                if reason:
                    return str(reason)
        except ApplicationError as error:
            return str(error.message)
        return ""

    def stepper(self, steps: Sequence[str], status: str, *, finished: bool = False) -> list[dict]:
        current = list(steps).index(status) if status in steps else -1
        return [{"status": s, "label": self.status_label(s), "done": i < current or finished,
                 "current": i == current} for i, s in enumerate(steps)]

    # ------------------------------------------------------------------ making a move

    def check(self, obj, action: str, user, payload: dict | None = None, note: str = "") -> Transition:
        """Raise ApplicationError unless `action` may be made on `obj` by `user` now."""
        transition = self.get(action)
        status = getattr(obj, self.status_field)
        if status not in transition.sources:
            offered = "、".join(str(t.label) for t in self.from_status(status) if self.may(t, user))
            raise self.refusal(transition.state_code,
                               f"当前状态“{self.status_label(status)}”不能执行“{transition.label}”操作",
                               {"action": [f"可执行：{offered or '无'}"]})
        if not self.may(transition, user):
            # The one wrong-role refusal of apps.core.review (reviewer_required, 403), whatever the lifecycle.
            raise ReviewRefused(REVIEWER_CODE, REVIEWER_MESSAGE)
        for guard in transition.actor_guards:
            reason = guard(obj, user, payload or {})
            if reason:
                raise self.refusal(transition.guard_code, reason)
        if transition.needs_reason and not note.strip():
            raise ApplicationError(self.reason_code, f"请填写“{transition.label}”的原因",
                                   {self.reason_field: ["请填写原因"]})
        for guard in transition.guards:
            reason = guard(obj, user, payload or {})
            if reason:
                raise self.refusal(transition.guard_code, reason)
        return transition

    def apply(self, obj, action: str, *, user, note: str = "", payload: dict | None = None,
              save: Callable[[Any], None] | None = None) -> Transition:
        """Check, run the effect, set the new status, save and record. Call inside the caller's atomic block."""
        payload = payload or {}
        transition = self.check(obj, action, user, payload, note)
        from_status = getattr(obj, self.status_field)
        if transition.effect is not None:
            transition.effect(obj, user, payload)
        setattr(obj, self.status_field, transition.target)
        # simple-history keeps 100 characters of a change reason; the full note is the recorder's.
        obj._change_reason = f"{transition.label}{'：' + note if note else ''}"[:100]
        (save or (lambda o: o.save()))(obj)
        if self.record is not None:
            self.record(obj, transition, from_status, user, note)
        return transition
