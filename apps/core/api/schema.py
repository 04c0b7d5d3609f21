"""The OpenAPI schema class (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS): drf-spectacular's, plus the error answers an
endpoint documents by example. An `OpenApiExample(..., response_only=True, status_codes=["409"])` is only shown
under a declared 409 response; endpoints declare their success body, so without this their refusal examples
(409 `publicity_window_open`, 403 `four_eyes` …) never reached the schema. Every error status an example names
gets the one error body ({"code", "detail", "fields"}, apps.core.api.errors) with its examples."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="稳定的机器码，如 four_eyes、publicity_window_open")
    detail = serializers.CharField(help_text="给人看的中文说明")
    fields = serializers.DictField(help_text='{"字段": [{"code", "message"}]}')  # type: ignore[assignment]  # the response key (integrators read it); DRF takes declared fields from the class, the stubs type the base attribute


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = {str(code) for example in self.get_examples() if not example.request_only
                 for code in (example.status_codes or ())}
        for code in sorted(codes):
            if code not in responses and not code.startswith("2"):
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses
