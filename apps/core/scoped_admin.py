"""The back office sees what the caseworker UI sees: one mixin scopes an admin's rows and its region choices.

A superuser sees everything; a staff user sees their region and below; a staff user without a region sees
nothing (apps.core.scoping fails closed). Saves still go through the owning service with request.user, which
refuses a region outside the user's scope a second time.
"""

from django.contrib import admin
from django.db.models import QuerySet

from apps.core.models import Region
from apps.core.scoping import scope_queryset, visible_regions


class RegionScopedAdminMixin(admin.ModelAdmin):
    region_field = "region"  # path from the model to its Region FK, for scope_queryset
    scoped_region_fields: tuple[str, ...] = ("region",)  # Region FKs whose choices are limited to the scope

    def get_queryset(self, request) -> QuerySet:
        return scope_queryset(super().get_queryset(request), request.user, self.region_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.scoped_region_fields and db_field.related_model is Region:
            kwargs["queryset"] = visible_regions(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
