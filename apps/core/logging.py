"""Structured logs: one JSON line per record, and a request id on every line of a request and of its tasks.

- ``RequestIdMiddleware`` (first in MIDDLEWARE) takes the incoming ``X-Request-ID`` when it is a safe short
  token, else makes one; it sets the ``request_id`` context variable for the request and echoes the id in
  the response header, then writes one ``request finished`` line (method, path, status, duration).
- A task enqueued while a request id is set carries it in its message headers (``before_task_publish``); the
  worker sets it again before the task runs (``task_prerun``) and restores the previous value after it
  (``task_postrun``). An eager task runs inside the request and simply keeps it.
- ``RequestIdFilter`` stamps ``record.request_id`` when a record is emitted; ``JsonFormatter`` writes time,
  level, logger, message, request id, every ``extra={...}`` field and the exception, if any.

Configured in ``config/settings/base.py`` (LOGGING). This module imports no Django model: the Celery app
connects its signals before Django is set up.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
TASK_HEADER = "request_id"
# A caller's id is kept only if it cannot smuggle anything into a log line or a header.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

request_logger = logging.getLogger("apps.core.request")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str | None:
    """The incoming id if it is a safe short token, else None (the caller then makes a new one)."""
    if value and SAFE_REQUEST_ID.fullmatch(value):
        return value
    return None


def current_request_id() -> str | None:
    return request_id.get()


# --- Web requests ---------------------------------------------------------------------------------------


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[Any], Any]):
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        rid = accepted_request_id(request.META.get(META_KEY)) or new_request_id()
        request.request_id = rid
        token = request_id.set(rid)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            request_logger.info(
                "request finished",
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": round((time.monotonic() - started) * 1000, 1)},
            )
            return response
        finally:
            request_id.reset(token)


# --- Celery tasks ---------------------------------------------------------------------------------------


@before_task_publish.connect
def _add_request_id_header(headers: dict[str, Any] | None = None, **_: Any) -> None:
    rid = request_id.get()
    if rid and headers is not None:
        headers.setdefault(TASK_HEADER, rid)


def _task_request_id(task: Any) -> str | None:
    """The id a task was sent with: a message header in a worker, ``apply(headers=…)`` when eager."""
    request = getattr(task, "request", None)
    if request is None:
        return None
    rid = getattr(request, TASK_HEADER, None)
    if not rid:
        rid = (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    return accepted_request_id(rid)


_tokens: dict[str, contextvars.Token[str | None]] = {}


@task_prerun.connect
def _set_task_request_id(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    # Eager: the task runs inside the request, whose id stays when the task brought none.
    rid = _task_request_id(task) or request_id.get()
    if task_id:
        _tokens[task_id] = request_id.set(rid)


@task_postrun.connect
def _reset_task_request_id(task_id: str | None = None, **_: Any) -> None:
    token = _tokens.pop(task_id, None) if task_id else None
    if token is not None:
        try:
            request_id.reset(token)
        except ValueError:  # set in another context (should not happen); forget the id rather than leak it
            request_id.set(None)


# --- Records --------------------------------------------------------------------------------------------


class RequestIdFilter(logging.Filter):
    """Stamps the current request id on a record while the request (or task) is still running."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # Django logs a 4xx/5xx (django.request) after the middleware has returned and reset the context;
            # that record carries the request itself, which carries its id.
            record.request_id = request_id.get() or getattr(getattr(record, "request", None), "request_id", None)
        return True


# The attributes every LogRecord has; anything else on a record came from ``extra={...}``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return str(value)  # Decimal, date, UUID, a model instance …


def record_fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "logger": record.name,
        "message": record.getMessage(),
        "request_id": getattr(record, "request_id", None) or request_id.get(),
    }
    for key, value in vars(record).items():
        if key not in _STANDARD and not key.startswith("_") and key not in fields:
            fields[key] = _jsonable(value)
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line (UTF-8, Chinese kept readable)."""

    def format(self, record: logging.LogRecord) -> str:
        fields = record_fields(record)
        if record.exc_info:
            fields["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            fields["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(fields, ensure_ascii=False)
