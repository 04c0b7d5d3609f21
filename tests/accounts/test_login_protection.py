"""Issue 13, hole 8: password guessing, password policy, two-factor sign-in, idle sessions."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from apps.accounts.models import User
from apps.accounts.services import api_token_issue
from tests.conftest import otp_device_for, totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- Lockout (django-axes) ------------------------------------------------------------------------------

def _wrong(client, url, username, times, address="10.0.0.1"):
    return [client.post(url, {"username": username, "password": "not-the-password"}, REMOTE_ADDR=address)
            for _ in range(times)]


def test_login_locks_the_account_from_that_address_after_five_failures_in_chinese(client, caseworker, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    responses = _wrong(client, reverse("login"), "cw_nanguan", 5)
    assert [r.status_code for r in responses[:4]] == [200] * 4  # the form again, with the error
    locked = client.post(reverse("login"), {"username": "cw_nanguan", "password": "pw"}, REMOTE_ADDR="10.0.0.1")
    body = locked.content.decode()
    assert locked.status_code == 429 and "账号已暂时锁定" in body and "15 分钟" in body
    assert "_auth_user_id" not in client.session  # the right password did not get in
    # The same account from another address is not locked: a guesser cannot lock a colleague out.
    other = client.post(reverse("login"), {"username": "cw_nanguan", "password": "pw"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302 and client.session["_auth_user_id"] == str(caseworker.pk)


def test_the_lock_ends_after_the_cool_off(client, caseworker):
    from axes.models import AccessAttempt

    _wrong(client, reverse("login"), "cw_nanguan", 5)
    assert client.post(reverse("login"), {"username": "cw_nanguan", "password": "pw"},
                       REMOTE_ADDR="10.0.0.1").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert client.post(reverse("login"), {"username": "cw_nanguan", "password": "pw"},
                       REMOTE_ADDR="10.0.0.1").status_code == 302


def test_admin_login_locks_too_in_chinese(client, supervisor):
    url = reverse("admin:login")
    _wrong(client, url, "sup_changchun", 5)
    locked = client.post(url, {"username": "sup_changchun", "password": "pw"}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429 and "账号已暂时锁定" in locked.content.decode()


# --- Failed API token auth ----------------------------------------------------------------------------

def test_failed_tokens_from_one_address_are_throttled_with_429_in_the_house_shape(integration_client, settings):
    assert settings.API_TOKEN_FAILURE_LIMIT == 10
    good = api_token_issue(user=integration_client, name="测试")[1]
    api = APIClient(REMOTE_ADDR="10.0.0.9")
    statuses = [api.get("/api/v1/employers/", HTTP_AUTHORIZATION=f"Token {'0' * 39}{i % 10}").status_code
                for i in range(10)]
    assert statuses == [401] * 10
    throttled = api.get("/api/v1/employers/", HTTP_AUTHORIZATION="Token " + "f" * 40)
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled" and "接口令牌验证失败次数过多" in throttled.json()["detail"]
    assert set(throttled.json()) == {"code", "detail", "fields"} and throttled["Retry-After"]
    # Guessing right no longer pays from that address; another address is not affected.
    assert api.get("/api/v1/employers/", HTTP_AUTHORIZATION=f"Token {good}").status_code == 429
    other = APIClient(REMOTE_ADDR="10.0.0.10")
    assert other.get("/api/v1/employers/", HTTP_AUTHORIZATION=f"Token {good}").status_code == 200


def test_good_tokens_are_never_counted(integration_client):
    good = api_token_issue(user=integration_client, name="测试")[1]
    api = APIClient(REMOTE_ADDR="10.0.0.11")
    assert {api.get("/api/v1/employers/", HTTP_AUTHORIZATION=f"Token {good}").status_code
            for _ in range(15)} == {200}


# --- Password policy ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("password", "message"), [
    ("Ab1!xyz", "密码长度太短"),             # 7 < 10
    ("Demo@2026", "密码长度太短"),           # the old demo password: 9 characters
    ("8264019375", "只包含数字"),
    ("password123", "太常见"),
])
def test_password_policy_refuses_with_chinese_messages(password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password, user=User(username="wangjing"))
    assert any(message in text for text in error.value.messages), error.value.messages


def test_password_close_to_the_username_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_password("wangjing2026x", user=User(username="wangjing2026"))
    assert "相似" in error.value.messages[0]


def test_the_demo_password_passes_the_policy():
    assert DEMO_PASSWORD == "Demo@2026jl"
    for username, last, first, *_ in DEMO_USERS:
        validate_password(DEMO_PASSWORD, user=User(username=username, last_name=last, first_name=first))


# --- Two-factor sign-in (TOTP) ------------------------------------------------------------------------

def _password_login(client, username):
    return client.post(reverse("login"), {"username": username, "password": "pw"}, follow=True)


def test_a_supervisor_without_a_device_is_sent_to_enrolment_with_a_local_qr_code(client, supervisor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would otherwise hold the right one off 1 s
    response = _password_login(client, "sup_changchun")
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:otp_enrol"))
    body = response.content.decode()
    assert "绑定身份验证器" in body and "<svg" in body and "<script" not in body.split("<main", 1)[1].split("</main>")[0]
    assert client.get(reverse("dashboard")).status_code == 302  # nothing else until enrolled

    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    assert response.context["secret"] and "otpauth://totp/" in device.config_url
    wrong = client.post(reverse("accounts:otp_enrol"), {"token": "000000" if totp_code(device) != "000000"
                                                        else "111111"})
    assert wrong.status_code == 200 and "动态口令不正确" in wrong.content.decode()
    done = client.post(reverse("accounts:otp_enrol"), {"token": totp_code(device), "next": "/"})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed and client.get(reverse("dashboard")).status_code == 200


def test_a_supervisor_with_a_device_enters_the_code_after_the_password(client, supervisor):
    device = otp_device_for(supervisor)
    response = _password_login(client, "sup_changchun")
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:otp_verify"))
    assert "动态口令验证" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302
    assert client.get(reverse("accounts:otp_enrol")).status_code == 302  # a password cannot add a second device
    wrong = client.post(reverse("accounts:otp_verify"), {"token": "12345"})
    assert wrong.status_code == 200 and "6位数字" in wrong.content.decode()
    assert client.post(reverse("accounts:otp_verify"), {"token": totp_code(device)}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_admin_and_the_session_api_require_the_second_factor(client, province_admin):
    otp_device_for(province_admin)
    client.force_login(province_admin)  # password only
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302 and admin["Location"].startswith(reverse("accounts:otp_verify"))
    api = client.get("/api/v1/employers/")
    assert api.status_code == 403 and api.json()["code"] == "otp_required"


def test_an_administrator_verified_reaches_the_admin(client_for, province_admin):
    assert client_for(province_admin).get(reverse("admin:index")).status_code == 200


def test_caseworkers_sign_in_with_the_password_alone(client, caseworker):
    response = _password_login(client, "cw_nanguan")
    assert response.redirect_chain[-1][0] == reverse("dashboard") and response.status_code == 200


def test_superuser_needs_the_second_factor_too(client):
    UserFactory(username="root", role=User.Role.CASEWORKER, is_superuser=True, is_staff=True)
    assert _password_login(client, "root").redirect_chain[-1][0].startswith(reverse("accounts:otp_enrol"))


# --- Idle sessions ------------------------------------------------------------------------------------

def test_sessions_end_after_30_idle_minutes_and_use_renews_them(client_for, caseworker, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = client_for(caseworker)  # signing in is a renewal
    expiry = client.session.get_expiry_date()
    # Within the minute: no write (a renewal per request would cost a database write on every page).
    assert "sessionid" not in client.get(reverse("dashboard")).cookies
    session = client.session
    session["_renewed_at"] -= 120  # the last renewal two minutes ago
    session.set_expiry(None)
    session.save()
    renewed = client.get(reverse("dashboard"))
    assert renewed.cookies["sessionid"]["max-age"] == 30 * 60 and client.session.get_expiry_date() >= expiry


def test_an_idle_session_is_over(client_for, caseworker):
    from django.contrib.sessions.models import Session

    client = client_for(caseworker)
    assert client.get(reverse("dashboard")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # 30 minutes without a request
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
