"""Integration tokens (issue 13, hole 10): an owner, an expiry, explicit scopes; least privilege by default.

The 接口账号 used to read every full ID number in the province, edit people and institutions, discharge
children and start official refund runs. Now a token does what its scopes say and nothing more."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import ApiScope, ApiToken, hash_key
from apps.accounts.services import api_token_issue
from apps.core.exceptions import ApplicationError
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory
from tests.factories import PersonFactory

PERSON = {"id_number": "220102199001011239", "name": "张新", "region_code": "220102", "hukou_type": "urban"}


def token_client(user, *scopes, **kwargs) -> tuple[APIClient, ApiToken]:
    token, key = api_token_issue(user=user, name="测试对接", scopes=list(scopes) if scopes else None, **kwargs)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, token


def test_a_new_token_reads_with_masked_id_numbers_and_nothing_more(integration_client):
    api, token = token_client(integration_client)
    assert token.scopes == ["read"] and token.expires_at > timezone.now() + timedelta(days=30)
    person = PersonFactory(region_id="220102")
    detail = api.get(f"/api/v1/applicants/{person.pk}/")
    assert detail.status_code == 200
    assert detail.json()["id_number"] != person.id_number and "*" in detail.json()["id_number"]
    refused = api.post("/api/v1/applicants/", PERSON, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "scope_required")
    assert api.patch(f"/api/v1/applicants/{person.pk}/", {"name": "改名"}, format="json").status_code == 403
    person.refresh_from_db()
    assert person.name != "改名"


def test_an_integration_account_without_a_token_is_held_to_the_least(api_for, integration_client):
    """The hole: a session (or any non-token way in) of the 接口账号 read full ID numbers and wrote."""
    person = PersonFactory(region_id="220102")
    api = api_for(integration_client)
    assert api.get(f"/api/v1/applicants/{person.pk}/").json()["id_number"] != person.id_number
    assert api.post("/api/v1/applicants/", PERSON, format="json").status_code == 403


def test_full_id_numbers_only_with_their_scope(integration_client):
    person = PersonFactory(region_id="220102")
    enrollment = EnrollmentFactory(institution=InstitutionFactory(region_id="220102"))
    masked, _ = token_client(integration_client, "read")
    full, _ = token_client(integration_client, "read", "full_id_number")
    assert full.get(f"/api/v1/applicants/{person.pk}/").json()["id_number"] == person.id_number
    assert masked.get(f"/api/v1/childcare/enrollments/{enrollment.pk}/").json()["child_id_number"] \
        != enrollment.child.id_number
    assert full.get(f"/api/v1/childcare/enrollments/{enrollment.pk}/").json()["child_id_number"] \
        == enrollment.child.id_number


def test_staff_in_a_session_still_see_the_full_number(api_for, caseworker):
    person = PersonFactory(region_id="220102")
    assert api_for(caseworker).get(f"/api/v1/applicants/{person.pk}/").json()["id_number"] == person.id_number


def test_write_scope_edits_people_institutions_and_enrollments(integration_client):
    reader, _ = token_client(integration_client, "read")
    writer, _ = token_client(integration_client, "read", "write")
    assert writer.post("/api/v1/applicants/", PERSON, format="json").status_code == 201
    institution = InstitutionFactory(region_id="220102")
    assert reader.patch(f"/api/v1/childcare/institutions/{institution.pk}/", {"name": "改名托育园"},
                        format="json").status_code == 403
    enrollment = EnrollmentFactory(institution=institution)
    assert reader.post(f"/api/v1/childcare/enrollments/{enrollment.pk}/leave/", {"end_date": "2025-06-15"},
                       format="json").status_code == 403  # discharging a child is a write
    enrollment.refresh_from_db()
    assert enrollment.end_date is None


def test_starting_a_refund_run_needs_its_own_scope(integration_client, django_capture_on_commit_callbacks):
    writer, _ = token_client(integration_client, "read", "write")
    refused = writer.post("/api/v1/refund-runs/", {"year": 2025, "region": "220102", "dry_run": False},
                          format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "scope_required")
    starter, _ = token_client(integration_client, "read", "start_runs")
    with django_capture_on_commit_callbacks(execute=True):
        started = starter.post("/api/v1/refund-runs/", {"year": 2025, "region": "220102", "dry_run": False},
                               format="json")
    assert started.status_code == 202


def test_a_computation_is_a_read(integration_client):
    api, _ = token_client(integration_client)
    assert api.post("/api/v1/eligibility/childcare-subsidy/", {"facts": {}}, format="json").status_code != 403


@pytest.mark.parametrize("change", [{"is_active": False}, {"expires_at": timezone.now() - timedelta(seconds=1)}])
def test_expired_or_revoked_tokens_are_refused(integration_client, change):
    api, token = token_client(integration_client)
    assert api.get("/api/v1/me/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(**change)
    assert api.get("/api/v1/me/").status_code == 401


def test_the_key_is_stored_hashed_and_use_is_recorded(integration_client):
    token, key = api_token_issue(user=integration_client, name="测试")
    assert token.key_hash == hash_key(key) and key not in token.key_hash and token.last_used_at is None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").json()["username"] == integration_client.username
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.credentials(HTTP_AUTHORIZATION=f"Token {key[:-1]}x")
    assert client.get("/api/v1/me/").status_code == 401


def test_unknown_scopes_are_refused(integration_client):
    with pytest.raises(ApplicationError) as error:
        api_token_issue(user=integration_client, name="x", scopes=["read", "everything"])
    assert error.value.code == "invalid_scope"
    assert set(ApiScope.values) == {"read", "write", "full_id_number", "start_runs", "full_bank_account"}


def test_tokens_are_managed_by_the_security_administrator_in_the_admin(client_for, integration_client, db):
    from tests.factories import UserFactory

    security = UserFactory(username="sec", role="security_admin", region_id="220000", is_staff=True)
    system = UserFactory(username="sysadm", role="administrator", region_id="220000", is_staff=True)
    web = client_for(system)
    assert web.get("/admin/accounts/apitoken/").status_code == 403
    web = client_for(security)
    response = web.post("/admin/accounts/apitoken/add/", {
        "name": "省数据共享", "user": integration_client.pk, "scopes": ["read"],
        "expires_at_0": (timezone.localdate() + timedelta(days=90)).isoformat(), "expires_at_1": "00:00:00",
        "is_active": "on"}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get(name="省数据共享")
    assert token.scopes == ["read"] and token.user == integration_client
    shown = next(str(m) for m in response.context["messages"] if "令牌已签发" in str(m))
    key = shown.split("：", 1)[1].split("（", 1)[0]
    assert hash_key(key) == token.key_hash


def test_existing_drf_tokens_are_migrated_hashed_and_read_only(integration_client):
    """The demo's api_client had a DRF authtoken: the same key keeps working, now read only and hashed."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("apps.accounts.migrations.0003_roles_three_administrators_and_api_tokens")
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id int)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [key, timezone.now(), integration_client.pk])
    migration.copy_drf_tokens(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0  # no plaintext key is left behind
        cursor.execute("DROP TABLE authtoken_token")
    token = ApiToken.objects.get(user=integration_client)
    assert token.scopes == ["read"] and token.key_hash == hash_key(key) and token.expires_at > timezone.now()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").json()["username"] == integration_client.username
