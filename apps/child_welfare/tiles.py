"""Child welfare's tile on the home dashboard (registered in ChildWelfareConfig.ready())."""

from django.urls import reverse
from django.utils import timezone

from apps.child_welfare.selectors import case_list, open_escalations, overdue_visits
from apps.core.registry import SearchSource, Tile


def visits_overdue(user) -> dict:
    return {"value": overdue_visits(user=user, today=timezone.localdate()).count(),
            "hint": f"已升级督办 {open_escalations(user=user).count()} 件"}


TILES = (
    Tile(key="child_welfare.overdue_visits", label="困境儿童逾期走访", icon="exclamation-triangle",
         url_name="child_welfare:dashboard", value=visits_overdue, order=40, alert=True),
)


def case_search(user, query: str):
    """The cases the user may open (a caseworker: their own), by case number, child's name or ID number."""
    return case_list(user=user, filters={"q": query}).order_by("-reported_on", "-pk")


def case_row(case) -> dict[str, str]:
    return {"title": str(case), "detail": f"{case.child.masked_id_number} · {case.region.name}",
            "url": reverse("child_welfare:case-detail", args=[case.pk])}


SEARCH_SOURCES = (
    SearchSource(key="child_welfare.case", label="困境儿童个案", search=case_search, row=case_row,
                 list_url_name="child_welfare:case-list", order=40),
)
