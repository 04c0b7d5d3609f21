"""What every child-welfare endpoint shares: who may call it, choice fields documented inline, the backend
that documents a FilterSet the selector has already run, and the logged read of one record."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from apps.accounts.permissions import STAFF_ROLES, HasRole
from apps.child_welfare import selectors
from apps.core import audit
from apps.core.api.filters import FilteredBySelector
from apps.core.api.views import RecordBeforeBody
from apps.core.models import AccessLog

StaffOnly = HasRole.of(*STAFF_ROLES)


@extend_schema_field({"type": "string"})
class InlineChoiceField(serializers.ChoiceField):
    """Choices documented inline in the schema. Several of our models share choice sets under different field
    names (status / from_status / to_status); named enum components would collide across apps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.help_text = (self.help_text or "") + "（" + "、".join(f"{k}={v}" for k, v in self.choices.items()) + "）"


class ModelSerializer(serializers.ModelSerializer):
    serializer_choice_field = InlineChoiceField


class ChildRecordViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A case's records (assessments, plans, visits, referrals): listed through their selector with the query
    parameters as filters; retrieving one is a read of the child's data, logged against the record."""

    permission_classes = [StaffOnly]
    filter_backends = [FilteredBySelector, OrderingFilter]
    lookup_value_regex = r"\d+"

    def records(self, *, user, filters):
        raise NotImplementedError

    def get_queryset(self):
        return self.records(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return selectors.child_record_get(self.records(user=self.request.user, filters=None), self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        """A page of a child's records is a read of each (the case list logs its cases the same way)."""
        response = super().list(request, *args, **kwargs)
        model = self.get_queryset().model
        ids = [row["id"] for row in response.data.get("results", [])]
        audit.log_bulk_read(user=request.user, model=model, ids=ids, request=request, action=AccessLog.Action.API)
        return response

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit.log_read(user=request.user, obj=obj, request=request, action=AccessLog.Action.API)
        return Response(self.get_serializer(obj).data)
