"""培训学员's bulk bar (apps.core.bulk): several enrollments moved to their next stage at once — 录取, 开班培训,
结业 (dated today), and for reviewers 复核通过 of the training-subsidy claim in 公示 — each through
ENROLLMENT_LIFECYCLE (`enrollment_transition`): the state, capacity, four eyes, the 公示 window and open objections
are checked per enrollment."""

from apps.core.bulk import BulkAction, BulkChoice, lifecycle_choices
from apps.training.selectors import enrollment_list
from apps.training.services import ENROLLMENT_LIFECYCLE, enrollment_transition

# Moves that need no details form (assess and verify_employment ask for a certificate or a contract).
BULK_ACTIONS = ("enroll", "start", "complete", "approve")


def _perform(enrollment, user, choice: BulkChoice, note: str) -> None:
    enrollment_transition(enrollment=enrollment, action=choice.value, user=user, note=note, payload={})


def _choices(user) -> list[BulkChoice]:
    choices = lifecycle_choices(ENROLLMENT_LIFECYCLE, BULK_ACTIONS, user)
    return [BulkChoice(c.value, c.label, confirm=c.confirm + ("结业日期记为今天。" if c.value == "complete" else ""),
                       needs_note=c.needs_note) for c in choices]


ENROLLMENT_BULK = BulkAction(
    name="training_enrollments", label="批量办理",
    queryset=lambda user: enrollment_list(user=user),
    choices=_choices,
    describe=lambda e: f"{e.person.name}（{e.masked_id_number}）· {e.program.name}",
    perform=_perform,
)
