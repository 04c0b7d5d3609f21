from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.scoped_admin import RegionScopedAdminMixin


@admin.register(User)
class UserAdmin(RegionScopedAdminMixin, BaseUserAdmin):
    """A regional administrator manages the accounts of their region (and gives no region above it)."""

    list_display = ("username", "display_name", "role", "region", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "phone")
    autocomplete_fields = ("region",)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("经办权限"), {"fields": ("role", "region", "phone")}),
    )
    add_fieldsets = (
        *(BaseUserAdmin.add_fieldsets or ()),
        (_("经办权限"), {"fields": ("role", "region")}),
    )

    @admin.display(description=_("姓名"))
    def display_name(self, obj: User) -> str:
        return str(obj)
