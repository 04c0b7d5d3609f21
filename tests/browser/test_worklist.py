"""The 待办 list in a browser, on the demo data: the caseworker's and the supervisor's lists at 1366 px and on a
phone (390×844: cards, no sideways scrolling, under the Content-Security-Policy), the menu's counts, and a click
on an item opening its record."""

import pytest

from tests.browser.conftest import assert_fits, login
from tests.browser.main_pages import DEMO_PASSWORD, demo_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)
DESKTOP = (1366, 860)


@pytest.fixture
def demo(live_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the demo's refund runs compute when they commit
        return demo_portal()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
@pytest.mark.parametrize("username", ["caseworker", "supervisor"])
def test_the_worklist_reads_as_cards_and_an_item_opens_its_record(open_page, demo, screenshot, username, size):
    page = open_page(*size)
    login(page, username, DEMO_PASSWORD)
    page.goto(f"{page.base_url}/")
    page.wait_for_selector("#worklist .worklist-item")
    top = page.locator("#worklist").bounding_box()
    assert top is not None and top["y"] < 400  # the work is the first thing on 工作台
    assert_fits(page)
    screenshot(page, f"worklist-dashboard-{username}-{size[0]}")

    page.goto(f"{page.base_url}/worklist/")
    items = page.locator("#worklist-items .worklist-item")
    assert items.count() >= 3
    assert page.locator(".worklist-overdue").count() >= 1  # every demo role has something overdue
    first = items.first
    assert first.locator(".worklist-what").inner_text() and first.locator(".worklist-why").inner_text()
    box = first.bounding_box()
    assert box is not None and box["width"] <= size[0]
    assert_fits(page)
    if size == DESKTOP:  # the total in the top bar, the counts beside the menu's entries
        assert page.locator(".worklist-total .badge").inner_text().rstrip("+").isdigit()
        assert page.locator("#portal-nav .nav-badge").count() >= 2
    screenshot(page, f"worklist-{username}-{size[0]}")

    href = first.locator("a.worklist-link").get_attribute("href")
    first.locator("a.worklist-link").click()
    page.wait_for_load_state("load")
    assert page.url.split("#")[0].endswith(href.split("#")[0])
    assert page.locator("h1").count() >= 1 and "无权" not in page.content()


def test_the_module_filter_on_a_phone(open_page, demo):
    page = open_page(*PHONE)
    login(page, "caseworker", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/worklist/")
    page.locator(".worklist-modules a", has_text="困境儿童").click()
    page.wait_for_url("**/worklist/?module=child_welfare")
    kinds = page.locator("#worklist-items .worklist-meta").all_inner_texts()
    assert kinds and all(("探访" in kind or "督办" in kind) for kind in kinds)
    assert_fits(page)
