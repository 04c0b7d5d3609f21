"""Back office: read-only. Every write goes through the services (hash binding, four eyes), so the admin
shows batches, lines and events and changes none of them."""

from django.contrib import admin

from apps.core.scoped_admin import ReadOnlyAdminMixin, RegionScopedAdminMixin
from apps.payments.models import PaymentBatch, PaymentEvent, PaymentLine


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "user", "note", "sha256", "at")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PaymentBatch)
class PaymentBatchAdmin(RegionScopedAdminMixin, ReadOnlyAdminMixin):
    list_display = ("id", "source", "source_id", "kind", "status", "row_count", "total_amount", "region",
                    "prepared_by", "approved_by", "issued_at")
    list_filter = ("status", "kind", "source")
    list_select_related = ("region", "prepared_by", "approved_by")
    inlines = [PaymentEventInline]


@admin.register(PaymentLine)
class PaymentLineAdmin(RegionScopedAdminMixin, ReadOnlyAdminMixin):
    list_display = ("reference", "payee_name", "bank_name", "masked_account", "amount", "status", "failure_reason")
    list_filter = ("status",)
    search_fields = ("=reference", "payee_name")
    region_field = "batch__region"
    scoped_region_fields = ()
    list_select_related = ("batch",)
    exclude = ("account_number",)  # the full number only in the issued file (read-audited)

    @admin.display(description="银行账号")
    def masked_account(self, obj):
        return obj.masked_account
