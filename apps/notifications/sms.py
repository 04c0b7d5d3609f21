"""The SMS gateway adapter. No operator's gateway is reachable from here; the default backends write down
what would have been sent. A real gateway is a class with this one method, named in NOTIFICATION_SMS_GATEWAY
(options in NOTIFICATION_SMS_OPTIONS): docs/notifications.md.

`idempotency_key` is the message's dedupe key. Operators' SMS APIs take a client serial number for this
(阿里云 OutId, 腾讯云 SessionContext/SerialNo, 运营商 MAS 的 msgId): pass it on, so a message re-sent after a
worker died between the gateway's acceptance and the outbox's "sent" is recognised as the same message.
"""

from __future__ import annotations

import fcntl
import json
import logging
import time
import uuid
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.core.validators import normalize_phone

logger = logging.getLogger(__name__)


def mobile_number(phone: str) -> str:
    """The 11-digit mobile number an SMS can go to, or "" (a landline, an invalid number)."""
    try:
        number = normalize_phone(phone)
    except ValidationError:
        return ""
    return number if len(number) == 11 and number.startswith("1") else ""


def _check(phone: str) -> None:
    if not mobile_number(phone):
        raise ValueError("不是有效的手机号码，无法发送短信")


class SmsGateway(Protocol):
    def send(self, *, phone: str, text: str, idempotency_key: str) -> str:
        """Hand one SMS to the gateway; return its id. ValueError: refused for good; OSError: try again."""
        ...


class ConsoleSmsGateway:
    """Development: the SMS is a log line."""

    def send(self, *, phone: str, text: str, idempotency_key: str) -> str:
        _check(phone)
        logger.info("sms (console)", extra={"phone": phone[-4:], "sms_text": text, "key": idempotency_key})
        return f"console-{uuid.uuid4().hex[:12]}"


class FileSmsGateway:
    """Appends one JSON line per accepted SMS to a file — and, like an operator's gateway, accepts a key it has
    seen once only (the second call answers with the first id and is written down as a duplicate).

    `delay_seconds` (tests) stands for the network: half before the gateway accepts, half after."""

    def __init__(self, path: str, delay_seconds: float = 0.0):
        self.path = Path(path)
        self.delay = delay_seconds

    def send(self, *, phone: str, text: str, idempotency_key: str) -> str:
        _check(phone)
        time.sleep(self.delay / 2)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            earlier = next((entry for entry in map(json.loads, filter(None, handle.read().splitlines()))
                            if entry["key"] == idempotency_key and not entry.get("duplicate")), None)
            entry_id = earlier["id"] if earlier else f"file-{uuid.uuid4().hex[:12]}"
            handle.write(json.dumps({"id": entry_id, "key": idempotency_key, "phone": phone, "text": text,
                                     "at": timezone.now().isoformat(), "duplicate": earlier is not None},
                                    ensure_ascii=False) + "\n")
            handle.flush()
        time.sleep(self.delay / 2)
        return entry_id


@cache
def _gateway(path: str, options: str) -> SmsGateway:
    return import_string(path)(**json.loads(options))


def sms_gateway() -> SmsGateway:
    return _gateway(settings.NOTIFICATION_SMS_GATEWAY, json.dumps(settings.NOTIFICATION_SMS_OPTIONS, sort_keys=True))
