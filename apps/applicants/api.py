from typing import Any

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.applicants.models import HouseholdMember, InsuranceEnrollment, Person, StatusTag
from apps.applicants.selectors import (
    person_enrollments,
    person_get,
    person_household,
    person_list,
    person_status_tags,
)
from apps.applicants.services import person_save
from apps.core import audit
from apps.core.api.fields import IdNumberField
from apps.core.api.idempotency import idempotent
from apps.core.models import AccessLog


class PersonListSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "id_number", "sex", "birth_date", "region_code"]


class StatusTagSerializer(serializers.ModelSerializer):
    # The response field is called `label`, which the stubs take for Serializer.label (a str).
    label = serializers.CharField(source="get_tag_display", read_only=True)  # type: ignore[assignment]

    class Meta:
        model = StatusTag
        fields = ["id", "tag", "label", "since", "until", "note"]


class EnrollmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = InsuranceEnrollment
        fields = ["id", "kind", "start_date", "end_date", "contribution_base", "months_contributed"]


class MemberSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    birth_date = serializers.DateField(source="person.birth_date", read_only=True)

    class Meta:
        model = HouseholdMember
        fields = ["person_id", "name", "id_number", "birth_date", "relation"]


class PersonDetailSerializer(serializers.ModelSerializer):
    id_number = IdNumberField()  # in full only for staff and tokens with the full-ID scope
    region_code = serializers.CharField(source="region_id", read_only=True)
    hukou_region_code = serializers.CharField(source="hukou_region_id", read_only=True)
    status_tags = serializers.SerializerMethodField()
    enrollments = serializers.SerializerMethodField()
    household = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name", "id_number", "sex", "birth_date", "birthplace_code", "birthplace_known", "phone",
                  "hukou_type", "hukou_region_code", "region_code", "address", "status_tags", "enrollments", "household",
                  "created_at", "updated_at"]

    def get_status_tags(self, person) -> list[dict]:
        return list(StatusTagSerializer(person_status_tags(person=person), many=True).data)

    def get_enrollments(self, person) -> list[dict]:
        return list(EnrollmentSerializer(person_enrollments(person=person), many=True).data)

    def get_household(self, person) -> list[dict]:
        return list(MemberSerializer(person_household(person=person), many=True).data)


class PersonWriteSerializer(serializers.ModelSerializer):
    """Birth date, sex and birthplace are not accepted: they come from the ID number."""

    region_code = serializers.CharField(source="region_id", max_length=12)
    hukou_region_code = serializers.CharField(source="hukou_region_id", max_length=12, required=False,
                                              allow_null=True, allow_blank=True)

    class Meta:
        model = Person
        fields = ["id_number", "name", "phone", "hukou_type", "hukou_region_code", "region_code", "address"]
        extra_kwargs: dict[str, dict[str, Any]] = {"id_number": {"validators": []}}  # uniqueness is the service's conflict, not a 400


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Applicants (人员). Lists mask ID numbers; a detail read is written to the access log.

    Filters: `q` (name prefix, full ID number, masked ID `2201**********123X`, last four), `region`, `sex`,
    `hukou_type`, `tag` (currently valid status tag), `ordering` (name, birth_date, created_at, id).
    """

    permission_classes = [HasRole]
    queryset = Person.objects.none()
    keyset_pagination = True  # ?cursor= for deep pages (apps.core.api.pagination)
    ordering_fields: list[str] = []  # ordering is the FilterSet's, shared with the UI

    def get_queryset(self):
        return person_list(user=self.request.user, filters=self.request.query_params)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return PersonWriteSerializer
        return PersonListSerializer if self.action == "list" else PersonDetailSerializer

    def get_object(self):
        person = person_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.action == "retrieve":
            audit.log_read(user=self.request.user, obj=person, request=self.request, action=AccessLog.Action.API)
        return person

    def _save(self, person, data):
        for name, value in data.items():
            setattr(person, name, value or None if name == "hukou_region_id" else value)
        return person_save(person=person, user=self.request.user)

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = PersonWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = self._save(Person(), serializer.validated_data)
        return Response(PersonDetailSerializer(person, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        person = self.get_object()
        serializer = PersonWriteSerializer(person, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        person = self._save(person, serializer.validated_data)
        return Response(PersonDetailSerializer(person, context=self.get_serializer_context()).data)
