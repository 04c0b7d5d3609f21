"""One way to write numbers and dates (apps/core/templatetags/formats.py): the filters' table, and a scan of
every template that fails when one formats a date or a number any other way."""

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template

from apps.core.templatetags import formats

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", *sorted(Path(settings.BASE_DIR, "apps").glob("*/templates"))]
# Django's own ways of formatting, each with the one filter of formats.py to use instead.
FORBIDDEN = {
    re.compile(r"\|\s*date\b"): "|list_date / |list_datetime / |list_month / |detail_date / |detail_month",
    re.compile(r"\|\s*time\b"): "|list_datetime",
    re.compile(r"\|\s*floatformat\b"): "|money (two decimals) / |rate / |count",
    re.compile(r"\|\s*intcomma\b"): "|count",
    re.compile(r"\|\s*intword\b"): "|count",
    re.compile(r"\|\s*naturalday\b|\|\s*naturaltime\b"): "|list_date / |list_datetime",
}
NOW = re.compile(r'\{%\s*now\s+"(?P<format>[^"]*)"')


def templates():
    for folder in TEMPLATE_DIRS:
        yield from sorted(folder.rglob("*.html"))


def test_templates_format_dates_and_numbers_only_through_the_formats_filters():
    problems = []
    for path in templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern, instead in FORBIDDEN.items():
                if pattern.search(line):
                    problems.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {pattern.pattern} — use {instead}")
            for found in NOW.finditer(line):
                if found["format"] not in (formats.LIST_DATE, formats.DETAIL_DATE):
                    problems.append(f"{path}:{number}: {{% now %}} with {found['format']!r}")
    assert not problems, "\n".join(problems)


def test_the_scan_finds_a_template_with_another_date_format(tmp_path):
    """The scan itself: a line with date:"Y/m/d" is caught."""
    line = '<td>{{ person.birth_date|date:"Y/m/d" }}</td>'
    assert any(pattern.search(line) for pattern in FORBIDDEN)
    assert not any(pattern.search('<td>{{ person.birth_date|list_date }}</td>') for pattern in FORBIDDEN)


SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("name", "value", "arg", "expected"), [
    ("list_date", date(2025, 3, 1), None, "2025-03-01"),
    ("list_date", date(2025, 12, 31), None, "2025-12-31"),
    ("list_date", None, None, ""),
    ("list_date", "", None, ""),
    ("list_datetime", datetime(2025, 3, 1, 6, 5, 9, tzinfo=ZoneInfo("UTC")), None, "2025-03-01 14:05"),
    ("list_datetime", datetime(2025, 2, 28, 16, 0, 0, tzinfo=ZoneInfo("UTC")), None, "2025-03-01 00:00"),  # local day
    ("list_datetime", datetime(2025, 3, 1, 14, 5, 9, tzinfo=SHANGHAI), "seconds", "2025-03-01 14:05:09"),
    ("list_month", date(2025, 3, 1), None, "2025-03"),
    ("detail_date", date(2025, 3, 1), None, "2025年3月1日"),
    ("detail_date", date(2025, 11, 30), None, "2025年11月30日"),
    ("detail_date", datetime(2025, 2, 28, 16, 0, tzinfo=ZoneInfo("UTC")), None, "2025年3月1日"),
    ("detail_month", date(2025, 3, 1), None, "2025年3月"),
    ("money", Decimal("12345.6"), None, "12,345.60"),
    ("money", Decimal("0.005"), None, "0.01"),  # half up
    ("money", Decimal("0.004"), None, "0.00"),
    ("money", Decimal("-1234.565"), None, "-1,234.57"),
    ("money", Decimal("1000000"), None, "1,000,000.00"),
    ("money", 0, None, "0.00"),
    ("money", None, None, ""),
    ("money", "x", None, ""),
    ("count", 999, None, "999"),
    ("count", 1000, None, "1,000"),
    ("count", 1234567, None, "1,234,567"),
    ("count", 0, None, "0"),
    ("count", None, None, ""),
    ("count", "—", None, "—"),
    ("rate", Decimal("3.00"), None, "3"),
    ("rate", Decimal("3.50"), None, "3.5"),
    ("rate", Decimal("3.255"), None, "3.26"),
    ("rate", None, None, ""),
])
def test_formats(name, value, arg, expected):
    function = getattr(formats, name)
    assert (function(value) if arg is None else function(value, arg)) == expected


def test_the_filters_are_built_into_every_template():
    rendered = Template("{{ d|list_date }} {{ d|detail_date }} {{ x|money }} {{ n|count }}").render(
        Context({"d": date(2025, 3, 1), "x": Decimal("1234.5"), "n": 12345}))
    assert rendered == "2025-03-01 2025年3月1日 1,234.50 12,345"
