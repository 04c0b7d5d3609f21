"""Monitoring intervals as policy parameters (read with parameter_snapshot, like every other number).

The State Council opinion (国务院办公厅《关于进一步加强困境儿童福利保障工作的意见》) asks for dynamic
monitoring but names no frequency, so the values shipped here are examples for administrators to replace
with the local document's figures (the source says so). Rows are keyed like the shared fixture:
(key, region, valid_from) — loading again updates them in place.
"""

from datetime import date

from django.db import transaction

SOURCE_TITLE = "国务院办公厅《关于进一步加强困境儿童福利保障工作的意见》（动态监测）；示例值，待管理员按当地文件录入"
SOURCE_FILE = "000_eebe6e662d9acdd7.txt"
VALID_FROM = "2024-01-01"

VISIT_KEY = "child_welfare.visit_interval_days.{level}"
REVIEW_KEY = "child_welfare.review_interval_days"

PARAMETERS = [
    (VISIT_KEY.format(level="high"), "高风险困境儿童探访间隔", 30),
    (VISIT_KEY.format(level="medium"), "中风险困境儿童探访间隔", 60),
    (VISIT_KEY.format(level="low"), "低风险困境儿童探访间隔", 90),
    (REVIEW_KEY, "困境儿童个案复核间隔", 180),
]


@transaction.atomic
def load_child_welfare_parameters(model=None) -> int:
    """Idempotent. `model` is the historical model inside the data migration."""
    if model is None:
        from apps.eligibility.models import PolicyParameter as model
    for key, name, days in PARAMETERS:
        model.objects.update_or_create(
            key=key, region_id="220000", valid_from=VALID_FROM,
            defaults={"name": name, "value_type": "integer", "value": days, "unit": "天", "valid_to": None,
                      "source_title": SOURCE_TITLE, "source_number": "", "source_file": SOURCE_FILE},
        )
    return len(PARAMETERS)


def monitoring_intervals(*, region_code: str, as_of: date) -> dict[str, int]:
    """{"high": 30, "medium": 60, "low": 90, "review": 180} in force on `as_of` for the region."""
    from apps.eligibility.parameters import parameter_snapshot

    snapshot = parameter_snapshot(as_of=as_of, region_code=region_code)
    intervals = {level: snapshot.get(VISIT_KEY.format(level=level)).value for level in ("high", "medium", "low")}
    intervals["review"] = snapshot.get(REVIEW_KEY).value
    return intervals
