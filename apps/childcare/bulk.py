"""补助申报's bulk bar (apps.core.bulk): several claims published (初审通过并公示), approved (复核, after the
window) or returned at once, each through
CLAIM_LIFECYCLE (`claim_transition`): the reviewer role, four eyes, the open-serious-finding guard per claim."""

from apps.childcare.selectors import claim_list
from apps.childcare.services.claims import CLAIM_LIFECYCLE, claim_transition
from apps.core.bulk import BulkAction, BulkChoice, lifecycle_choices
from apps.core.money import format_money


def _perform(claim, user, choice: BulkChoice, note: str) -> None:
    claim_transition(claim=claim, action=choice.value, user=user, comment=note)


CLAIM_BULK = BulkAction(
    name="childcare_claims", label="批量审核",
    queryset=lambda user: claim_list(user=user),
    choices=lambda user: lifecycle_choices(CLAIM_LIFECYCLE, ("publish", "approve", "return"), user),
    describe=lambda c: f"{c.institution.name} {c.year}年（{format_money(c.amount)} 元）",
    perform=_perform, note_label="审核意见",
)
