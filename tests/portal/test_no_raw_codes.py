"""No raw code where a caseworker looks (issue 15): every main page (tests/browser/main_pages.py), as a
caseworker and as a supervisor, is scanned for snake_case tokens in what it shows — text, button labels,
placeholders and titles — never in URLs, ids, names or scripts."""

import re
from html.parser import HTMLParser

import pytest

from tests.browser.main_pages import demo_portal, main_pages

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
SHOWN_VALUE_INPUTS = {"text", "search", "submit", "button", "reset", None}  # an <option>'s value is not shown


class _Shown(HTMLParser):
    """The text a person sees: data outside script/style, and the attributes read aloud or shown."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            shown = name in SHOWN_ATTRIBUTES or (
                name == "value" and tag == "input" and dict(attrs).get("type") in SHOWN_VALUE_INPUTS)
            if shown and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def shown_text(html: str) -> str:
    parser = _Shown()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.mark.parametrize("username", ["caseworker", "supervisor"])
def test_no_main_page_shows_a_snake_case_code(username, client, django_capture_on_commit_callbacks):
    from tests.conftest import login_verified

    with django_capture_on_commit_callbacks(execute=True):  # the demo's runs are computed when they commit
        users = demo_portal()
    user = users[username]
    web = login_verified(client, user)
    found = {}
    for name, path in main_pages(user):
        response = web.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        text = shown_text(response.content.decode())
        tokens = sorted(set(SNAKE.findall(text)))
        if tokens:  # each with where it stands, so the fix is findable
            found[f"{name} {path}"] = [f"{t}: …{text[max(0, text.index(t) - 40):text.index(t) + 40]}…"
                                       for t in tokens]
    assert not found, "\n".join(f"{page}: {tokens}" for page, tokens in found.items())
