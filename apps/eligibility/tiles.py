"""Eligibility's tile on the home dashboard (registered in EligibilityConfig.ready())."""

from apps.core.registry import Tile
from apps.eligibility.selectors import benefit_match_list


def open_matches(user) -> dict:
    return {"value": benefit_match_list(user=user).count(), "hint": "符合条件但尚未享受待遇的人员"}


TILES = (
    Tile(key="eligibility.matches", label="待处理主动发现", icon="search-heart", url_name="eligibility:match-list",
         value=open_matches, order=10),
)
