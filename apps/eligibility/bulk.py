"""主动发现's bulk bar (apps.core.bulk): several leads marked 已办理 or 不予办理 at once, each by
`benefit_match_resolve` (an already resolved lead is reported, not changed)."""

from apps.core.bulk import BulkAction, BulkChoice
from apps.eligibility.models import BenefitMatch
from apps.eligibility.selectors import benefit_match_list
from apps.eligibility.services import benefit_match_resolve

Status = BenefitMatch.Status

MATCH_CHOICES = (
    BulkChoice(Status.HANDLED, "标记为已办理", confirm="线索将标记为“已办理”（已联系并办理待遇），不再列入待处理。"),
    BulkChoice(Status.DISMISSED, "标记为不予办理", confirm="线索将标记为“不予办理”，须填写原因，不再列入待处理。",
               needs_note=True),
)


def _perform(match: BenefitMatch, user, choice: BulkChoice, note: str) -> None:
    benefit_match_resolve(user=user, match=match, status=choice.value, note=note)


MATCH_BULK = BulkAction(
    name="benefit_matches", label="批量处理线索",
    # every status, so a lead resolved meanwhile is reported as such, not as 未找到
    queryset=lambda user: benefit_match_list(user=user, filters={"status": ""}),
    choices=lambda user: MATCH_CHOICES,
    describe=lambda m: f"{m.person.name} · {m.calculator_title}（{m.year}年）",
    perform=_perform,
)
