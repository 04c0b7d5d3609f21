from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.applicants.bank_details import person_bank_details
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
from apps.core.api.fields import IdNumberField, bank_account_for, full_bank_account_allowed
from apps.core.api.idempotency import idempotent
from apps.core.bank import validate_bank_account
from apps.core.models import AccessLog

BANK_FIELDS = ["bank_name", "bank_account", "bank_account_name"]


class PersonListSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    bank_account = serializers.CharField(source="masked_bank_account", read_only=True)  # a list always masks
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "id_number", "sex", "birth_date", "region_code", "bank_name", "bank_account"]


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
    bank_account = serializers.SerializerMethodField()
    bank_account_name_matches = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "id_number", "sex", "birth_date", "birthplace_code", "birthplace_known", "phone",
                  "hukou_type", "hukou_region_code", "region_code", "address", *BANK_FIELDS,
                  "bank_account_name_matches", "status_tags", "enrollments", "household", "created_at", "updated_at"]

    def get_bank_account(self, person) -> str:
        """In full only in a detail for staff in a session or a token with `full_bank_account` (the view logs
        that read), else 6217************4567 — as id_number is."""
        return bank_account_for(self.context.get("request"), person.bank_account, detail=True)

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
        fields = ["id_number", "name", "phone", "hukou_type", "hukou_region_code", "region_code", "address",
                  *BANK_FIELDS]
        extra_kwargs: dict[str, dict[str, Any]] = {"id_number": {"validators": []}}  # uniqueness is the service's conflict, not a 400

    bank_account = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def validate_bank_account(self, value: str) -> str:
        """Spaces and full-width digits normalised, then the one check (apps.core.bank): a Chinese reason + code."""
        try:
            return validate_bank_account(value) if value else ""
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages[0], code=error.code) from error

    def validate(self, attrs):
        """The person's own account (apps.applicants.bank_details): 户名 = the name; on a PATCH the stored values
        fill in what is not sent."""
        def current(name: str) -> str:
            return attrs[name] if name in attrs else getattr(self.instance, name, "") or ""

        if not any(name in attrs for name in BANK_FIELDS):
            return attrs
        cleaned, problems = person_bank_details(name=current("name"), bank_name=current("bank_name"),
                                                account=current("bank_account"),
                                                account_name=current("bank_account_name"))
        if problems:
            errors: dict[str, list] = {}
            for problem in problems:
                errors.setdefault(problem.field, []).append(ErrorDetail(problem.message, code=problem.code))
            raise serializers.ValidationError(errors)
        return {**attrs, **cleaned}


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

    def _detail(self, person) -> dict:
        """A detail answer; a full account number shown is a read of the access log (as for employers)."""
        if person.bank_account and full_bank_account_allowed(self.request):
            audit.log_read(user=self.request.user, obj=person, request=self.request, action=AccessLog.Action.API,
                           purpose="查看银行账号")
        return PersonDetailSerializer(person, context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    def _save(self, person, data):
        for name, value in data.items():
            setattr(person, name, value or None if name == "hukou_region_id" else value)
        return person_save(person=person, user=self.request.user)

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = PersonWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = self._save(Person(), serializer.validated_data)
        return Response(self._detail(person), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        person = self.get_object()
        serializer = PersonWriteSerializer(person, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        person = self._save(person, serializer.validated_data)
        return Response(self._detail(person))
