"""Structured logs: one JSON line per record; a request id on every line of a request and of its tasks."""

import io
import json
import logging

import pytest
from celery import Celery

from apps.core import logging as portal_logging
from tests.core.logging_urls import log_in_task


@pytest.fixture
def log_lines():
    """Records formatted as in production (filter + JSON formatter), at INFO, parsed back."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(portal_logging.RequestIdFilter())
    handler.setFormatter(portal_logging.JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_a_record_is_one_json_line_with_time_level_logger_message_and_extra_fields(log_lines):
    logging.getLogger("apps.refunds.services").info("运行完成", extra={"run_id": 12, "total": 3.5})
    [line] = log_lines()
    assert line["level"] == "INFO"
    assert line["logger"] == "apps.refunds.services"
    assert line["message"] == "运行完成"
    assert line["run_id"] == 12 and line["total"] == 3.5
    assert line["request_id"] is None
    assert line["time"].endswith("+00:00")


def test_an_exception_is_in_the_line():
    try:
        raise ValueError("坏值")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, __import__("sys").exc_info())
    line = json.loads(portal_logging.JsonFormatter().format(record))
    assert "ValueError: 坏值" in line["exc_info"]
    assert "\n" not in portal_logging.JsonFormatter().format(record)


@pytest.mark.django_db
def test_a_safe_incoming_request_id_is_kept_echoed_and_on_the_request_line(client, log_lines):
    response = client.get("/login/", HTTP_X_REQUEST_ID="lb-42.abc_DEF")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-42.abc_DEF"
    [finished] = [line for line in log_lines() if line["message"] == "request finished"]
    assert finished["request_id"] == "lb-42.abc_DEF"
    assert finished["path"] == "/login/" and finished["status"] == 200 and finished["method"] == "GET"
    assert portal_logging.current_request_id() is None  # nothing leaks past the request


@pytest.mark.django_db
def test_djangos_own_line_for_a_404_carries_the_request_id_too(client, log_lines):
    """django.request logs a 4xx after the middleware has returned: the id comes from the request itself."""
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="lb-404")
    assert response.status_code == 404
    [not_found] = [line for line in log_lines() if line["logger"] == "django.request"]
    assert not_found["request_id"] == "lb-404"


@pytest.mark.parametrize("incoming", ["", "has space", "a" * 65, "-leading-dash", "x\ninjected", "<script>"])
@pytest.mark.django_db
def test_an_unsafe_or_missing_request_id_is_replaced_by_a_new_one(client, incoming):
    response = client.get("/login/", HTTP_X_REQUEST_ID=incoming)
    rid = response["X-Request-ID"]
    assert rid != incoming
    assert len(rid) == 32 and int(rid, 16) >= 0


@pytest.mark.django_db
def test_every_request_gets_its_own_id(client):
    assert client.get("/login/")["X-Request-ID"] != client.get("/login/")["X-Request-ID"]


@pytest.mark.urls("tests.core.logging_urls")
@pytest.mark.django_db
def test_the_view_line_and_the_line_of_the_eager_task_it_enqueued_carry_the_request_id(client, log_lines):
    response = client.get("/enqueue/", HTTP_X_REQUEST_ID="req-0001")
    assert response["X-Request-ID"] == "req-0001"
    by_message = {line["message"]: line for line in log_lines()}
    assert by_message["view ran"]["request_id"] == "req-0001"
    assert by_message["task ran"]["request_id"] == "req-0001"
    assert by_message["task ran"]["number"] == 7
    assert by_message["request finished"]["request_id"] == "req-0001"


def test_a_published_task_carries_the_request_id_in_its_headers_and_the_worker_side_sets_it(log_lines):
    """The path through a broker: before_task_publish adds the header, task_prerun sets it in the worker."""
    app = Celery("request-id-test", broker="memory://")
    token = portal_logging.request_id.set("from-request-9")
    try:
        app.send_task("tests.core.logging_urls.log_in_task", args=[3])
    finally:
        portal_logging.request_id.reset(token)
    with app.connection_for_read() as connection:
        message = connection.SimpleQueue("celery").get(timeout=5)
        headers = message.headers
        message.ack()
    assert headers["request_id"] == "from-request-9"

    # The worker: no request id in its context; the task's headers bring it, and it is gone afterwards.
    assert portal_logging.current_request_id() is None
    log_in_task.apply(args=[3], headers={"request_id": headers["request_id"]})
    [line] = [line for line in log_lines() if line["message"] == "task ran"]
    assert line["request_id"] == "from-request-9"
    assert portal_logging.current_request_id() is None


def test_a_task_header_that_is_not_a_safe_token_is_ignored(log_lines):
    log_in_task.apply(args=[1], headers={"request_id": "bad id\n"})
    [line] = [line for line in log_lines() if line["message"] == "task ran"]
    assert line["request_id"] is None


def test_no_request_no_header():
    headers: dict = {}
    portal_logging._add_request_id_header(headers=headers)
    assert headers == {}
