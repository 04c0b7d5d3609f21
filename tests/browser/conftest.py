"""Playwright driving Debian's headless chromium against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The flags a closed network needs: no background calls home, no sandbox as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        skip_or_fail("Chromium not installed (apt-get install chromium)", "REQUIRE_BROWSER")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed", "REQUIRE_BROWSER")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def csp_violations(page) -> list[str]:
    """Collect the Content-Security-Policy violations Chromium reports on the console (a refused script, style,
    image, font or connection) into a list, for as long as the page lives."""
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return violations


@pytest.fixture
def open_page(browser, live_server):
    """open_page(width, height) → a page of a new browser context at that viewport (a phone: 390, 844). Every page
    of every browser test runs under the Content-Security-Policy: a refused script or style fails the test."""
    contexts = []
    watched = []

    def open_(width: int = 1366, height: int = 860):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        watched.append(csp_violations(page))
        return page

    yield open_
    for context in contexts:
        context.close()
    violations = [text for found in watched for text in found]
    assert not violations, "\n".join(violations)


@pytest.fixture
def page(open_page):
    return open_page(1366, 860)


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def assert_fits(page, what: str = "") -> None:
    """No sideways scroll: the page is no wider than the window (the 390 px phone's check on every page)."""
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{what or page.url} scrolls sideways at {inner} px: {scroll} px wide"


def login(page, username: str, password: str = "pw"):
    """The password; then, for a supervisor or administrator, the TOTP code of their device — computed from the
    device key the way an authenticator app does (tests.conftest.totp_code) and typed into the verify page."""
    from apps.accounts.models import User
    from apps.accounts.otp import needs_second_factor
    from tests.conftest import otp_device_for

    user = User.objects.filter(username=username).first()
    device = otp_device_for(user) if user is not None and needs_second_factor(user) else None
    page.goto(f"{page.base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    if device is not None and password == "pw":
        page.wait_for_url("**/login/otp/verify/**")
        page.fill("input[name=token]", _fresh_code(device))
        page.click("main button[type=submit]")  # the top bar's 退出 is a submit button too
        page.wait_for_url(lambda url: "/login/" not in url)


def _fresh_code(device) -> str:
    """A code is accepted once: a second sign-in within the same 30 s uses the next step's (tolerance 1)."""
    from django_otp.oath import TOTP

    from tests.conftest import totp_code

    device.refresh_from_db()
    now = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits).t()
    return totp_code(device, drift=max(0, device.last_t - now + 1))
