"""稳岗返还's 待办 (registered in RefundsConfig.ready()): official runs computed and waiting for a reviewer —
never for the one who started them (four eyes, apps.core.review)."""

from django.urls import reverse

from apps.core.registry import WorkItem, WorklistSource
from apps.core.review import REVIEWER_ROLES
from apps.core.scoping import scope_queryset
from apps.refunds.models import RefundRun


def runs_awaiting_review(user, today):
    runs = scope_queryset(RefundRun.objects.filter(is_official=True, status=RefundRun.Status.COMPUTED), user)
    return runs.exclude(started_by=user).select_related("region", "started_by").order_by("computed_at", "id")


def run_item(run: RefundRun) -> WorkItem:
    return WorkItem(what=f"{run.region.name} {run}", url=reverse("refunds:detail", args=[run.pk]),
                    why=f"计算已完成，共 {run.eligible_count} 家单位符合条件，待您审核（发起人：{run.started_by}）",
                    since=run.computed_at or run.created_at)


REVIEW = WorklistSource(key="refunds.review", module="refunds", label="返还批次待审核", queryset=runs_awaiting_review,
                        item=run_item, roles=REVIEWER_ROLES, order=10)
SOURCES = (REVIEW,)
