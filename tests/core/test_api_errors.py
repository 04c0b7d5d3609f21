"""One error shape for 400/401/403/404/405/409/429: {"code", "detail", "fields"}."""

import pytest
from django.urls import path
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from apps.core.exceptions import ApplicationError, ConflictError
from config.urls import urlpatterns as real_urlpatterns

pytestmark = pytest.mark.django_db


class _Once(UserRateThrottle):
    rate = "1/minute"
    scope = "test-once"


class ProbeView(APIView):
    def post(self, request):
        if request.data.get("mode") == "conflict":
            raise ConflictError("run_exists", "该年度已有正式批次")
        if request.data.get("mode") == "business":
            raise ApplicationError("invalid_period", "所属期格式应为 YYYY-MM", {"period": ["所属期格式应为 YYYY-MM"]})
        from rest_framework import serializers

        class S(serializers.Serializer):
            year = serializers.IntegerField(min_value=2020, error_messages={"min_value": "年度不能早于2020年"})

        S(data=request.data).is_valid(raise_exception=True)
        return Response({})


class ThrottledView(APIView):
    throttle_classes = [_Once]

    def get(self, request):
        return Response({})


urlpatterns = [
    path("api/v1/probe/", ProbeView.as_view()),
    path("api/v1/throttled/", ThrottledView.as_view()),
    *real_urlpatterns,
]


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = __name__


def _shape(body):
    assert set(body) == {"code", "detail", "fields"}
    assert isinstance(body["fields"], dict)
    return body


def test_400_has_field_level_chinese_messages_and_codes(api_for, caseworker):
    body = _shape(api_for(caseworker).post("/api/v1/probe/", {"year": 2019}, format="json").json())
    assert body["code"] == "validation_error"
    assert body["fields"]["year"] == [{"code": "min_value", "message": "年度不能早于2020年"}]


def test_400_from_a_business_rule(api_for, caseworker):
    response = api_for(caseworker).post("/api/v1/probe/", {"mode": "business"}, format="json")
    body = _shape(response.json())
    assert response.status_code == 400
    assert body["code"] == "invalid_period"
    assert body["fields"]["period"][0]["message"] == "所属期格式应为 YYYY-MM"


def test_401_without_credentials():
    response = APIClient().get("/api/v1/employers/")
    assert response.status_code == 401
    assert _shape(response.json())["code"] == "not_authenticated"


def test_401_with_a_bad_token():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/employers/")
    assert response.status_code == 401
    assert _shape(response.json())["code"] == "authentication_failed"


def test_token_authentication_works(integration_client):
    from apps.accounts.services import api_token_issue

    _, key = api_token_issue(user=integration_client, name="测试")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").json()["role"] == "integration"


def test_403_for_a_role_without_access(api_for, db):
    from tests.factories import UserFactory

    nobody = UserFactory(role="nobody")
    response = api_for(nobody).get("/api/v1/employers/")
    assert response.status_code == 403
    assert _shape(response.json())["code"] == "permission_denied"


def test_404(api_for, caseworker):
    response = api_for(caseworker).get("/api/v1/employers/999999/")
    assert response.status_code == 404
    assert _shape(response.json())["detail"] == "记录不存在或无权访问。"


def test_405(api_for, caseworker):
    response = api_for(caseworker).delete("/api/v1/me/")
    assert response.status_code == 405
    assert _shape(response.json())["code"] == "method_not_allowed"


def test_409(api_for, caseworker):
    response = api_for(caseworker).post("/api/v1/probe/", {"mode": "conflict"}, format="json")
    assert response.status_code == 409
    assert _shape(response.json()) == {"code": "run_exists", "detail": "该年度已有正式批次", "fields": {}}


def test_429(api_for, caseworker):
    from django.core.cache import cache

    cache.clear()
    api = api_for(caseworker)
    assert api.get("/api/v1/throttled/").status_code == 200
    response = api.get("/api/v1/throttled/")
    assert response.status_code == 429
    body = _shape(response.json())
    assert body["code"] == "throttled" and "秒后重试" in body["detail"]


def test_schema_and_docs_are_served(client_for, caseworker):
    client = client_for(caseworker)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/employers/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower() and "swagger" in docs.lower()
    assert client.get("/api/redoc/").status_code == 200
