"""The one home and the one loader of the shipped policy parameters.

Every shipped value lives in fixtures/policy_parameters/<domain>.json (the domain is the key's first part:
stable_job_refund, childcare, child_welfare, …), one format for all: key, name, value_type, value, unit,
region_code, valid_from, valid_to and the source document: source_title (the title itself), source_issuer,
source_number (文号, where there is one), source_date (where the source gives one), source_note (national
policy rather than a provincial document, a press report, a demo value) and source_file (the archive copy,
back office only — pages cite the document, never a file).

Loading ADDS the versions that are missing — a version is identified by (key, region, valid_from) — and
never changes one that exists: an administrator may have corrected its value, end date or source in the
admin, and that edit stands. A new version of a number is a new entry with its own valid_from (and the old
one's valid_to set by the administrator, who sees the overlap check). Loaded by the data migration
eligibility 0005 (and by any later migration that ships new entries), by
`python manage.py load_policy_parameters` and by the test suite's conftest.
"""

from __future__ import annotations

import functools
import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from apps.eligibility.models import PolicyParameter

logger = logging.getLogger(__name__)

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures" / "policy_parameters"
FIELDS = ("key", "name", "value_type", "value", "unit", "region_code", "valid_from", "valid_to", "source_title",
          "source_number", "source_issuer", "source_date", "source_note", "source_file")
REQUIRED = ("key", "name", "value_type", "value", "region_code", "valid_from", "source_title", "source_issuer")
SOURCE_FIELDS = ("source_title", "source_number", "source_issuer", "source_date", "source_note")


def _files(path: Path) -> list[Path]:
    return sorted(path.glob("*.json")) if path.is_dir() else [path]


@functools.lru_cache(maxsize=8)
def _read(path: Path) -> tuple[dict[str, Any], ...]:
    rows = []
    for file in _files(path):
        for row in json.loads(file.read_text(encoding="utf-8")):
            missing = [name for name in REQUIRED if row.get(name) in (None, "")]
            unknown = set(row) - set(FIELDS)
            if missing or unknown:
                raise ValueError(f"{file.name}: {row.get('key')}: missing {missing}, unknown {sorted(unknown)}")
            rows.append(row)
    return tuple(rows)


def fixture_rows(path: Path = FIXTURE_DIR) -> list[dict[str, Any]]:
    """The shipped entries (a directory: every *.json in it; or one file) — a pure JSON read."""
    return [dict(row) for row in _read(path)]


def source_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The citation of a fixture entry as model fields (empty strings, a missing date None)."""
    return {name: row.get(name) or (None if name == "source_date" else "") for name in SOURCE_FIELDS}


def _identity(key: str, region_code: str, valid_from: date | str) -> tuple[str, str, date]:
    day = valid_from if isinstance(valid_from, date) else date.fromisoformat(valid_from)
    return key, region_code, day


@transaction.atomic
def load_policy_parameters(path: Path = FIXTURE_DIR, model: Any = None) -> int:
    """Add the shipped versions that are missing; return how many were added. Existing ones are untouched.

    `model` is the historical model inside a data migration (default: the current PolicyParameter).
    """
    model = model or PolicyParameter
    existing = {_identity(*row) for row in model.objects.values_list("key", "region_id", "valid_from")}
    # A data migration's historical model may predate some citation fields (added by eligibility 0008).
    known = {field.name for field in model._meta.get_fields()}
    added = 0
    for row in fixture_rows(path):
        identity = _identity(row["key"], row["region_code"], row["valid_from"])
        if identity in existing:
            continue
        # One create per row (not bulk_create): the current model records the version's history.
        model.objects.create(
            key=row["key"], region_id=row["region_code"], valid_from=row["valid_from"], name=row["name"],
            value_type=row["value_type"], value=row["value"], unit=row.get("unit") or "",
            valid_to=row.get("valid_to"), source_file=row.get("source_file") or "",
            **{name: value for name, value in source_fields(row).items() if name in known})
        existing.add(identity)
        added += 1
    if added:
        logger.info("policy parameters loaded", extra={"added": added, "path": str(path)})
    return added
