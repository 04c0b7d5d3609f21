"""An integration account that signs in to the web UI lands on its own tokens and the API docs, not a 403
(issue 15). The page shows no key (only its prefix) and no other account's tokens."""

from django.urls import reverse

from apps.accounts.services import api_token_issue
from tests.factories import UserFactory


def test_an_integration_account_lands_on_its_tokens_and_the_docs(client, integration_client):
    mine, key = api_token_issue(user=integration_client, name="省大数据局数据共享", scopes=["read", "write"])
    other = UserFactory(username="api_other", role=integration_client.role, region_id="220000")
    _, other_key = api_token_issue(user=other, name="别人的对接")
    client.force_login(integration_client)

    landing = client.get(reverse("dashboard"))
    assert landing.status_code == 302 and landing["Location"] == reverse("my-tokens")

    page = client.get(reverse("my-tokens"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "省大数据局数据共享" in html and f"{mine.key_prefix}…" in html
    assert "读取登记信息" in html and "新增和修改" in html  # scopes by their labels, not codes
    assert key not in html and "别人的对接" not in html and other_key[:8] not in html
    assert reverse("api-docs") in html and reverse("api-redoc") in html
    assert client.get(reverse("api-docs")).status_code == 200


def test_the_tokens_page_needs_a_signed_in_user(client):
    response = client.get(reverse("my-tokens"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_caseworker_sees_an_empty_tokens_page(client_for, caseworker):
    response = client_for(caseworker).get(reverse("my-tokens"))
    assert response.status_code == 200 and "还没有令牌" in response.content.decode()
