"""Monitoring intervals as policy parameters (read with parameter_snapshot, like every other number).

The State Council opinion (国务院办公厅《关于进一步加强困境儿童福利保障工作的意见》) asks for dynamic
monitoring but names no frequency, so the shipped values are examples for administrators to replace with
the local document's figures (their source says so). They are entries of
fixtures/policy_parameters/child_welfare.json, loaded with every other domain by the one loader
(apps.eligibility.parameter_fixtures).
"""

from datetime import date

from apps.eligibility.parameters import parameter_snapshot

VISIT_KEY = "child_welfare.visit_interval_days.{level}"
REVIEW_KEY = "child_welfare.review_interval_days"


def monitoring_intervals(*, region_code: str, as_of: date) -> dict[str, int]:
    """{"high": 30, "medium": 60, "low": 90, "review": 180} in force on `as_of` for the region."""
    snapshot = parameter_snapshot(as_of=as_of, region_code=region_code)
    intervals = {level: snapshot.get(VISIT_KEY.format(level=level)).value for level in ("high", "medium", "low")}
    intervals["review"] = snapshot.get(REVIEW_KEY).value
    return intervals
