"""Reads: a record's publication, the public page's lookup by token, the window's progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from apps.core.workdays import working_days_between
from apps.publicity.models import Publication
from apps.publicity.sources import PublicitySource, PublicRecord, source_get


def publication_for(*, source_key: str, record_id: int) -> Publication | None:
    return Publication.objects.filter(source=source_key, record_id=record_id).first()


def public_until(publication: Publication) -> date:
    """The last day the public page answers: the window's end + PUBLICITY_PUBLIC_DAYS_AFTER calendar days."""
    return publication.ends_on + timedelta(days=settings.PUBLICITY_PUBLIC_DAYS_AFTER)


@dataclass(frozen=True)
class PublicList:
    publication: Publication
    source: PublicitySource
    record: PublicRecord
    rows: list[list[Any]]


def public_list(*, token: str, today: date | None = None) -> PublicList:
    """The list behind a public token, or 404: an unknown token, a record taken back, or a list past
    `public_until`. No user, so no scope: what a source returns here is public by construction."""
    publication = Publication.objects.filter(token=token).first()
    today = today or timezone.localdate()
    if publication is None or today > public_until(publication):
        raise Http404
    source = source_get(publication.source)
    record = source.record(publication.record_id)
    if record is None or not record.visible:
        raise Http404
    return PublicList(publication=publication, source=source, record=record, rows=source.rows(publication.record_id))


def window_progress(publication: Publication | None, today: date | None = None) -> dict | None:
    """Working days of the window elapsed by `today` (inclusive), of how many, and whether it has passed."""
    if publication is None:
        return None
    today = today or timezone.localdate()
    elapsed = working_days_between(publication.starts_on, min(today, publication.ends_on))
    total = publication.working_days
    return {"elapsed": elapsed, "total": total, "percent": elapsed * 100 // total if total else 100,
            "passed": today > publication.ends_on, "open": publication.starts_on <= today <= publication.ends_on,
            "starts_on": publication.starts_on, "ends_on": publication.ends_on}
