from typing import Any

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.core import audit
from apps.core.api.fields import BANK_DETAILS_FIELDS, BankDetailsSerializerMixin, full_bank_account_allowed
from apps.core.api.idempotency import idempotent
from apps.core.models import AccessLog
from apps.employers.models import Contribution, Employer
from apps.employers.selectors import contribution_get, contribution_list, employer_get, employer_list
from apps.employers.services import employer_save

EMPLOYER_FIELDS = ["uscc", "name", "entity_type", "industry", "employees", "revenue_10k", "assets_10k",
                   "region_code", "serious_dishonesty", "dishonesty_date", "dishonesty_source", "contact_name",
                   "contact_phone", "contact_email", "address", *BANK_DETAILS_FIELDS]


class EmployerSerializer(BankDetailsSerializerMixin, serializers.ModelSerializer):
    """`bank_account` is masked (6222************1234) in lists; in full in a detail only for staff in a session
    or a token with the `full_bank_account` scope — and that read is written to the access log."""

    region_code = serializers.CharField(source="region_id", max_length=12)
    class Meta:
        model = Employer
        fields = ["id", *EMPLOYER_FIELDS]
        extra_kwargs: dict[str, dict[str, Any]] = {"uscc": {"validators": []}}


class EmployerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Employers (用人单位), scoped to the caller's region.

    Filters: `q` (name prefix, USCC or its prefix), `region`, `entity_type`, `industry`, `serious_dishonesty`,
    `ordering` (name, employees, created_at, id).
    """

    permission_classes = [HasRole]
    serializer_class = EmployerSerializer
    queryset = Employer.objects.none()
    keyset_pagination = True  # ?cursor= for deep pages (apps.core.api.pagination)
    ordering_fields: list[str] = []

    def get_queryset(self):
        return employer_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return employer_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, employer) -> dict:
        """A detail answer; a full account number shown is a read of the access log."""
        if employer.bank_account and full_bank_account_allowed(self.request):
            audit.log_read(user=self.request.user, obj=employer, request=self.request, action=AccessLog.Action.API,
                           purpose="查看银行账号")
        return EmployerSerializer(employer, context={"request": self.request, "detail": True}).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    def _save(self, employer, data):
        for name, value in data.items():
            setattr(employer, name, value)
        return employer_save(employer=employer, user=self.request.user)

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = EmployerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        employer = self._save(Employer(), serializer.validated_data)
        return Response(self._detail(employer), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        employer = self.get_object()
        serializer = EmployerSerializer(employer, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        return Response(self._detail(self._save(employer, serializer.validated_data)))


class ContributionSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="employer.uscc", read_only=True)

    class Meta:
        model = Contribution
        fields = ["id", "employer", "uscc", "period", "insured_headcount", "amount_due", "paid_employer",
                  "paid_employee", "late_fee", "import_batch"]


class ContributionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly unemployment-insurance contributions (read-only here; written by file import).

    Filters: `employer` (id), `uscc`, `period_from`, `period_to` (YYYY-MM-DD), `ordering` (period, employer).
    """

    permission_classes = [HasRole]
    serializer_class = ContributionSerializer
    queryset = Contribution.objects.none()
    keyset_pagination = True  # ?cursor= for deep pages (apps.core.api.pagination)
    ordering_fields: list[str] = []

    def get_queryset(self):
        return contribution_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return contribution_get(user=self.request.user, pk=self.kwargs["pk"])
