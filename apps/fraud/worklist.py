"""欺诈骗保's 待办 (registered in FraudConfig.ready()): findings waiting for a reviewer who did not make them, and
appeals waiting for a decision by one (four eyes)."""

from django.urls import reverse

from apps.core.money import format_money
from apps.core.registry import WorkItem, WorklistSource
from apps.core.review import REVIEWER_ROLES
from apps.core.scoping import scope_queryset
from apps.fraud.models import FraudCase


def _waiting(status: str):
    def queryset(user, today):
        cases = scope_queryset(FraudCase.objects.filter(status=status), user)
        return cases.exclude(found_by=user).select_related("person").order_by("status_since", "id")

    return queryset


def finding_item(case: FraudCase) -> WorkItem:
    return WorkItem(what=f"骗保案件 #{case.pk} {case.person.name}",
                    why=f"已作出认定（医保基金已支付 {format_money(case.amount_billed)} 元），待您审核",
                    url=reverse("fraud:case-detail", args=[case.pk]), since=case.status_since)


def appeal_item(case: FraudCase) -> WorkItem:
    return WorkItem(what=f"骗保案件 #{case.pk} {case.person.name}", why="当事人已提出申诉，待您处理（维持或撤销）",
                    url=reverse("fraud:case-detail", args=[case.pk]), since=case.status_since)


SOURCES = (
    WorklistSource(key="fraud.finding_review", module="fraud", label="骗保认定待审核",
                   queryset=_waiting(FraudCase.Status.FOUND), item=finding_item, roles=REVIEWER_ROLES, order=40),
    WorklistSource(key="fraud.appeal", module="fraud", label="骗保申诉待处理",
                   queryset=_waiting(FraudCase.Status.APPEALING), item=appeal_item, roles=REVIEWER_ROLES, order=41),
)
