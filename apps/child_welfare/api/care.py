"""/api/v1/child-welfare/{assessments,plans,visits,referrals}/ — the care of a case. Lists filter through
the selectors' FilterSets (`?case=` is a case id; anything else is a 400)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import User
from apps.child_welfare import selectors, services
from apps.child_welfare.api.base import ChildRecordViewSet, InlineChoiceField, ModelSerializer
from apps.child_welfare.filters import AssessmentFilter, PlanItemFilter, ReferralFilter, VisitFilter
from apps.child_welfare.models import Assessment, Domain, PlanItem, Referral, Severity, Visit
from apps.core.api.fields import ScopedPrimaryKeyRelatedField
from apps.core.api.idempotency import idempotent


class DomainSerializer(serializers.Serializer):
    domain = InlineChoiceField(choices=Domain.choices)
    severity = InlineChoiceField(choices=Severity.choices)
    needs = serializers.CharField(allow_blank=True, required=False, default="")


class AssessmentSerializer(ModelSerializer):
    case = ScopedPrimaryKeyRelatedField(scope=selectors.case_queryset)
    domains = DomainSerializer(many=True)
    assessor: serializers.StringRelatedField[User] = serializers.StringRelatedField(read_only=True)
    version = serializers.IntegerField(required=False, help_text="修改时必填：所编辑评估的版本号")

    class Meta:
        model = Assessment
        fields = ["id", "case", "assessed_on", "assessor", "summary", "domains", "version"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["domains"] = [{"domain": d.domain, "severity": d.severity, "needs": d.needs}
                           for d in instance.domains.all()]
        return data


class AssessmentViewSet(ChildRecordViewSet):
    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()
    filterset_class = AssessmentFilter

    def records(self, *, user, filters):
        return selectors.assessment_list(user=user, filters=filters)

    @idempotent
    def create(self, request):
        data = AssessmentSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        assessment = services.assessment_create(
            user=request.user, case_id=v["case"].pk, assessed_on=v["assessed_on"], summary=v.get("summary", ""),
            domains={d["domain"]: d for d in v["domains"]})
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        current = self.get_object()
        data = AssessmentSerializer(current, data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        domains = {d["domain"]: d for d in v["domains"]} if "domains" in v else {
            d.domain: {"severity": d.severity, "needs": d.needs} for d in current.domains.all()}
        assessment = services.assessment_update(
            user=request.user, assessment_id=current.pk, expected_version=v.get("version"),
            assessed_on=v.get("assessed_on", current.assessed_on), summary=v.get("summary", current.summary),
            domains=domains)
        fresh = selectors.child_record_get(self.records(user=request.user, filters=None), assessment.pk)
        return Response(AssessmentSerializer(fresh).data)


class PlanItemSerializer(ModelSerializer):
    case = ScopedPrimaryKeyRelatedField(scope=selectors.case_queryset)

    class Meta:
        model = PlanItem
        fields = ["id", "case", "domain", "goal", "service", "responsible_type", "responsible_name", "due_date",
                  "status"]


class PlanItemViewSet(ChildRecordViewSet):
    """服务计划事项: goals and services per domain, with responsible party, due date and status."""

    serializer_class = PlanItemSerializer
    queryset = PlanItem.objects.none()
    filterset_class = PlanItemFilter

    def records(self, *, user, filters):
        return selectors.plan_item_list(user=user, filters=filters)

    @idempotent
    def create(self, request):
        data = PlanItemSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = values.pop("case")
        item = services.plan_item_save(user=request.user, case_id=case.pk, **values)
        return Response(PlanItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        item = self.get_object()
        data = PlanItemSerializer(item, data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("case", None)
        item = services.plan_item_save(user=request.user, case_id=item.case_id, item_id=item.pk, **values)
        return Response(PlanItemSerializer(item).data)


class VisitSerializer(ModelSerializer):
    case = ScopedPrimaryKeyRelatedField(scope=selectors.case_queryset)
    recorded_by: serializers.StringRelatedField[User] = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "case", "visited_on", "visitors", "child_seen", "findings", "services_delivered",
                  "recorded_by"]


class VisitViewSet(ChildRecordViewSet):
    serializer_class = VisitSerializer
    queryset = Visit.objects.none()
    filterset_class = VisitFilter

    def records(self, *, user, filters):
        return selectors.visit_list(user=user, filters=filters)

    @idempotent
    def create(self, request):
        data = VisitSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = values.pop("case")
        visit = services.visit_record(user=request.user, case_id=case.pk, **values)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class ReferralSerializer(ModelSerializer):
    case = ScopedPrimaryKeyRelatedField(scope=selectors.case_queryset)

    class Meta:
        model = Referral
        fields = ["id", "case", "target_type", "target_name", "resource", "domain", "request", "referred_on",
                  "status", "response", "responded_on"]
        read_only_fields = ["status", "response", "responded_on"]


class ReferralResponseSerializer(serializers.Serializer):
    status = InlineChoiceField(choices=[c for c in Referral.ReferralStatus.choices if c[0] != "sent"])
    response = serializers.CharField(allow_blank=True)
    responded_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReferralViewSet(ChildRecordViewSet):
    """转介 to departments, charities and volunteers; `respond` records their answer."""

    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()
    filterset_class = ReferralFilter

    def records(self, *, user, filters):
        return selectors.referral_list(user=user, filters=filters)

    @idempotent
    def create(self, request):
        data = ReferralSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = values.pop("case")
        referral = services.referral_create(user=request.user, case_id=case.pk, **values)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralResponseSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        data = ReferralResponseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.referral_respond(user=request.user, referral_id=int(pk), **data.validated_data)
        return Response(ReferralSerializer(referral).data)

