"""The fraud tile on the home dashboard (registered in FraudConfig.ready(), read by the portal)."""

from django.utils import timezone

from apps.core.registry import Tile
from apps.fraud.selectors import headline


def suspensions_now(user) -> dict:
    cases, suspended = headline(user=user, today=timezone.localdate())
    return {"value": suspended, "hint": f"骗保案件 {cases} 件"}


TILES = (
    Tile(key="fraud.suspended", label="暂停医保直接结算", icon="shield-exclamation", url_name="fraud:statistics",
         value=suspensions_now, order=60),
)
