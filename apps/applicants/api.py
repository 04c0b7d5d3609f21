from rest_framework import mixins, serializers, viewsets

from apps.accounts.permissions import HasRole
from apps.applicants.models import Person
from apps.applicants.selectors import person_get, person_list
from apps.core import audit
from apps.core.models import AccessLog


class PersonListSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "id_number", "sex", "birth_date", "region_code"]


class PersonDetailSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "id_number", "sex", "birth_date", "birthplace_code", "phone", "hukou_type",
                  "region_code", "address", "created_at", "updated_at"]


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applicants (人员). Lists mask ID numbers; a detail read is written to the access log."""

    permission_classes = [HasRole]
    queryset = Person.objects.none()

    def get_queryset(self):
        return person_list(user=self.request.user, filters=self.request.query_params)

    def get_serializer_class(self):
        return PersonListSerializer if self.action == "list" else PersonDetailSerializer

    def get_object(self):
        person = person_get(user=self.request.user, pk=self.kwargs["pk"])
        audit.log_read(user=self.request.user, obj=person, request=self.request, action=AccessLog.Action.API)
        return person
