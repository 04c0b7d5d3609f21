"""The eager heartbeat really writes a beat, /healthz shows the newest one, and old beats are pruned."""

import time

import pytest

from apps.core import tasks
from apps.core.models import Heartbeat

pytestmark = pytest.mark.django_db


def last_heartbeat(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    return response.json()["last_worker_heartbeat"]


def test_an_eager_heartbeat_writes_a_row_named_eager_and_healthz_shows_it(client):
    assert last_heartbeat(client) is None
    pk = tasks.heartbeat.delay().get()
    beat = Heartbeat.objects.get()
    assert beat.pk == pk and beat.worker == "eager"
    assert last_heartbeat(client) == beat.at.isoformat()


def test_every_beat_moves_the_last_heartbeat_on(client):
    tasks.heartbeat.delay()
    first = last_heartbeat(client)
    time.sleep(0.01)
    tasks.heartbeat.delay()
    second = last_heartbeat(client)
    assert Heartbeat.objects.count() == 2
    assert second != first
    assert second == Heartbeat.objects.order_by("-at").first().at.isoformat()


def test_only_the_newest_beats_are_kept(monkeypatch):
    monkeypatch.setattr(tasks, "HEARTBEATS_KEPT", 2)
    written = []
    for _ in range(5):
        written.append(tasks.heartbeat.delay().get())
        time.sleep(0.002)
    assert sorted(Heartbeat.objects.values_list("pk", flat=True)) == written[-2:]


def test_no_user_at_all_sees_nothing():
    """A task or a command without a user: fail closed, no AttributeError."""
    from apps.core.scoping import user_scope_prefix

    assert user_scope_prefix(None) is None
    assert user_scope_prefix(object()) is None
