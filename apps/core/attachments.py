"""Attachments: one way to take a file from a client, store it and give it back.

* **Type by content.** Only PDF, JPEG and PNG, recognised by their first bytes (magic numbers); the
  client's name and Content-Type must agree with what the bytes are — a file that lies is refused
  (`attachment_type_mismatch`), anything else is `attachment_type_not_allowed`.
* **Size by bytes read**, never the declared size: the upload is read in chunks and refused as soon as it
  passes `ATTACHMENT_MAX_BYTES` (`attachment_too_large`); an empty file is `attachment_empty`.
* **Our own stored name** (`attachments/<yyyy>/<mm>/<uuid>.<ext>`); the client's name is only kept, cleaned
  (no directory part, no control characters, at most 100 characters), as the download name.
* **Storage**: Django's default storage (`STORAGES["default"]`: FileSystemStorage under MEDIA_ROOT, or
  django-storages' S3Storage when S3_BUCKET is set — config.settings.base.default_storage_settings). MEDIA_ROOT is never served by URL: files go out only through
  `attachment_response`, called by the owning app's scoped view, which writes an AccessLog row and answers
  `Content-Disposition: attachment` with `X-Content-Type-Options: nosniff`.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Model
from django.http import FileResponse
from django.utils import timezone

from apps.core.audit import log_read
from apps.core.exceptions import ApplicationError
from apps.core.models import Attachment

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Content type → (magic prefix, extensions a client's name may carry).
TYPES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "application/pdf": (b"%PDF-", ("pdf",)),
    "image/jpeg": (b"\xff\xd8\xff", ("jpg", "jpeg")),
    "image/png": (b"\x89PNG\r\n\x1a\n", ("png",)),
}
GENERIC_CONTENT_TYPES = {"", "application/octet-stream", "binary/octet-stream"}
ALLOWED_LABEL = "PDF、JPEG 或 PNG"
NAME_MAX = 100


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes) -> str | None:
    """The content type the bytes are, or None when they are none of the allowed ones."""
    return next((kind for kind, (magic, _ext) in TYPES.items() if head.startswith(magic)), None)


def clean_name(raw: str, content_type: str) -> str:
    """The client's file name without any directory part or control character, with the type's extension."""
    name = unicodedata.normalize("NFKC", raw or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>:|?*]", "", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    allowed = TYPES[content_type][1]
    if ext.lower() not in allowed:
        ext = allowed[0]
    stem = stem[: NAME_MAX - len(ext) - 1] or "附件"
    return f"{stem}.{ext.lower()}"


def _read_limited(upload) -> bytes:
    """Every byte of the upload, refusing as soon as more than the limit has been read."""
    limit = max_bytes()
    buffer = io.BytesIO()
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    for chunk in chunks:
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise ApplicationError("attachment_too_large", f"附件不能超过 {limit // (1024 * 1024) or 1} MB",
                                   {"file": [f"文件超过 {limit} 字节的上限"]})
    return buffer.getvalue()


def attachment_store(*, user, owner: Model, region_code: str, upload, description: str = "") -> Attachment:
    """Check and store one uploaded file for `owner`. Call inside the owner's service transaction."""
    data = _read_limited(upload)
    if not data:
        raise ApplicationError("attachment_empty", "附件是空文件", {"file": ["空文件"]})
    content_type = sniff(data[:16])
    if content_type is None:
        raise ApplicationError("attachment_type_not_allowed", f"附件只能是 {ALLOWED_LABEL} 文件",
                               {"file": [f"文件内容不是 {ALLOWED_LABEL}"]})
    raw_name = getattr(upload, "name", "") or ""
    _stem, dot, ext = raw_name.rpartition(".")
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if (dot and ext.lower() in {e for _m, exts in TYPES.values() for e in exts}
            and ext.lower() not in TYPES[content_type][1]) or (
            declared not in GENERIC_CONTENT_TYPES and declared != content_type
            and not (declared == "image/jpg" and content_type == "image/jpeg")):
        raise ApplicationError("attachment_type_mismatch", "附件的文件名或声明类型与文件内容不符",
                               {"file": ["文件内容与扩展名或类型不符"]})
    now = timezone.now()
    stored = default_storage.save(
        f"attachments/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{TYPES[content_type][1][0]}", ContentFile(data))
    return Attachment.objects.create(
        owner_type=owner._meta.label_lower, owner_id=str(owner.pk), region_id=region_code,
        name=clean_name(raw_name, content_type), stored_name=stored, content_type=content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), description=description[:200], uploaded_by=user)


def attachments_of(owner: Model):
    return Attachment.objects.filter(owner_type=owner._meta.label_lower, owner_id=str(owner.pk)).order_by("id")


def attachment_response(*, attachment: Attachment, user, request=None) -> FileResponse:
    """The file as a download, after an access-log row. The caller has checked the owner's scope."""
    log_read(user=user, obj=attachment, request=request, purpose="下载附件")
    response = FileResponse(default_storage.open(attachment.stored_name, "rb"), as_attachment=True,
                            filename=attachment.name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
