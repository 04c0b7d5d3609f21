"""`Idempotency-Key` on every API POST that creates — the API's counterpart of the UI's one-time form tokens
(apps.core.idempotency), one implementation for every such operation: decorate the handler with `@idempotent`
(outermost, above `@action` and `@extend_schema`); that also documents the header in the OpenAPI schema.

A client that may retry (a timeout, a lost answer) sends a key of its choosing, unique per intended write:
- no header: an ordinary request;
- first use of a key: the request runs, and the claim row, the request's fingerprint (method, path, body) and
  the response are written in the same transaction as the write itself;
- the same key, the same user, the same body again: the stored response (same status, same body), nothing is
  created; the header `Idempotent-Replayed: true` says so;
- the same key with a different body (or another operation): 422 `idempotency_key_reused`, nothing runs;
- a request that raises (a validation error, a refusal) rolls its claim back with everything else: the key is
  free for the corrected request. A response the handler returns (a 400 import rejection that keeps its
  batch) is stored and replayed like any other.
Keys are per user and expire after IDEMPOTENCY_KEY_TTL_HOURS (24 h); an expired key is freed when it is
reused, and an hourly task deletes the rest.

Concurrency: two requests with one key insert the same (user, key) under a UNIQUE index. On PostgreSQL the
second insert waits until the first transaction ends; it then fails and reads the committed response, so the
write happens once — a database constraint, not a check in Python (tests/security/test_races.py).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.models import FormSubmission, IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")  # printable ASCII without spaces, as the IETF draft's examples
REUSED_CODE = "idempotency_key_reused"
REUSED_MESSAGE = "该幂等键已用于另一个不同的请求，请为新的请求使用新的幂等键（Idempotency-Key）"

PARAMETER = OpenApiParameter(
    name=HEADER, type=OpenApiTypes.STR, location=OpenApiParameter.HEADER, required=False,
    description=("幂等键（可选，1–255 个可见 ASCII 字符，由客户端为每次要执行的写入生成，如 UUID）。同一用户在 "
                 f"{settings.IDEMPOTENCY_KEY_TTL_HOURS} 小时内以相同的键和相同的请求体重试，返回第一次的响应"
                 f"（状态码与内容相同，响应头 {REPLAYED_HEADER}: true），不会重复创建；同一键配不同的请求体返回 422 "
                 f"`{REUSED_CODE}`。Retry-safe creation: the same key and body replay the first response."),
)


class IdempotencyKeyReused(ApplicationError):
    """422: the key names another request (the client's bug, not a conflict with the data)."""

    status_code = 422


def ttl() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)


def _canonical(value):
    """The body as data, not bytes: key order, whitespace and multipart boundaries do not change it; an uploaded
    file counts by its name and content."""
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "sha256": digest.hexdigest()}
    if hasattr(value, "lists"):  # a QueryDict (form or multipart body)
        return {key: [_canonical(item) for item in items] for key, items in value.lists()}
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


def fingerprint(request) -> str:
    files = getattr(request, "FILES", None) or {}
    body = {"data": _canonical(request.data), "files": _canonical(files) if files else {}}
    text = json.dumps([request.method, request.path, body], cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY_PATTERN.fullmatch(key):
        raise ApplicationError("invalid_idempotency_key", "幂等键（Idempotency-Key）须为 1–255 个可见 ASCII 字符",
                               {HEADER: ["须为 1–255 个可见 ASCII 字符"]})
    return key


def _replay(stored: IdempotencyKey) -> Response:
    return Response(stored.response_body, status=stored.status_code, headers={REPLAYED_HEADER: "true"})


def idempotent(handler):
    """Wrap a DRF handler `(self, request, *args, **kwargs)` that creates; documents the header too."""

    @functools.wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = _key(request)
        if key is None:
            return handler(self, request, *args, **kwargs)
        print_ = fingerprint(request)
        with transaction.atomic():
            IdempotencyKey.objects.filter(user=request.user, key=key,
                                          created_at__lt=timezone.now() - ttl()).delete()
            try:
                with transaction.atomic():
                    claim = IdempotencyKey.objects.create(user=request.user, key=key, fingerprint=print_,
                                                          endpoint=f"{request.method} {request.path}"[:300])
            except IntegrityError:
                stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
                if stored is not None and stored.fingerprint != print_:
                    raise IdempotencyKeyReused(REUSED_CODE, REUSED_MESSAGE, {HEADER: [REUSED_MESSAGE]}) from None
                if stored is None or stored.status_code is None:  # freed between the insert and the read
                    raise ConflictError("idempotency_key_busy", "该幂等键的请求正在处理，请稍后重试") from None
                return _replay(stored)
            response = handler(self, request, *args, **kwargs)
            body = json.loads(json.dumps(getattr(response, "data", None), cls=JSONEncoder))
            IdempotencyKey.objects.filter(pk=claim.pk).update(status_code=response.status_code, response_body=body)
            return response

    return extend_schema(parameters=[PARAMETER])(wrapper)


def purge_expired() -> int:
    """Delete API keys and UI form tokens (apps.core.idempotency) older than the TTL (hourly task); returns how
    many. A form resent after that long is an ordinary post again."""
    cutoff = timezone.now() - ttl()
    keys, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    tokens, _ = FormSubmission.objects.filter(at__lt=cutoff).delete()
    return keys + tokens


class IdempotentCreateMixin:
    """For a viewset whose POST is DRF's own `CreateModelMixin.create` (the service runs in perform_create):
    list it before CreateModelMixin."""

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)  # type: ignore[misc]
