"""Reads of personal data are logged here; changes are recorded by django-simple-history."""

import ipaddress
from collections.abc import Iterator, Mapping

from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from apps.core.exceptions import NotFoundError
from apps.core.filters import AccessLogFilter, filter_or_raise
from apps.core.models import AccessLog
from apps.core.registry import HISTORY_MODELS
from apps.core.scoping import get_scoped_or_404, scope_queryset


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address as the nearest trusted proxy saw it.

    X-Forwarded-For is written by whoever sends the request: only the last TRUSTED_PROXY_COUNT entries were
    appended by our own proxies, so the entry just before them is the client (0 proxies: the peer address,
    the header ignored). A forged or malformed value is never stored: the peer address instead."""
    if request is None:
        return None
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < proxies or not hops[-proxies]:
        return remote
    return _valid_ip(hops[-proxies]) or remote


def log_read(*, user, obj: Model, request=None, action: str = AccessLog.Action.VIEW, purpose: str = "") -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:200],
        purpose=purpose[:200],
        path=(request.get_full_path()[:300] if request is not None else ""),
        ip_address=client_ip(request),
    )


def log_bulk_read(*, user, model: type[Model], ids: list, request=None, action: str = AccessLog.Action.EXPORT,
                  purpose: str = "") -> AccessLog | None:
    """A list page, an API page or an export: one entry naming every record it showed (none if it showed
    none). `reads_of` finds it among one record's reads."""
    if not ids:
        return None
    noun = "导出" if action == AccessLog.Action.EXPORT else "列表"
    return AccessLog.objects.create(
        user=user, action=action, object_type=model._meta.label_lower, object_id="",
        object_ids="," + ",".join(str(pk) for pk in ids) + ",", record_count=len(ids),
        object_label=f"{model._meta.verbose_name}{noun}（{len(ids)} 条）"[:200], purpose=purpose[:200],
        path=(request.get_full_path()[:300] if request is not None else ""), ip_address=client_ip(request),
    )


def reads_of(label_lower: str, pk) -> QuerySet[AccessLog]:
    """Every read of one record: its own entries and the list pages and exports that showed it."""
    return AccessLog.objects.filter(Q(object_id=str(pk)) | Q(object_ids__contains=f",{pk},"),
                                    object_type=label_lower)


def history_rows(obj: Model, limit: int = 100) -> list[dict]:
    """The record's change history, newest first, with field-level differences (for supervisors)."""
    history = getattr(obj, "history")  # noqa: B009 — simple-history's manager, unknown to the Model type
    records = list(history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                changes.append({"field": str(getattr(field, "verbose_name", change.field)),
                                "old": change.old, "new": change.new})
        rows.append({"record": record, "type": record.get_history_type_display(), "changes": changes,
                     "user": record.history_user, "date": record.history_date,
                     "reason": record.history_change_reason})
    return rows


def history_record_get(*, user, app_label: str, model_name: str, pk: int) -> Model:
    """The record whose history a supervisor opens: of a registered model (apps.core.registry), in their region."""
    label = f"{app_label}.{model_name}"
    if label not in HISTORY_MODELS:
        raise NotFoundError()
    model = apps.get_model(label)
    return get_scoped_or_404(model.objects.all(), user, HISTORY_MODELS[label], pk=pk)


def record_reads(obj: Model, limit: int = 50) -> QuerySet[AccessLog]:
    """The latest reads of one record, newest first."""
    return reads_of(obj._meta.label_lower, obj.pk).select_related("user").order_by("-at")[:limit]


def access_log_list(*, user, filters: Mapping[str, str] | None = None) -> QuerySet[AccessLog]:
    """Who read personal data — the reads of users in the viewer's region, newest first, through the access
    log's filters (a value that doesn't parse is a 400, never ignored)."""
    logs = scope_queryset(AccessLog.objects.select_related("user", "user__region"), user, "user__region")
    return filter_or_raise(AccessLogFilter, filters, logs).order_by("-at", "-pk")


ACCESS_LOG_HEADER = ["时间", "用户", "姓名", "操作", "记录类型", "记录", "记录编号", "记录数", "事由", "访问地址", "IP地址"]


def access_log_rows(logs: QuerySet[AccessLog]) -> Iterator[list]:
    """The access log as a table (header first), for its CSV export: labels, not codes."""
    yield ACCESS_LOG_HEADER
    for log in logs.iterator(chunk_size=2000):
        yield [timezone.localtime(log.at).strftime("%Y-%m-%d %H:%M:%S"), log.user.username, log.user.display_name,
               log.get_action_display(), log.object_type_label, log.object_label,
               log.object_id or " ".join(log.listed_ids), log.record_count, log.purpose, log.path,
               log.ip_address or ""]


class AuditedReadAdminMixin:
    """Admin: opening a record's change page or its history page is a read of personal data — logged like
    the caseworker UI's detail page (a list is not: it shows masked numbers)."""

    audit_purposes = {"change": "后台查看", "history": "后台查看变更记录"}

    def _log_admin_read(self, request, object_id, response, view: str) -> None:
        if request.method != "GET" or getattr(response, "status_code", None) != 200:
            return
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if obj is not None:
            log_read(user=request.user, obj=obj, request=request, purpose=self.audit_purposes[view])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        self._log_admin_read(request, object_id, response, "change")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)  # type: ignore[misc]
        self._log_admin_read(request, object_id, response, "history")
        return response
