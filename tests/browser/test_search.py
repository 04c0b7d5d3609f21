"""The global search box in a browser, on the demo data, at 1366 px and on a phone (390×844): a caseworker types
the last four digits of a 身份证号 into the top bar, sees the person in their region with the number masked, opens
the record; a person of another region is not found; the search is read-audited."""

import pytest

from tests.browser.conftest import assert_fits, login
from tests.browser.main_pages import DEMO_PASSWORD, demo_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return demo_portal()


@pytest.mark.parametrize("size", [(1366, 860), (390, 844)], ids=["1366", "390"])
def test_search_by_the_last_four_digits_opens_the_person(open_page, demo, screenshot, size):
    from apps.applicants.models import Person
    from apps.core.models import AccessLog

    mine = Person.objects.filter(region__code__startswith="220102").order_by("pk").first()
    theirs = Person.objects.exclude(region__code__startswith="220102").exclude(id_number__endswith=mine.id_number[-4:])
    theirs = theirs.order_by("pk").first()
    page = open_page(*size)
    login(page, "caseworker", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/")
    box = page.locator("header input[name=q], form.portal-search input[name=q]").first
    box.fill(mine.id_number[-4:])
    box.press("Enter")
    page.wait_for_selector(".search-group")
    text = page.locator("main").inner_text()
    assert mine.name in text and mine.id_number not in page.content()  # masked in the results
    assert_fits(page, "the search results")
    screenshot(page, f"search-{size[0]}")
    read = AccessLog.objects.filter(user__username="caseworker", purpose="全局搜索").order_by("-pk").first()
    assert read is not None and str(mine.pk) in read.listed_ids  # the results were audited

    page.locator(".search-group a.fw-semibold", has_text=mine.name).first.click()
    page.wait_for_load_state()
    assert mine.name in page.locator("main").inner_text()

    if theirs is not None:  # another region's person: not found, never shown
        page.goto(f"{page.base_url}/search/?q={theirs.id_number}")
        assert theirs.name not in page.locator("main").inner_text()
