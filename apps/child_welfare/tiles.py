"""Child welfare's tile on the home dashboard (registered in ChildWelfareConfig.ready())."""

from django.utils import timezone

from apps.child_welfare.selectors import open_escalations, overdue_visits
from apps.core.registry import Tile


def visits_overdue(user) -> dict:
    return {"value": overdue_visits(user=user, today=timezone.localdate()).count(),
            "hint": f"已升级督办 {open_escalations(user=user).count()} 件"}


TILES = (
    Tile(key="child_welfare.overdue_visits", label="困境儿童逾期走访", icon="exclamation-triangle",
         url_name="child_welfare:dashboard", value=visits_overdue, order=40, alert=True),
)
