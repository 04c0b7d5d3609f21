"""Writes: open a publication (公示) for a record of a registered source — token, window, who and when."""

from __future__ import annotations

import logging
import secrets
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.workdays import working_window
from apps.eligibility.calculators.base import MissingParameter
from apps.eligibility.parameters import parameter_snapshot
from apps.publicity.models import Publication
from apps.publicity.sources import source_get

logger = logging.getLogger(__name__)

TOKEN_BYTES = 24  # 32 URL-safe characters, 192 bits: not guessable, not enumerable
WINDOW_OPEN_CODE = "publicity_window_open"


def window_open_refusal(ends_on: date | None, today: date) -> str | None:
    """Why a record published for 公示 may not be finally approved (复核) yet, or None once `today` is past the
    window's last day (objections are accepted up to and including it). The one rule for every source."""
    if ends_on is None or today <= ends_on:
        ends = f"{ends_on:%Y-%m-%d}" if ends_on else "未定"
        return f"公示期至 {ends}（含）止，公示期满后方可复核"
    return None


def window_passed(record, user, payload: dict) -> None:
    """A lifecycle guard for the 复核 of a record that carries its window (`publicity_ends_on`): 409
    `publicity_window_open` until the day after the window's last day (`payload["today"]` overrides today)."""
    refusal = window_open_refusal(record.publicity_ends_on, payload.get("today") or timezone.localdate())
    if refusal:
        raise ConflictError(WINDOW_OPEN_CODE, refusal)


def publicity_days(*, source_key: str, region_code: str, on: date) -> tuple[int, int | None]:
    """(working days, parameter version) of the source's window parameter in force on `on` for the region."""
    source = source_get(source_key)
    try:
        value = parameter_snapshot(as_of=on, region_code=region_code).get(source.days_parameter)
    except MissingParameter as error:
        raise ApplicationError("missing_parameter", f"缺少公示天数参数：{error}") from error
    return int(value.value), value.version if isinstance(value.version, int) else None


def publicity_window(*, published_on: date, days: int) -> tuple[date, date]:
    """The window opens on the first working day AFTER the day of publication (that day never counts, even
    when it is a working day: a list put up in the afternoon would lose most of its first day) and ends on
    its `days`-th working day (apps.core.workdays: holidays and 调休 from the admin's calendar)."""
    return working_window(published_on + timedelta(days=1), days)


@transaction.atomic
def publication_open(*, source_key: str, record_id: int, region_code: str, user, on: date | None = None) -> Publication:
    """Publish once: a second call for the same record returns the first publication unchanged."""
    existing = Publication.objects.filter(source=source_key, record_id=record_id).first()
    if existing is not None:
        return existing
    now = timezone.now()
    published_on = on or timezone.localdate(now)
    days, version = publicity_days(source_key=source_key, region_code=region_code, on=published_on)
    starts_on, ends_on = publicity_window(published_on=published_on, days=days)
    publication = Publication.objects.create(
        source=source_key, record_id=record_id, region_id=region_code, token=secrets.token_urlsafe(TOKEN_BYTES),
        published_by=user, published_at=now, starts_on=starts_on, ends_on=ends_on, working_days=days,
        parameter_version=version)
    logger.info("publication opened", extra={"source": source_key, "record": record_id, "by": user.pk,
                                             "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})
    return publication


WINDOW_FIELDS = ("published_at", "publicity_starts_on", "publicity_ends_on")


def publication_open_onto(record, *, source_key: str, region_code: str, user, on: date | None = None) -> Publication:
    """Publish `record` (its pk is the record id) and copy the publication's moment and window onto the record's
    `published_at`, `publicity_starts_on` and `publicity_ends_on` (the caller saves): a lifecycle's publish
    effect, in the move's transaction."""
    publication = publication_open(source_key=source_key, record_id=record.pk, region_code=region_code, user=user,
                                   on=on)
    record.published_at = publication.published_at
    record.publicity_starts_on, record.publicity_ends_on = publication.starts_on, publication.ends_on
    return publication


def publication_withdraw(*, source_key: str, record_id: int, user, record=None) -> int:
    """Take a record's list down: its publication is removed, so the record, resubmitted, is published afresh
    (a new link, a new window). With `record`, its window fields are cleared too (the caller saves). Returns
    how many publications were removed (0 or 1).

    Refund runs do not use this: a run returned during 公示 keeps its Publication and hides it (visible=False),
    because its objections and notices keep citing that window (docs/publicity.md)."""
    removed, _ = Publication.objects.filter(source=source_key, record_id=record_id).delete()
    if removed:
        logger.info("publication withdrawn", extra={"source": source_key, "record": record_id,
                                                    "by": getattr(user, "pk", None)})
    if record is not None:
        for name in WINDOW_FIELDS:
            setattr(record, name, None)
    return removed
