"""养老服务人才's 待办 (registered in EldercareConfig.ready()): incentive claims waiting for a reviewer who did not
submit them (four eyes)."""

from django.urls import reverse

from apps.core.money import format_money
from apps.core.registry import WorkItem, WorklistSource
from apps.core.review import REVIEWER_ROLES
from apps.core.scoping import scope_queryset
from apps.eldercare.models import IncentiveClaim


def claims_awaiting_review(user, today):
    claims = scope_queryset(IncentiveClaim.objects.filter(status=IncentiveClaim.Status.SUBMITTED), user)
    # Ordered by id: a claim's id follows its submission (`since`), and the primary key serves the sort.
    return claims.exclude(submitted_by=user).select_related("person", "institution").order_by("id")


def claim_item(claim: IncentiveClaim) -> WorkItem:
    return WorkItem(what=f"{claim.person.name} · {claim.get_kind_display()}",
                    why=f"{claim.institution.name}申领，待审核，金额 {format_money(claim.amount)} 元",
                    url=reverse("eldercare:claim-detail", args=[claim.pk]), since=claim.created_at)


SOURCES = (
    WorklistSource(key="eldercare.claim_review", module="eldercare", label="养老服务人才补贴待审核",
                   queryset=claims_awaiting_review, item=claim_item, roles=REVIEWER_ROLES, order=45),
)
