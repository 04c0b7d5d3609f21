"""On PostgreSQL the run's CSV is one COPY (apps.refunds.exports.copy_csv): byte for byte the Python path's file,
on values chosen to differ — formula-like names (the CSV-injection guard in SQL), commas, quotes, newlines,
Chinese, empty and negative values, several and unknown reason codes, ineligible rows with their zero amounts."""
# ruff: noqa: F811 — `started` is the fixture imported below

import io
from decimal import Decimal

import pytest

from apps.employers.models import Employer
from apps.refunds import exports
from apps.refunds.models import RefundResult, RefundRun
from apps.refunds.selectors import result_list
from tests.concurrency import postgresql_only  # noqa: F401 — the fixture
from tests.refunds.test_api import started  # noqa: F401 — the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postgresql_only")]

NAMES = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "甲,乙", 'say "hi"', "第一行\n第二行",
         "长春市某某有限公司", "'already quoted", "back\\slash", " leading space", "", "\\."]
RESULTS = [  # (eligible, reasons, size_class, rate, contributions_paid, amount, parameter_versions)
    (False, "insufficient_months;arrears", "small", Decimal("60.00"), Decimal("-5.00"), Decimal("0.00"), "a@1;b@2"),
    (False, "no_such_code;;serious_dishonesty", "giant", None, Decimal("0.00"), Decimal("123.45"), "=evil"),
    (True, "", "micro", Decimal("70.00"), Decimal("12000.75"), Decimal("0.00"), ""),
    (True, ";", "large", Decimal("30.00"), Decimal("1234567.89"), Decimal("3600.23"), "x,y"),
]


def python_bytes(run, rows) -> bytes:
    return "".join(exports.csv_lines(run, rows)).encode("utf-8")


def copy_bytes(run, rows) -> bytes:
    buffer = io.BytesIO()
    count = exports.copy_csv(run, buffer, rows)
    assert count == rows.count()
    return buffer.getvalue()


def test_copy_csv_is_byte_identical_to_the_python_path(started, caseworker):
    run = RefundRun.objects.get(pk=started["id"])
    results = list(RefundResult.objects.filter(run=run).order_by("employer_id"))
    for result, name in zip(results, NAMES, strict=False):
        Employer.objects.filter(pk=result.employer_id).update(name=name)
    for result, values in zip(results[len(NAMES) - len(RESULTS):], RESULTS, strict=False):
        eligible, reasons, size_class, rate, paid, amount, versions = values
        RefundResult.objects.filter(pk=result.pk).update(
            eligible=eligible, reasons=reasons, size_class=size_class, rate=rate, contributions_paid=paid,
            amount=amount, parameter_versions=versions)
    for rows in (RefundResult.objects.filter(run=run), result_list(user=caseworker, run=run)):
        expected = python_bytes(run, rows)
        assert copy_bytes(run, rows) == expected
    assert b"'=HYPERLINK" in expected and b'"\xe7\x94\xb2,\xe4\xb9\x99"' in expected and b"\r\n" in expected
    assert b"'-5.00" in expected and b"\xe7\xac\xac\xe4\xb8\x80\xe8\xa1\x8c\n" in expected  # newline inside a name


def test_the_service_path_uses_copy_on_postgresql(started, monkeypatch):
    run = RefundRun.objects.get(pk=started["id"])
    calls = []
    monkeypatch.setattr(exports, "copy_csv", lambda *args: calls.append(args) or 0)
    exports.write_csv_bytes(run, io.BytesIO())
    assert len(calls) == 1
