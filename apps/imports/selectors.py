from django.db.models import QuerySet

from apps.core.exceptions import NotFoundError
from apps.core.scoping import scope_queryset
from apps.imports.models import ImportBatch, ImportIssue

# How many problems a JSON answer carries inline; all of them are in the error report (`errors_url`).
API_ERROR_LIMIT = 10_000


def batch_list(*, user) -> QuerySet[ImportBatch]:
    """A user sees their own imports; supervisors and administrators those of users in their region."""
    queryset = ImportBatch.objects.select_related("created_by")
    if getattr(user, "is_supervisor", False):
        return scope_queryset(queryset, user, "created_by__region")
    return queryset.filter(created_by=user)


def batch_get(*, user, pk: int) -> ImportBatch:
    batch = batch_list(user=user).filter(pk=pk).first()
    if batch is None:
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    return batch


def batch_issues(*, batch: ImportBatch) -> QuerySet[ImportIssue]:
    return ImportIssue.objects.filter(batch=batch).order_by("line", "id")
