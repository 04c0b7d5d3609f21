"""static/portal/progress.js, the one poller of every progress bar: while the work runs the numbers and the bar
follow the server, and when it has finished the page reloads to show the result. Driven on a 公益性岗位 run (the
same script serves refund runs, childcare runs, imports, notice batches and exports)."""

import datetime

import pytest

from apps.public_posts.models import SubsidyRun
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bar_follows_the_run_then_the_page_reloads(page, caseworker):
    run = SubsidyRun.objects.create(region_id="220102", month=datetime.date(2026, 3, 1), started_by=caseworker,
                                    placements_total=4, placements_done=1)
    login(page, "cw_nanguan")
    page.wait_for_selector("text=工作台")
    page.goto(f"{page.base_url}/public-posts/runs/{run.pk}/")
    assert page.inner_text("#run-count") == "1 / 4（25%）"

    SubsidyRun.objects.filter(pk=run.pk).update(placements_done=3)
    page.wait_for_selector("#run-progress[aria-valuenow='75']")  # (a selector: the page's CSP forbids eval)
    assert page.inner_text("#run-count") == "3 / 4（75%）"
    assert page.inner_text("#run-bar") == "75%"

    SubsidyRun.objects.filter(pk=run.pk).update(placements_done=4, status=SubsidyRun.Status.COMPUTED)
    page.wait_for_selector("#run-status:text-is('待审核')")
    assert page.locator("script[src$='portal/progress.js']").count() == 0  # the reloaded page polls no more
