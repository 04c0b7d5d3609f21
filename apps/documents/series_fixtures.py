"""The shipped 文号 series (fixtures/notice_series.json): added where missing, never changed once there — an
administrator's edit of a prefix or a channel in the back office stands. Loaded by documents 0002 and the
test suite's conftest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "notice_series.json"


def load_notice_series(model: Any = None, region_model: Any = None) -> int:
    from apps.core.models import Region
    from apps.documents.models import NoticeSeries

    model, region_model = model or NoticeSeries, region_model or Region
    existing = set(model.objects.values_list("source", "region_id"))
    added = 0
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        if (row["source"], row["region_code"]) in existing or not region_model.objects.filter(pk=row["region_code"]).exists():
            continue
        model.objects.create(source=row["source"], region_id=row["region_code"], prefix=row["prefix"],
                             number_format=row["number_format"], issuer=row["issuer"],
                             objection_channel=row["objection_channel"])
        added += 1
    return added
