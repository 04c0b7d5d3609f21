"""零工市场's 待办 (registered in GigConfig.ready()): placements whose worker has started and not yet been followed up
(待回访) — the 回访 records whether they are on the job, and whether they were paid."""

from django.urls import reverse

from apps.core.registry import WorkItem, WorklistSource
from apps.core.scoping import scope_queryset
from apps.gig.models import Placement


def placements_to_follow_up(user, today):
    placements = Placement.objects.filter(outcome=Placement.State.PENDING, start_date__lte=today)
    return scope_queryset(placements, user, "posting__region").select_related(
        "availability__person", "posting").order_by("start_date", "id")


def follow_up_item(placement: Placement) -> WorkItem:
    return WorkItem(what=f"{placement.availability.person.name} · {placement.posting.title}",
                    why=f"{placement.start_date:%Y-%m-%d} 上岗，尚未回访：请记录是否在岗、是否已收到报酬",
                    url=reverse("gig:posting-detail", args=[placement.posting_id]), since=placement.start_date)


SOURCES = (
    WorklistSource(key="gig.follow_up", module="gig", label="零工上岗待回访", queryset=placements_to_follow_up,
                   item=follow_up_item, roles=("caseworker",), order=55),
)
