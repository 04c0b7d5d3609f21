"""The region tree ships as a CSV (GB/T 2260 codes). Loading is idempotent: codes are keys."""

import csv
from pathlib import Path

from django.conf import settings

REGIONS_CSV = Path(settings.BASE_DIR) / "fixtures" / "regions_jilin.csv"


def load_regions(region_model, path: Path = REGIONS_CSV) -> int:
    """Upsert every row; parents are written before children because the file is ordered top-down."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows.sort(key=lambda row: {"province": 0, "prefecture": 1, "county": 2}.get(row["level"], 3))
    for row in rows:
        region_model.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": row["level"], "parent_id": row["parent_code"] or None},
        )
    return len(rows)
