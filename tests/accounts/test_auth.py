import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_login_with_password_and_see_dashboard_in_chinese(client, caseworker):
    response = client.post(reverse("login"), {"username": "cw_nanguan", "password": "pw"}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "工作台" in body and 'lang="zh-hans"' in body and "用人单位" in body


def test_wrong_password_shows_a_chinese_error(client, caseworker):
    body = client.post(reverse("login"), {"username": "cw_nanguan", "password": "wrong"}).content.decode()
    assert "请输入一个正确的" in body or "用户名和密码" in body


def test_logout(client_for, caseworker):
    client = client_for(caseworker)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_integration_account_cannot_use_the_web_ui(client_for, integration_client):
    """Its sign-in lands on its tokens page (tests/accounts/test_integration_landing.py); the caseworker pages
    stay closed to it."""
    client = client_for(integration_client)
    assert client.get(reverse("dashboard"))["Location"] == reverse("my-tokens")
    response = client.get(reverse("applicants:list"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_unknown_page_is_a_chinese_404(client_for, caseworker):
    response = client_for(caseworker).get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_500_page_is_chinese(rf):
    from apps.core.views import error_500

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = error_500(request)
    assert response.status_code == 500 and "系统出错了" in response.content.decode()


def test_dashboard_counts_are_scoped(client_for, caseworker):
    from tests.factories import EmployerFactory

    EmployerFactory(region_id="220102")
    EmployerFactory(region_id="220204")
    response = client_for(caseworker).get(reverse("dashboard"))
    stats = {s["label"]: s["value"] for s in response.context["stats"]}
    assert stats["用人单位"] == 1


def test_healthz(client):
    assert client.get("/healthz").json()["status"] == "ok"
