from django.utils import timezone

from apps.eligibility.services import benefit_match_run


def seed(*, rng) -> str:
    """Run the daily 免申即享 matching once, so the 主动发现 page has work on it. Idempotent (unique key)."""
    created = benefit_match_run(as_of=timezone.localdate())
    return f"主动发现 {created} 条新线索"
