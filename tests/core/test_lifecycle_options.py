"""The optional parts of core.lifecycle: actor guards (four eyes), per-move state codes and the reason's code
and field. Defaults keep the original behaviour. A refused role is always core.review's one refusal."""

from dataclasses import dataclass

import pytest

from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.review import REVIEWER_CODE, ReviewRefused


@dataclass
class Paper:
    status: str = "submitted"
    submitted_by: str = "ann"
    _change_reason: str = ""

    def save(self):
        pass


@dataclass
class Person:
    name: str
    role: str = "supervisor"

    @property
    def pk(self):
        return self.name

    def has_role(self, *roles):
        return self.role in roles


def not_the_submitter(paper, user, payload):
    return "提交人不能审核" if paper.submitted_by == user.name else None


TABLE = Lifecycle(
    transitions=[
        Transition("approve", "通过", ("submitted",), "approved", roles=("supervisor",),
                   actor_guards=(not_the_submitter,), guard_code="four_eyes", state_code="not_submitted"),
        Transition("return", "退回", ("submitted",), "returned", roles=("supervisor",), needs_reason=True),
    ],
    status_label=str,
    reason_code="comment_required", reason_field="comment",
)


def test_actor_guards_hide_the_move_and_refuse_it():
    assert [t.action for t in TABLE.available(Paper(), Person("ann"))] == ["return"]
    assert [t.action for t in TABLE.available(Paper(), Person("bob"))] == ["approve", "return"]
    with pytest.raises(ConflictError) as refused:
        TABLE.apply(Paper(), "approve", user=Person("ann"))
    assert refused.value.code == "four_eyes"


def test_state_code_role_refusal_and_reason_options():
    with pytest.raises(ConflictError) as refused:
        TABLE.check(Paper(status="approved"), "approve", Person("bob"))
    assert refused.value.code == "not_submitted"
    with pytest.raises(ReviewRefused) as forbidden:
        TABLE.check(Paper(), "approve", Person("bob", role="caseworker"))
    assert (forbidden.value.code, forbidden.value.status_code) == (REVIEWER_CODE, 403)
    with pytest.raises(ApplicationError) as no_reason:
        TABLE.check(Paper(), "return", Person("bob"), note=" ")
    assert no_reason.value.code == "comment_required" and "comment" in no_reason.value.fields


def test_defaults_are_unchanged():
    plain = Lifecycle(transitions=[Transition("close", "结案", ("open",), "closed", needs_reason=True)],
                      status_label=str)
    with pytest.raises(ConflictError) as refused:
        plain.check(Paper(status="closed"), "close", None)
    assert refused.value.code == "transition_not_allowed"
    with pytest.raises(ApplicationError) as no_reason:
        plain.check(Paper(status="open"), "close", None)
    assert no_reason.value.code == "reason_required" and "note" in no_reason.value.fields
