"""Main flow of the shell: log in, see the dashboard, find a record, be refused another region's."""

import pytest

from tests.browser.conftest import login
from tests.factories import EmployerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_logs_in_browses_and_is_scoped(page, screenshot, caseworker):
    own = EmployerFactory(region_id="220102", name="南关区示范企业有限公司")
    other = EmployerFactory(region_id="220204", name="船营区企业有限公司")

    login(page, "cw_nanguan")
    page.wait_for_selector("text=工作台")
    assert page.locator(".stat-card").count() >= 3
    screenshot(page, "shell-dashboard")

    page.click("nav >> text=用人单位")
    page.wait_for_selector(f"text={own.name}")
    assert page.locator(f"text={other.name}").count() == 0
    page.click(f"text={own.name}")
    page.wait_for_selector("text=统一社会信用代码")
    assert own.uscc in page.content()

    response = page.goto(f"{page.base_url}/employers/{other.pk}/")
    assert response.status == 404
    assert "不在您的经办区划范围内" in page.content()


def test_wrong_password_shows_error(page, caseworker):
    login(page, "cw_nanguan", "wrong-password")
    page.wait_for_selector(".alert-danger")
    assert "登录" in page.title()
