from rest_framework import mixins, serializers, viewsets

from apps.accounts.permissions import HasRole
from apps.employers.models import Employer
from apps.employers.selectors import employer_get, employer_list


class EmployerSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Employer
        fields = ["id", "uscc", "name", "entity_type", "industry", "employees", "revenue_10k", "assets_10k",
                  "region_code", "serious_dishonesty", "dishonesty_date", "dishonesty_source"]


class EmployerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Employers (用人单位), scoped to the caller's region."""

    permission_classes = [HasRole]
    serializer_class = EmployerSerializer
    queryset = Employer.objects.none()

    def get_queryset(self):
        return employer_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return employer_get(user=self.request.user, pk=self.kwargs["pk"])
