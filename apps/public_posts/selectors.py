"""Reads of 公益性岗位: every list scoped by region (apps.core.scoping), then a FilterSet."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.core.filters import filter_or_raise
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.public_posts.filters import PlacementFilter, PostFilter, RunFilter
from apps.public_posts.models import Placement, PublicPost, SubsidyLine, SubsidyRun


def _posts():
    return PublicPost.objects.select_related("region", "employer").annotate(
        taken=Count("placements", filter=Q(placements__status=Placement.Status.ACTIVE)))


def post_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[PublicPost]:
    return filter_or_raise(PostFilter, filters, scope_queryset(_posts(), user)).order_by("-start_date", "-id")


def post_get(*, user, pk: int) -> PublicPost:
    return get_scoped_or_404(_posts(), user, pk=pk)


def placement_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[Placement]:
    queryset = scope_queryset(Placement.objects.select_related("post", "person", "region"), user)
    return filter_or_raise(PlacementFilter, filters, queryset).order_by("-start_date", "-id")


def placement_get(*, user, pk: int) -> Placement:
    return get_scoped_or_404(Placement.objects.select_related("post", "person", "region"), user, pk=pk)


def run_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[SubsidyRun]:
    queryset = scope_queryset(SubsidyRun.objects.select_related("region", "started_by", "reviewed_by"), user)
    return filter_or_raise(RunFilter, filters, queryset).order_by("-month", "-id")


def run_get(*, user, pk: int) -> SubsidyRun:
    return get_scoped_or_404(SubsidyRun.objects.select_related("region", "started_by", "reviewed_by"), user, pk=pk)


def run_lines(*, run: SubsidyRun) -> QuerySet[SubsidyLine]:
    return SubsidyLine.objects.filter(run=run).select_related("person", "placement__post").order_by("id")


def run_export_rows(*, run: SubsidyRun):
    """The run's lines as rows for apps.core.exports (ID numbers masked; amounts stay numbers)."""
    yield ["序号", "姓名", "身份证号", "岗位", "用人单位", "在岗天数", "当月天数", "补贴金额（元）"]
    for index, line in enumerate(run_lines(run=run), start=1):
        yield [index, line.person.name, line.person.masked_id_number, line.placement.post.name,
               line.placement.post.employer_name, line.days_in_post, line.days_in_month, line.amount]
