"""Bars are drawn with classes, not style attributes (the Content-Security-Policy's style-src is 'self'):
the `pct` filter picks pct-0 … pct-100 and static/portal/portal.css has exactly those classes."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template

from apps.core.templatetags.portal import pct


@pytest.mark.parametrize(("value", "css_class"), [
    (0, "pct-0"), (37, "pct-37"), (100, "pct-100"),
    ("80.00", "pct-80"), ("66.67", "pct-67"), ("12.5", "pct-13"), ("12.49", "pct-12"),  # half up, whole percent
    (Decimal("99.5"), "pct-100"), (0.4, "pct-0"),
    (143, "pct-100"), (-5, "pct-0"),  # an over-full institution's bar is full, never wider than its track
    ("", "pct-0"), (None, "pct-0"), ("abc", "pct-0"), ("NaN", "pct-0"), ("Infinity", "pct-0"),
])
def test_pct_picks_the_class_of_the_whole_percent(value, css_class):
    assert pct(value) == css_class


def test_the_stylesheet_has_a_class_for_every_whole_percent():
    css = (settings.BASE_DIR / "static" / "portal" / "portal.css").read_text(encoding="utf-8")
    widths = {int(n): int(w) for n, w in re.findall(r"\.pct-(\d+)\s*\{\s*width:\s*(\d+)%\s*\}", css)}
    assert widths == {n: n for n in range(101)}


def test_a_template_draws_a_bar_with_the_class():
    html = Template('{% load portal %}<div class="progress-bar {{ p|pct }}"></div>').render(Context({"p": "42.5"}))
    assert html == '<div class="progress-bar pct-43"></div>'
