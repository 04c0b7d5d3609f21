"""One error shape for every API failure: {"code": str, "detail": str, "fields": {name: [{code, message}]}} (plus
"data" when an ApplicationError carries facts the client acts on, e.g. an offline visit's conflict)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.constraints import conflict_for
from apps.core.exceptions import ApplicationError

# Stable codes integrators can switch on; the Chinese `detail` is for people.
STATUS_CODES = {
    400: ("validation_error", "提交的数据有误，请检查后重试。"),
    401: ("not_authenticated", "请先登录或提供有效的接口令牌。"),
    403: ("permission_denied", "您无权执行此操作。"),
    404: ("not_found", "记录不存在或无权访问。"),
    405: ("method_not_allowed", "不支持该请求方法。"),
    406: ("not_acceptable", "不支持请求的响应格式。"),
    409: ("conflict", "操作与当前状态冲突。"),
    415: ("unsupported_media_type", "不支持的请求内容类型。"),
    429: ("throttled", "请求过于频繁，请稍后再试。"),
}


def _field_errors(detail) -> dict:
    """DRF's nested ErrorDetail structure → {field: [{"code", "message"}]}; nested paths joined with '.'."""
    fields: dict[str, list[dict]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and not isinstance(value[0], (str, exceptions.ErrorDetail)):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), inner)
        else:
            items = value if isinstance(value, list) else [value]
            fields.setdefault(prefix or "non_field_errors", []).extend(
                {"code": getattr(item, "code", "invalid"), "message": str(item)} for item in items
            )

    walk("", detail)
    return fields


def error_body(code: str, detail: str, fields: dict | None = None) -> dict:
    return {"code": code, "detail": detail, "fields": fields or {}}


def exception_handler(exc, context):
    if isinstance(exc, IntegrityError):
        exc = conflict_for(exc)  # a constraint's Chinese sentence and its name as the code
    if isinstance(exc, ApplicationError):
        by_field = {name: [{"code": exc.code, "message": m} for m in msgs] for name, msgs in exc.fields.items()}
        body = error_body(exc.code, exc.message, by_field)
        if exc.data is not None:
            body["data"] = exc.data
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django's 500 handling and logging see it

    code, default_detail = STATUS_CODES.get(response.status_code, ("error", "请求失败。"))
    fields: dict = {}
    detail = default_detail
    if isinstance(exc, exceptions.ValidationError):
        fields = _field_errors(exc.detail)
        non_field = fields.get("non_field_errors")
        if non_field and len(fields) == 1:
            detail = non_field[0]["message"]
    elif isinstance(exc, exceptions.APIException):
        raw = exc.detail
        if isinstance(raw, exceptions.ErrorDetail):
            code = raw.code if raw.code not in (None, "invalid", "error") else code
        wait = getattr(exc, "wait", None)  # Throttled sets it in __init__; the stubs do not declare it
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            detail = f"请求过于频繁，请在 {int(wait) + 1} 秒后重试。"
        elif isinstance(exc, exceptions.AuthenticationFailed):
            detail = "认证失败：用户名、密码或令牌无效。"
    response.data = error_body(code, detail, fields)
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response
