"""A bulk bar in a browser (apps.core.bulk): tick leads of 主动发现, pick the outcome, the one confirmation dialog
lists exactly the ticked records — cancel changes nothing, confirm does them and the report lists the result;
select-all ticks the page; a dismissal without its reason is stopped before the dialog. At 1366 px and on a phone."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.eligibility.models import BenefitMatch
from tests.browser.conftest import assert_fits, login
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1366, 860), (390, 844)])
def test_bulk_mark_leads_with_confirmation(open_page, screenshot, caseworker, width, height):
    matches = {name: BenefitMatch.objects.create(
        person=PersonFactory(region_id="220102", name=name), calculator="childcare-subsidy", year=2026,
        as_of=date(2026, 6, 1), facts={}, result={}, amount=Decimal("3300.00")) for name in ("甲一", "乙二", "丙三")}
    page = open_page(width, height)
    login(page, "cw_nanguan")
    page.goto(page.base_url + reverse("eligibility:match-list"))
    page.wait_for_selector("form[data-bulk-form]")
    assert_fits(page)
    for name in ("甲一", "乙二"):
        page.check(f"input[name=ids][value='{matches[name].pk}']")
    assert page.inner_text("[data-bulk-count]") == "已选 2 条"
    page.select_option("[data-bulk-choice]", "handled")
    page.click("[data-bulk-submit]")
    page.wait_for_selector("#portal-confirm.show")
    text = page.inner_text("#portal-confirm-text")
    assert "2 条记录" in text and "标记为已办理" in text
    listed = page.locator("#portal-confirm-list li").all_inner_texts()
    assert sorted(item.split(" · ")[0] for item in listed) == ["乙二", "甲一"]  # exactly the ticked ones
    assert_fits(page)
    screenshot(page, f"bulk-confirm-{width}")
    page.click("#portal-confirm-cancel")
    page.wait_for_selector("#portal-confirm", state="hidden")
    assert not BenefitMatch.objects.exclude(status="open").exists()  # cancelled: nothing done

    page.click("[data-bulk-submit]")
    page.wait_for_selector("#portal-confirm.show")
    page.click("#portal-confirm-ok")
    page.wait_for_selector("#bulk-report")
    assert "成功 2 条" in page.inner_text("#bulk-report")
    assert dict(BenefitMatch.objects.values_list("person__name", "status")) == {
        "甲一": "handled", "乙二": "handled", "丙三": "open"}
    assert_fits(page)
    screenshot(page, f"bulk-report-{width}")

    # select-all ticks the page (the one open lead left); 不予办理 needs its reason before the dialog opens
    page.check("form[data-bulk-form] [data-bulk-all]")
    assert page.inner_text("[data-bulk-count]") == "已选 1 条"
    page.select_option("[data-bulk-choice]", "dismissed")
    page.click("[data-bulk-submit]")
    assert not page.locator("#portal-confirm.show").count()
    page.fill("form[data-bulk-form] input[name=note]", "已在户籍地领取")
    page.click("[data-bulk-submit]")
    page.wait_for_selector("#portal-confirm.show")
    assert "已在户籍地领取" in page.inner_text("#portal-confirm-text")
    page.click("#portal-confirm-ok")
    page.wait_for_selector("#bulk-report:has-text('成功 1 条')")
    assert BenefitMatch.objects.get(pk=matches["丙三"].pk).status == "dismissed"


def test_nothing_ticked_the_dialog_says_so_and_offers_no_confirm(open_page, caseworker):
    BenefitMatch.objects.create(person=PersonFactory(region_id="220102", name="丁四"), calculator="childcare-subsidy",
                                year=2026, as_of=date(2026, 6, 1), facts={}, result={}, amount=Decimal("3300.00"))
    page = open_page(390, 844)
    login(page, "cw_nanguan")
    page.goto(page.base_url + reverse("eligibility:match-list"))
    page.click("[data-bulk-submit]")
    page.wait_for_selector("#portal-confirm.show")
    assert "请先勾选" in page.inner_text("#portal-confirm-text")
    assert not page.locator("#portal-confirm-ok").is_visible()
