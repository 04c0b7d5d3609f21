"""Eligibility's tile on the home dashboard (registered in EligibilityConfig.ready())."""

from django.utils import timezone

from apps.core.registry import Tile
from apps.eligibility.selectors import benefit_match_list
from apps.eligibility.verification import last_verification


def open_matches(user) -> dict:
    return {"value": benefit_match_list(user=user).count(), "hint": "符合条件但尚未享受待遇的人员"}


def verification(user) -> dict:
    """The last nightly (or manual) decisions_verify: how many stored decisions no longer recompute."""
    run = last_verification()
    if run is None:
        return {"value": "—", "hint": "尚未核验已存储的决定"}
    when = timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M") if run.finished_at else ""
    return {"value": run.mismatches, "hint": f"{when} 核验 {run.checked} 项决定，{run.mismatches} 项不一致"}


TILES = (
    Tile(key="eligibility.matches", label="待处理主动发现", icon="search-heart", url_name="eligibility:match-list",
         value=open_matches, order=10),
    Tile(key="eligibility.verification", label="决定核验不一致", icon="shield-check",
         url_name="admin:eligibility_verificationrun_changelist", value=verification, order=90, alert=True),
)
