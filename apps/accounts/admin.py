from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import DEFAULT_SCOPES, ApiScope, ApiToken, User
from apps.accounts.services import api_token_issue, api_token_save
from apps.core.scoped_admin import RegionScopedAdminMixin


def _security_admin(request) -> bool:
    return bool(request.user.is_active and request.user.is_staff and request.user.is_security_admin)


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

    # 三员分立: the security administrator manages accounts, by role rather than by a permission row; only a
    # superuser grants superuser status or raw permissions, so no account can make itself all three.
    def has_module_permission(self, request):
        return super().has_module_permission(request) or _security_admin(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or _security_admin(request)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or _security_admin(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or _security_admin(request)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else (*fields, "is_superuser", "groups", "user_permissions")


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("权限范围"), choices=ApiScope.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple, initial=DEFAULT_SCOPES,
                                       help_text=_("最小权限：新令牌默认只读、身份证号脱敏"))

    class Meta:
        model = ApiToken
        fields = ("name", "user", "scopes", "expires_at", "is_active")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued and changed by a security administrator (三员分立); the key is shown once."""

    form = ApiTokenForm
    list_display = ("name", "user", "key_prefix", "scope_labels", "expires_at", "is_active", "last_used_at")
    list_filter = ("is_active",)
    search_fields = ("name", "user__username", "key_prefix")
    readonly_fields = ("key_prefix", "created_at", "created_by", "last_used_at")
    autocomplete_fields = ("user",)

    def has_module_permission(self, request):
        return _security_admin(request)

    def has_view_permission(self, request, obj=None):
        return _security_admin(request)

    def has_add_permission(self, request):
        return _security_admin(request)

    def has_change_permission(self, request, obj=None):
        return _security_admin(request)

    def has_delete_permission(self, request, obj=None):
        return _security_admin(request)

    @admin.display(description=_("权限范围"))
    def scope_labels(self, obj: ApiToken) -> str:
        labels = dict(ApiScope.choices)
        return "、".join(str(labels.get(scope, scope)) for scope in obj.scopes or []) or "—"

    def save_model(self, request, obj, form, change):
        if change:
            api_token_save(token=obj, user=request.user)
            return
        token, key = api_token_issue(user=obj.user, name=obj.name, created_by=request.user, scopes=obj.scopes,
                                     expires_at=obj.expires_at)
        obj.pk = token.pk
        obj.key_hash, obj.key_prefix = token.key_hash, token.key_prefix
        self.message_user(request, f"令牌已签发：{key}（只显示这一次，请立即交给对接方妥善保存）",
                          messages.WARNING)
