from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.applicants.models import DuplicateCandidate, Person, StatusTag


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "masked_id_number", "sex", "birth_date", "region")
    list_filter = ("sex", "hukou_type")
    search_fields = ("name", "=id_number", "phone")
    autocomplete_fields = ("region", "hukou_region")
    readonly_fields = ("birth_date", "sex", "birthplace_code")

    def save_model(self, request, obj, form, change):
        from apps.applicants.services import person_save

        person_save(person=obj)

    def get_queryset(self, request):
        from apps.core.scoping import scope_queryset

        return scope_queryset(super().get_queryset(request).select_related("region"), request.user)


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(SimpleHistoryAdmin):
    list_display = ("person", "other_id_number", "status", "resolved_by", "resolved_at")
    list_filter = ("status",)
    raw_id_fields = ("person", "other")

    def get_queryset(self, request):
        from apps.core.scoping import scope_queryset

        return scope_queryset(super().get_queryset(request).select_related("person"), request.user, "person__region")


@admin.register(StatusTag)
class StatusTagAdmin(SimpleHistoryAdmin):
    list_display = ("person", "tag", "since", "until")
    list_filter = ("tag",)
    raw_id_fields = ("person",)

    def get_queryset(self, request):
        from apps.core.scoping import scope_queryset

        return scope_queryset(super().get_queryset(request).select_related("person"), request.user, "person__region")
