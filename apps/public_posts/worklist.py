"""公益性岗位's 待办 (registered in PublicPostsConfig.ready()): monthly subsidy runs waiting for a reviewer who did not
start them (four eyes), runs whose computation failed (to resume), and placements whose agreed end comes within
the window or has passed while the person is still in post (续签 or 离岗)."""

from datetime import timedelta

from django.urls import reverse

from apps.core.money import format_money
from apps.core.registry import WorkItem, WorklistSource, worklist_window
from apps.core.review import REVIEWER_ROLES
from apps.core.scoping import scope_queryset
from apps.public_posts.models import Placement, SubsidyRun


def runs_awaiting_review(user, today):
    runs = scope_queryset(SubsidyRun.objects.filter(status=SubsidyRun.Status.COMPUTED), user)
    return runs.exclude(started_by=user).select_related("region").order_by("id")


def run_item(run: SubsidyRun) -> WorkItem:
    return WorkItem(what=f"{run.region.name} {run.month:%Y年%m月} 公益性岗位补贴",
                    why=f"已计算 {run.placements_done} 人，合计 {format_money(run.total_amount)} 元，待审核",
                    url=reverse("public_posts:run-detail", args=[run.pk]), since=run.created_at)


def runs_failed(user, today):
    return scope_queryset(SubsidyRun.objects.filter(status=SubsidyRun.Status.FAILED), user).select_related(
        "region").order_by("id")


def failed_run_item(run: SubsidyRun) -> WorkItem:
    return WorkItem(what=f"{run.region.name} {run.month:%Y年%m月} 公益性岗位补贴",
                    why=f"计算中断（{run.error or '原因未记录'}），请在批次页面继续计算",
                    url=reverse("public_posts:run-detail", args=[run.pk]), since=run.updated_at)


def placements_ending(user, today):
    until = today + timedelta(days=worklist_window("placement_ending"))
    placements = Placement.objects.filter(status=Placement.Status.ACTIVE, agreed_end_date__lte=until)
    return scope_queryset(placements, user).select_related("person", "post").order_by("agreed_end_date", "id")


def placement_item(placement: Placement) -> WorkItem:
    return WorkItem(what=f"{placement.person.name} · {placement.post.name}",
                    why=f"约定终止日期 {placement.agreed_end_date:%Y-%m-%d}，仍在岗：请办理续签或离岗",
                    url=reverse("public_posts:post-detail", args=[placement.post_id]) + f"#placement-{placement.pk}",
                    due=placement.agreed_end_date)


SOURCES = (
    WorklistSource(key="public_posts.run_review", module="public_posts", label="公益性岗位补贴待审核",
                   queryset=runs_awaiting_review, item=run_item, roles=REVIEWER_ROLES, order=46),
    WorklistSource(key="public_posts.run_failed", module="public_posts", label="公益性岗位补贴计算中断",
                   queryset=runs_failed, item=failed_run_item, order=47),
    WorklistSource(key="public_posts.placement_ending", module="public_posts", label="公益性岗位安置即将期满",
                   queryset=placements_ending, item=placement_item, roles=("caseworker",), order=48),
)
