"""How an outbound message leaves: INTEGRATION_BACKEND names the backend (`file`, `webhook` or a dotted class path).

A backend's `send(message)` returns nothing or raises: `DeliveryError` (or any OSError: a timeout, a refused
connection) — retried with backoff; `apps.core.outbox.PermanentFailure` — never retried (the receiver refused the
message itself). Both see only the message; the settings are read at each send.

- **file** (default): one file per message, `<INTEGRATION_FILE_DIR>/<destination>/<message id>.json`, holding the
  body as one JSON line. Written to a temporary name and renamed (atomic: a reader never sees half a file);
  a message written before is not written again (idempotent by message id).
- **webhook**: POST the body to INTEGRATION_WEBHOOK_URL, signed with INTEGRATION_WEBHOOK_SECRET (docs/integrations.md):
  `X-Portal-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, `X-Portal-Timestamp`, `X-Portal-Message-Id`.
  2xx is delivered; 408, 425, 429 and 5xx are retried; another 4xx is refused for good.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from apps.core.outbox import PermanentFailure
from apps.integrations.models import OutboundMessage

SIGNATURE_HEADER = "X-Portal-Signature"
TIMESTAMP_HEADER = "X-Portal-Timestamp"
MESSAGE_ID_HEADER = "X-Portal-Message-Id"
RETRYABLE_STATUS = {408, 425, 429}


class DeliveryError(Exception):
    """A failure worth retrying."""


class Backend(Protocol):
    def send(self, message: OutboundMessage) -> None: ...


def body_bytes(message: OutboundMessage) -> bytes:
    """What the receiver gets: the message id, what it is, when it was made, the snapshot. Canonical JSON (sorted
    keys, no spaces, UTF-8), so the same message is the same bytes at every attempt."""
    body = {"message_id": str(message.message_id), "destination": message.destination, "kind": message.kind,
            "event": message.event, "source_id": message.source_id, "region_code": message.region_id,
            "created_at": message.created_at.isoformat(), "payload": message.payload}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(body: bytes, timestamp: str, secret: str) -> str:
    """`sha256=` + hex HMAC-SHA256 over `<timestamp>.<body>` with the shared secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(body: bytes, timestamp: str, signature: str, secret: str, *, tolerance: int = 300,
           now: float | None = None) -> bool:
    """The receiver's check (also what the tests' receiver runs): the signature matches and the timestamp is recent."""
    try:
        fresh = abs((now or time.time()) - int(timestamp)) <= tolerance
    except ValueError:
        return False
    return fresh and hmac.compare_digest(sign(body, timestamp, secret), signature)


class FileBackend:
    def send(self, message: OutboundMessage) -> None:
        folder = Path(settings.INTEGRATION_FILE_DIR) / message.destination
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{message.message_id}.json"
        if target.exists():  # delivered before (a retry after a lost "sent"): the receiver has it once
            return
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(body_bytes(message) + b"\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class WebhookBackend:
    def send(self, message: OutboundMessage) -> None:
        url, secret = settings.INTEGRATION_WEBHOOK_URL, settings.INTEGRATION_WEBHOOK_SECRET
        if not url or not secret:
            raise DeliveryError("未配置推送地址或签名密钥（INTEGRATION_WEBHOOK_URL、INTEGRATION_WEBHOOK_SECRET）")
        body = body_bytes(message)
        timestamp = str(int(time.time()))
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", TIMESTAMP_HEADER: timestamp,
            MESSAGE_ID_HEADER: str(message.message_id), SIGNATURE_HEADER: sign(body, timestamp, secret)})
        try:
            with urllib.request.urlopen(request, timeout=settings.INTEGRATION_WEBHOOK_TIMEOUT_SECONDS) as response:
                response.read(1024)
        except urllib.error.HTTPError as error:  # the receiver's body is not kept: it may echo personal data
            if error.code >= 500 or error.code in RETRYABLE_STATUS:
                raise DeliveryError(f"接收方返回 HTTP {error.code}") from None
            raise PermanentFailure(f"接收方拒收 HTTP {error.code}") from None


BACKENDS = {"file": "apps.integrations.backends.FileBackend", "webhook": "apps.integrations.backends.WebhookBackend"}


def backend_get() -> Backend:
    name = settings.INTEGRATION_BACKEND
    return import_string(BACKENDS.get(name, name))()
