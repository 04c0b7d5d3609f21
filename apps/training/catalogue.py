"""The occupation catalogue ships as fixtures/occupations.json; loading is idempotent (codes are keys)."""

import json
from pathlib import Path

from django.conf import settings

OCCUPATIONS_JSON = Path(settings.BASE_DIR) / "fixtures" / "occupations.json"


def load_occupations(model, path: Path = OCCUPATIONS_JSON) -> int:
    """Upsert every row; parents first (a job type names its occupation's code). Admin-added rows stay."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows.sort(key=lambda row: row["parent_code"] is not None)
    ids: dict[str, int] = {}
    for row in rows:
        obj, _ = model.objects.update_or_create(code=row["code"], defaults={
            "name": row["name"], "kind": row["kind"], "category": row["category"],
            "parent_id": ids.get(row["parent_code"]) if row["parent_code"] else None,
            "is_new": row["is_new"], "announced_in": row["announced_in"],
            "licence_name": row["licence_name"], "licence_issuer": row["licence_issuer"]})
        ids[row["code"]] = obj.pk
    return len(rows)
