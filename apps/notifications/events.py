"""The events a notification can be about, registered by the app that raises them (from its AppConfig.ready()).

The notification service knows no programme: an event is a code, a Chinese label, the variables its templates
may use (documented, with a sample value each — the admin's preview and validation render with the samples)
and the channels it goes out on. Callers pass their recipients as `Recipient`s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Variables every template may use, whatever the event.
COMMON_VARIABLES: dict[str, tuple[str, str]] = {
    "recipient_name": ("收件人名称", "长春某某有限公司"),
    "portal_name": ("系统名称", "社会服务经办平台"),
}


@dataclass(frozen=True)
class Event:
    code: str  # "refunds.run_published"
    label: str  # "稳岗返还名单公示"
    # name → (what it is, a sample value): the only names its templates may use (besides COMMON_VARIABLES)
    variables: Mapping[str, tuple[str, str]]
    channels: tuple[str, ...] = ("sms", "email", "inbox")

    def sample_context(self) -> dict[str, Any]:
        return {name: sample for name, (_label, sample) in {**COMMON_VARIABLES, **self.variables}.items()}

    def variable_names(self) -> set[str]:
        return set(COMMON_VARIABLES) | set(self.variables)


@dataclass(frozen=True)
class Recipient:
    """Who gets a message. `key` is stable within the event (e.g. "employer:17"): it makes the dedupe key.
    A phone number goes out as 短信, an e-mail address as 电子邮件, a portal user as 站内信."""

    key: str
    name: str
    region_code: str
    phone: str = ""
    email: str = ""
    user_id: int | None = None
    context: Mapping[str, Any] = field(default_factory=dict)  # this recipient's own variables (an amount, …)


EVENTS: dict[str, Event] = {}


def register_event(event: Event) -> None:
    EVENTS[event.code] = event


def event_get(code: str) -> Event | None:
    return EVENTS.get(code)


# source slug ("refund-run") → listeners told `(source_id, event code)` after a message about one of its records
# was recorded sent (after that commit): e.g. a run moves to 已告知 when its last payment notice went out.
SENT_LISTENERS: dict[str, list[Callable[[int, str], None]]] = {}


def register_sent_listener(source: str, listener: Callable[[int, str], None]) -> None:
    listeners = SENT_LISTENERS.setdefault(source, [])
    if listener not in listeners:
        listeners.append(listener)


def sent_listeners(source: str) -> list[Callable[[int, str], None]]:
    return list(SENT_LISTENERS.get(source, ()))


def event_choices() -> list[tuple[str, str]]:
    return sorted(((event.code, event.label) for event in EVENTS.values()), key=lambda pair: pair[0])
