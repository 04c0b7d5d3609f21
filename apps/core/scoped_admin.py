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

from apps.core.exceptions import ApplicationError
from apps.core.forms import add_service_error
from apps.core.models import Region
from apps.core.scoping import scope_queryset, visible_regions


class ServiceRefusalAdminMixin(admin.ModelAdmin):
    """A save the owning service refuses is shown on the change form, under the field it names, with what was typed.

    `save_model` hands the object to the service; an ApplicationError it raises (an overlapping period, a
    frozen year, a region outside the user's scope) escapes Django's atomic block, which rolls the save back.
    The form is then built once more from the same POST with the refusal added in its `clean()`
    (apps.core.forms.add_service_error): it is invalid, so the admin renders it with the field errors and the
    input kept, and `save_model` is not called again. Before, each admin chose one of two losses — the Chinese
    error page, or a redirect to an empty form with the message on top.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as error:
            if request.method != "POST" or hasattr(request, "_admin_service_refusal"):
                raise  # a refusal while showing the form, or on the second pass: the error page (middleware)
            request._admin_service_refusal = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, *args, **kwargs):  # as given: UserAdmin's get_form takes no `change` argument
        form_class = super().get_form(request, *args, **kwargs)
        refusal: ApplicationError | None = getattr(request, "_admin_service_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):  # type: ignore[valid-type,misc]
            def clean(self):
                cleaned = super().clean()
                add_service_error(self, refusal)  # type: ignore[arg-type]  # not None: checked above
                return cleaned

        return RefusedForm


class RelatedChoicesScopedMixin(ServiceRefusalAdminMixin, admin.ModelAdmin):
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


class ReadOnlyAdminMixin(admin.ModelAdmin):
    """Back-office pages of records that only the services write: view, never add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SupervisorViewMixin(admin.ModelAdmin):
    """Supervisors and administrators with admin access may look (in their region: the admin's queryset)."""

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff and request.user.is_supervisor)

    def has_module_permission(self, request):
        return self.has_view_permission(request)
