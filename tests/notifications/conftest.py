import json

import pytest

from apps.notifications import channels, sms
from apps.notifications.events import Recipient
from tests.payments.conftest import approved_run  # noqa: F401 — the payment tests' run, as a fixture here


class FlakyChannel:
    """A channel whose gateway is down (DeliveryError) — or refuses for good when `permanent` is set."""

    permanent = False
    calls = 0

    def send(self, message):
        FlakyChannel.calls += 1
        if FlakyChannel.permanent:
            raise channels.PermanentDeliveryError("号码已停机")
        raise channels.DeliveryError("短信网关超时")


@pytest.fixture
def sms_file(settings, tmp_path):
    """SMS go to a file (the FileSmsGateway); read its lines back with `deliveries()`."""
    path = tmp_path / "sms.jsonl"
    settings.NOTIFICATION_SMS_GATEWAY = "apps.notifications.sms.FileSmsGateway"
    settings.NOTIFICATION_SMS_OPTIONS = {"path": str(path)}
    sms._gateway.cache_clear()
    yield path
    sms._gateway.cache_clear()


def deliveries(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@pytest.fixture
def flaky_sms(settings):
    settings.NOTIFICATION_CHANNELS = {**settings.NOTIFICATION_CHANNELS, "sms": "tests.notifications.conftest.FlakyChannel"}
    FlakyChannel.calls, FlakyChannel.permanent = 0, False
    channels._channel.cache_clear()
    yield FlakyChannel
    channels._channel.cache_clear()


def payee(n: int = 1, region: str = "220102", **kwargs) -> Recipient:
    return Recipient(key=f"employer:{n}", name=f"长春测试{n}有限公司", region_code=region,
                     phone=kwargs.pop("phone", f"1380013{n:04d}"), **kwargs)


PAID_CONTEXT = {"purpose": "2025年稳岗返还"}


def paid_context(amount="3600.00"):
    return {"amount": amount, "reference": "P000001-00001", "paid_at": "2026-12-01"}
