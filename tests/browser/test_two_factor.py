"""Two-factor sign-in in a browser: a supervisor enrols an authenticator from the QR page, then signs in."""

import base64

import pytest

from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_enrols_from_the_page_and_then_signs_in_with_a_code(page, screenshot):
    from django_otp.oath import totp

    from apps.accounts.models import User

    UserFactory(username="sup_new", role=User.Role.SUPERVISOR, region_id="220100", is_staff=True)
    page.goto(f"{page.base_url}/login/")
    page.fill("input[name=username]", "sup_new")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_selector("text=绑定身份验证器")
    assert page.locator(".otp-qr svg").count() == 1
    screenshot(page, "otp-enrol")
    # What the user's app does: the key typed by hand (shown under the QR code) → the current code.
    secret = page.locator(".otp-secret").inner_text()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=token]", f"{totp(key):06d}")
    page.click("main button[type=submit]")  # the top bar's 退出 is a submit button too
    page.wait_for_selector("text=工作台")

    page.click("text=退出")
    login(page, "sup_new")  # the device is confirmed now: the verify page, a code computed from its key
    page.wait_for_selector("text=工作台")
    assert "/login/" not in page.url
