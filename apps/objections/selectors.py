"""Reads: objections scoped by region, the holds a source asks for, one objection's events and files."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet

from apps.core.attachments import attachments_of
from apps.core.exceptions import ApplicationError
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.objections.models import Objection


def objection_list(*, user, source: str | None = None, record_id: int | None = None,
                   status: str | None = None) -> QuerySet[Objection]:
    queryset = scope_queryset(Objection.objects.select_related("assignee", "entered_by"), user)
    if source:
        queryset = queryset.filter(source=source)
    if record_id is not None:
        queryset = queryset.filter(record_id=record_id)
    if status:
        if status not in Objection.Status.values:
            raise ApplicationError("invalid_filter", "状态筛选值无效", {"status": ["无效的状态"]})
        queryset = queryset.filter(status=status)
    return queryset.order_by("-id")


def objection_get(*, user, pk: int) -> Objection:
    return cast(Objection, get_scoped_or_404(
        Objection.objects.select_related("region", "assignee", "entered_by", "decided_by"), user, pk=pk))


def objection_events(objection: Objection):
    return objection.events.select_related("user").order_by("id")


def objection_attachments(objection: Objection):
    return attachments_of(objection).select_related("uploaded_by")


def open_holds(source: str, record_id: int) -> set[str]:
    """The row keys of `record_id` held by an open objection: a source leaves them out of payment.

    Unscoped on purpose (the payment service asks for a whole record). The rule: an open objection holds its
    employer's row, not the run."""
    return set(Objection.objects.filter(source=source, record_id=record_id, status__in=Objection.OPEN)
               .values_list("row_key", flat=True))


def decided_rows(source: str, record_id: int) -> set[str]:
    """The row keys of `record_id` with a decided objection (upheld or rejected): the only rows a payment source
    may owe after its first file (unscoped, like open_holds)."""
    return set(Objection.objects.filter(source=source, record_id=record_id,
                                        status__in=(Objection.Status.UPHELD, Objection.Status.REJECTED))
               .values_list("row_key", flat=True))


def open_objection_for(source: str, record_id: int, row_key: str) -> Objection | None:
    return (Objection.objects.filter(source=source, record_id=record_id, row_key=row_key,
                                     status__in=Objection.OPEN).first())
