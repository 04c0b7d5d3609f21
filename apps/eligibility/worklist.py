"""主动发现's 待办 (registered in EligibilityConfig.ready()): open leads of the daily matching job — people of the
caseworker's region who qualify for a benefit they have not received — the oldest first."""

from django.urls import reverse

from apps.core.money import format_money
from apps.core.registry import WorkItem, WorklistSource
from apps.eligibility.models import BenefitMatch
from apps.eligibility.selectors import benefit_match_list


def open_leads(user, today):
    return benefit_match_list(user=user).filter(status=BenefitMatch.Status.OPEN).order_by("created_at", "id")


def lead_item(match: BenefitMatch) -> WorkItem:
    return WorkItem(what=f"{match.person.name} · {match.calculator_title}（{match.year}年）",
                    why=f"比对发现符合条件但尚未享受，测算金额 {format_money(match.amount)} 元，请联系本人办理或说明不予办理的原因",
                    url=f"{reverse('applicants:detail', args=[match.person_id])}#benefits-panel", since=match.created_at)


SOURCES = (
    WorklistSource(key="eligibility.leads", module="eligibility", label="主动发现线索待处理", queryset=open_leads,
                   item=lead_item, roles=("caseworker",), order=60),
)
