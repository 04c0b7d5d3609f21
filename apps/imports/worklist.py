"""The imports' 待办 (registered in ImportsConfig.ready()): my own imports that failed or were refused in the
last days of the window, until a later import of the same kind by me succeeds."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from apps.core.registry import WorkItem, WorklistSource, worklist_window
from apps.imports.models import ImportBatch

S = ImportBatch.Status
WHY: dict[str, str] = {S.REJECTED: "校验未通过，未导入任何数据：请按错误报告修改文件后重新导入",
       S.FAILED: "导入失败，未写入任何数据：请查看说明后重新导入"}


def my_failed_imports(user, today):
    since = timezone.now() - timedelta(days=worklist_window("failed_imports"))
    later_success = ImportBatch.objects.filter(created_by=user, kind=OuterRef("kind"), status=S.SUCCEEDED,
                                               pk__gt=OuterRef("pk"))
    return (ImportBatch.objects.filter(created_by=user, status__in=list(WHY), started_at__gte=since)
            .exclude(Exists(later_success)).order_by("id"))  # id follows started_at; the primary key serves it


def import_item(batch: ImportBatch) -> WorkItem:
    errors = f"（{batch.error_count} 处错误）" if batch.error_count else ""
    return WorkItem(what=f"{batch.get_kind_display()} · {batch.file_name}", why=f"{WHY[batch.status]}{errors}",
                    url=reverse("imports:detail", args=[batch.pk]), since=batch.started_at)


SOURCES = (
    WorklistSource(key="imports.failed", module="imports", label="导入未成功", queryset=my_failed_imports,
                   item=import_item, order=70),
)
