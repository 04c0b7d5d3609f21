from django.contrib import admin

from apps.core.scoped_admin import RegionScopedAdminMixin
from apps.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    list_display = ("id", "kind", "status", "file_name", "created_by", "started_at", "rows_total", "error_count")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]
    region_field = "created_by__region"  # batches of the importers of the viewer's region
    scoped_region_fields = ()

    def has_add_permission(self, request):
        return False
