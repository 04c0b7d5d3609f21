"""Reads: a record's publication, the public page's lookup by token, the window's progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse
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


def publication_summary(*, source_key: str, record_id: int, rows, request=None) -> dict:
    """A record's publication for its back-office page and the integrators' API: window, progress, public link
    and the rows (`rows()`, called only once published) under the source's column labels."""
    publication = publication_for(source_key=source_key, record_id=record_id)
    columns = [label for label, _kind in source_get(source_key).columns]
    if publication is None:
        return {"published": False, "public_url": None, "starts_on": None, "ends_on": None, "working_days": None,
                "progress": None, "columns": columns, "rows": []}
    path = reverse("publicity:list", args=[publication.token])
    return {"published": True, "public_url": request.build_absolute_uri(path) if request is not None else path,
            "starts_on": publication.starts_on, "ends_on": publication.ends_on,
            "working_days": publication.working_days, "progress": window_progress(publication),
            "columns": columns, "rows": rows()}
