"""稳岗返还's 待办 (registered in RefundsConfig.ready()): official runs waiting for a reviewer at each stage of
初审 → 公示 → 复核 — never for the one who started them, and the 复核 never for the first reviewer either (four
eyes, apps.core.review)."""

from django.urls import reverse

from apps.core.registry import WorkItem, WorklistSource
from apps.core.review import REVIEWER_ROLES
from apps.core.scoping import scope_queryset
from apps.objections.worklist import open_objections_source
from apps.refunds.models import RUN_SLUG, RefundRun


def runs_awaiting_review(user, today):
    runs = scope_queryset(RefundRun.objects.filter(is_official=True, status=RefundRun.Status.COMPUTED), user)
    return runs.exclude(started_by=user).select_related("region", "started_by").order_by("computed_at", "id")


def run_item(run: RefundRun) -> WorkItem:
    return WorkItem(what=f"{run.region.name} {run}", url=reverse("refunds:detail", args=[run.pk]),
                    why=f"计算已完成，共 {run.eligible_count} 家单位符合条件，待您初审（发起人：{run.started_by}）",
                    since=run.computed_at or run.created_at)


def runs_awaiting_publication(user, today):
    runs = scope_queryset(RefundRun.objects.filter(is_official=True, status=RefundRun.Status.FIRST_REVIEWED), user)
    return runs.select_related("region", "first_reviewed_by").order_by("first_reviewed_at", "id")


def publication_item(run: RefundRun) -> WorkItem:
    return WorkItem(what=f"{run.region.name} {run}", url=reverse("refunds:detail", args=[run.pk]),
                    why=f"初审已通过（{run.first_reviewed_by}），请发布公示", since=run.first_reviewed_at or run.created_at)


def runs_awaiting_final_review(user, today):
    runs = scope_queryset(RefundRun.objects.filter(is_official=True, status=RefundRun.Status.PUBLICIZING,
                                                   publicity_ends_on__lt=today), user)
    return (runs.exclude(started_by=user).exclude(first_reviewed_by=user).select_related("region")
            .order_by("publicity_ends_on", "id"))


def final_review_item(run: RefundRun) -> WorkItem:
    return WorkItem(what=f"{run.region.name} {run}", url=reverse("refunds:detail", args=[run.pk]),
                    why=f"公示期已于 {run.publicity_ends_on:%Y-%m-%d} 届满，请复核", due=run.publicity_ends_on)


REVIEW = WorklistSource(key="refunds.review", module="refunds", label="返还批次待初审", queryset=runs_awaiting_review,
                        item=run_item, roles=REVIEWER_ROLES, order=10)
PUBLISH = WorklistSource(key="refunds.publish", module="refunds", label="返还批次待公示",
                         queryset=runs_awaiting_publication, item=publication_item, roles=REVIEWER_ROLES, order=12)
FINAL_REVIEW = WorklistSource(key="refunds.final_review", module="refunds", label="公示期满待复核",
                              queryset=runs_awaiting_final_review, item=final_review_item, roles=REVIEWER_ROLES,
                              order=13)
SOURCES = (REVIEW, open_objections_source(module="refunds", slug=RUN_SLUG, order=11), PUBLISH, FINAL_REVIEW)
