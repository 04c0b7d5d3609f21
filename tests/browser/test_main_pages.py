"""Every main page, as a caseworker and as a supervisor, on a desktop (1366 px) and on a phone (390×844):
no Content-Security-Policy violation (no inline script or style gets refused), no page that scrolls sideways,
the phone's 菜单 button opens and closes the navigation. Django admin and the API docs run under the policy too.

SHOTS_DIR=/some/folder saves a full-page screenshot of every page at both widths, to look at.
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib import admin
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits, csp_violations, login
from tests.browser.main_pages import demo_portal, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)
DESKTOP = (1366, 860)
SHOTS_DIR = os.environ.get("SHOTS_DIR")
OPEN = re.compile(r"\bcollapse show\b")


@pytest.fixture
def demo(live_server):
    return demo_portal()


def _visit(page, path: str, name: str, role: str):
    response = page.goto(f"{page.base_url}{path}")
    assert response is not None and response.status == 200, f"{name} ({path}) answered {response and response.status}"
    page.wait_for_load_state("networkidle")  # charts drawn, tables stacked: what a person sees
    assert_fits(page, f"{name} ({path})")
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS_DIR}/{role}-{page.viewport_size['width']}-{name}.png", full_page=True)


def _menu_toggles(page):
    toggle = page.locator("button.portal-menu-toggle")
    menu = page.locator("#portal-nav")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "portal-nav")
    expect(menu).to_be_hidden()
    toggle.click()
    expect(menu).to_have_class(OPEN)  # open, not still sliding (a click while it slides is ignored)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.locator("a.nav-link").first).to_be_visible()
    toggle.click()
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize("role", ["caseworker", "supervisor"])
def test_every_main_page_fits_a_phone_and_its_menu_opens_and_closes(open_page, demo, role):
    page = open_page(*PHONE)
    login(page, role)
    pages = main_pages(demo[role])
    assert len(pages) >= 44
    for name, path in pages:
        _visit(page, path, name, role)
        _menu_toggles(page)
    # A wide table turns into cards with its headings as labels, not a strip to scroll.
    page.goto(f"{page.base_url}{dict(pages)['applicants-list']}")
    table = page.locator("main table.table").first
    expect(table).to_have_class(re.compile(r"\btable-stacked\b"))
    assert table.locator("td[data-label=身份证号]").count() >= 1


@pytest.mark.parametrize("role", ["caseworker", "supervisor"])
def test_every_main_page_on_a_desktop_raises_no_policy_violation(open_page, demo, role):
    """The open_page fixture fails the test on any violation Chromium reports; here also per page, by name."""
    page = open_page(*DESKTOP)
    violations = csp_violations(page)
    login(page, role)
    for name, path in main_pages(demo[role]):
        _visit(page, path, name, role)
        assert not violations, f"{name} ({path}): {violations}"
        expect(page.locator("button.portal-menu-toggle")).to_be_hidden()  # the sidebar itself is there
        expect(page.locator("#portal-nav")).to_be_visible()


def _admin_urls() -> list[str]:
    urls = ["/admin/"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls.append(base)
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls += [f"{base}{first.pk}/change/", f"{base}{first.pk}/history/"]
    return urls


def test_the_admin_raises_no_policy_violation(open_page, demo):
    """Django admin under the portal's policy, unrelaxed: every list, one change page and one history page of each
    registered model (django-simple-history's history list carried the one inline style; templates/ overrides it)."""
    from apps.accounts.models import User

    administrator = User.objects.get(username="admin")
    administrator.set_password("pw")
    administrator.save(update_fields=["password"])
    page = open_page(*DESKTOP)
    violations = csp_violations(page)
    login(page, "admin")
    urls = _admin_urls()
    assert len(urls) > 60
    for url in urls:
        response = page.goto(f"{page.base_url}{url}")
        assert response is not None and response.status < 500, f"{url}: {response and response.status}"
        assert not violations, f"{url}: {violations}"


def test_sign_in_error_pages_and_swagger_raise_no_policy_violation(open_page, demo):
    page = open_page(*PHONE)
    violations = csp_violations(page)
    page.goto(f"{page.base_url}/login/")
    assert_fits(page)
    login(page, "caseworker")
    assert page.goto(f"{page.base_url}/applicants/999999999/").status == 404
    page.goto(f"{page.base_url}/api/docs/")
    page.wait_for_selector(".swagger-ui .information-container")
    assert not violations, violations


def test_redoc_renders_and_the_policy_only_keeps_its_logo_off_the_internet(browser, live_server, demo):
    """Redoc alone may write style elements. What the policy still refuses there is its bundle's 'powered by'
    logo from cdn.redoc.ly — the intranet's page makes no request to the internet — and nothing else."""
    context = browser.new_context(viewport={"width": DESKTOP[0], "height": DESKTOP[1]}, locale="zh-CN")
    try:
        page = context.new_page()
        page.base_url = live_server.url
        violations = csp_violations(page)
        login(page, "caseworker")
        page.goto(f"{live_server.url}/api/redoc/")
        page.wait_for_selector("h1")  # the API's title, rendered by Redoc
        page.wait_for_load_state("networkidle")
        assert violations and all("https://cdn.redoc.ly/" in text and "img-src" in text for text in violations), violations
    finally:
        context.close()


def test_without_javascript_the_phone_navigation_stays_open(browser, live_server, caseworker):
    """The 菜单 button needs Bootstrap's script; with scripts off (noscript.css) the links are simply shown."""
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, locale="zh-CN",
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        page.base_url = live_server.url
        login(page, "cw_nanguan")
        page.goto(f"{live_server.url}/employers/")
        expect(page.locator("#portal-nav a.nav-link", has_text="用人单位")).to_be_visible()
        expect(page.locator("button.portal-menu-toggle")).to_be_hidden()
        assert_fits(page)
    finally:
        context.close()
