"""The OpenAPI schema integrators download is generated without a single warning."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    assert "/api/v1/eligibility/{calculator}/" in text and "/api/v1/employers/" in text


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "code", "example"), [
    ("/api/v1/refund-runs/{id}/approve/", "409", "公示期未满"),
    ("/api/v1/refund-runs/{id}/approve/", "403", "四眼原则"),
    ("/api/v1/childcare/claims/{id}/approve/", "409", "异议未处理"),
    ("/api/v1/childcare/claims/{id}/return/", "400", "须填写理由"),
])
def test_refusal_examples_are_documented_under_their_status(path, code, example):
    """An example of a refusal shows under its status with the one error body (apps.core.api.schema)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    response = schema["paths"][path]["post"]["responses"][code]
    content = response["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/Error"}
    assert example in content["examples"]
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"code", "detail", "fields"}
