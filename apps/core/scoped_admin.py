"""The back office sees what the caseworker UI sees: one mixin scopes an admin's rows and its region choices.

A superuser sees everything; a staff user sees their region and below; a staff user without a region sees
nothing (apps.core.scoping fails closed). Saves still go through the owning service with request.user, which
refuses a region outside the user's scope a second time.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from apps.core.models import Region
from apps.core.scoping import scope_queryset, visible_regions


class RelatedChoicesScopedMixin(admin.ModelAdmin):
    """A foreign key or many-to-many select offers the records the related model's own admin shows this user.

    Without it an add form listed every row of the related table (the employers of the province in a
    contribution's form, every person's follow-up in a worklist item's), whatever the user's region
    (tests/security/test_access_matrix.py). A related model without an admin keeps Django's default.
    """

    def _related_choices(self, db_field, request, kwargs) -> None:
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if "queryset" not in kwargs and related_admin is not None and related_admin is not self:
            kwargs["queryset"] = related_admin.get_queryset(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._related_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._related_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RegionScopedAdminMixin(RelatedChoicesScopedMixin, admin.ModelAdmin):
    region_field = "region"  # path from the model to its Region FK, for scope_queryset
    scoped_region_fields: tuple[str, ...] = ("region",)  # Region FKs whose choices are limited to the scope

    def get_queryset(self, request) -> QuerySet:
        return scope_queryset(super().get_queryset(request), request.user, self.region_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.scoped_region_fields and db_field.related_model is Region:
            kwargs["queryset"] = visible_regions(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedHistoryAdmin(RelatedChoicesScopedMixin, SimpleHistoryAdmin):
    """simple_history's history pages for the records this admin's `get_queryset` shows, and no others.

    SimpleHistoryAdmin's history list falls back to the latest historical row when the object is not in the
    admin's queryset, and its history form looks the version up in the whole history table: a staff user of
    another region read any record's history by id (tests/security/test_access_matrix.py). Here an object
    outside the queryset is a 404 on both pages, whoever's region it is in.
    """

    def _check_visible(self, request, object_id) -> None:
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._check_visible(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


class ReadOnlyAdminMixin:
    """Back-office pages that show records and change none: every write goes through the owning service."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
