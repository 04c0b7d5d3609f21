"""Reads: objections scoped by region, the holds a source asks for, one objection's events and files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

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


def upheld_comparison(*, source: str, record, facts: dict[str, tuple[str, Callable[[Any], Any]]],
                      amount_label: str) -> dict | None:
    """新旧对照 of a record whose result is its history row (a claim): after the latest upheld objection that
    recomputed it, the history rows it changed from and to (two queries). `facts` is name → (Chinese label,
    how to show the value); the amount comes last under `amount_label`. None before any recomputation."""
    objection = (Objection.objects.filter(source=source, record_id=record.pk, new_result_id__isnull=False)
                 .order_by("-decided_at", "-pk").first())
    if objection is None:
        return None
    rows = record.history.model.objects.in_bulk([objection.result_id, objection.new_result_id])
    old, new = rows.get(objection.result_id), rows.get(objection.new_result_id)
    if old is None or new is None:
        return None
    lines = []
    for name, (label, show) in facts.items():
        before, after = show(getattr(old, name)), show(getattr(new, name))
        lines.append({"label": label, "old": before, "new": after, "changed": before != after})
    lines.append({"label": amount_label, "old": f"{old.amount:,.2f}", "new": f"{new.amount:,.2f}",
                  "changed": old.amount != new.amount})
    return {"objection": objection, "old": old, "new": new, "facts": lines}
