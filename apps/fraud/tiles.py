"""The fraud tile on the home dashboard (registered in FraudConfig.ready(), read by the portal)."""

from django.utils import timezone

from apps.core.registry import Tile
from apps.fraud.selectors import statistics


def suspensions_now(user) -> dict:
    stats = statistics(user=user, today=timezone.localdate())
    return {"value": stats.suspended_now, "hint": f"骗保案件 {stats.total_cases} 件"}


TILES = (
    Tile(key="fraud.suspended", label="暂停医保直接结算", icon="shield-exclamation", url_name="fraud:statistics",
         value=suspensions_now, order=60),
)
