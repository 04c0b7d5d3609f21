"""/api/v1/fraud/cases/ — list (masked ID numbers), 立案 (idempotent), detail (an access-log read) and the lifecycle
moves through one `transition` action."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.applicants.selectors import person_list
from apps.core import audit
from apps.core.api.fields import ScopedPrimaryKeyRelatedField
from apps.core.api.idempotency import idempotent
from apps.core.api.views import RecordBeforeBody
from apps.core.models import AccessLog
from apps.core.review import FOUR_EYES_CODE, FOUR_EYES_MESSAGE
from apps.fraud import selectors, services
from apps.fraud.models import Appeal, Finding, FraudCase

ID_NUMBER_HELP = "脱敏身份证号；完整号码只在人员档案 /api/v1/applicants/{person}/ 中显示（查看留痕）"


class FraudCaseSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    person_id_number = serializers.CharField(source="masked_id_number", read_only=True,
                                             help_text=ID_NUMBER_HELP)
    region_code = serializers.CharField(source="region_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    caseworker: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = FraudCase
        fields = ["id", "person", "person_name", "person_id_number", "region_code", "kind", "reported_on",
                  "hospital", "amount_billed", "status", "status_display", "caseworker"]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    explanation = serializers.JSONField(source="determination.result", read_only=True)
    fingerprint = serializers.CharField(source="determination.fingerprint", read_only=True)
    parameter_versions = serializers.JSONField(source="determination.parameter_versions", read_only=True)

    class Meta:
        model = Finding
        fields = ["misused_amount", "repay_amount", "fine_amount", "suspended_from", "suspended_until",
                  "facts_summary", "found_at", "reviewed_at", "effective_on", "revoked_on", "determination",
                  "fingerprint", "parameter_versions", "explanation"]
        read_only_fields = fields


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = ["id", "reason", "lodged_on", "outcome", "outcome_note", "decided_at"]
        read_only_fields = fields


class FraudCaseDetailSerializer(FraudCaseSerializer):
    finding = serializers.SerializerMethodField()
    appeals = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(FraudCaseSerializer.Meta):
        fields = [*FraudCaseSerializer.Meta.fields, "description", "status_note", "finding", "appeals",
                  "available_actions"]
        read_only_fields = fields

    def get_finding(self, case) -> dict | None:
        finding = selectors.case_finding(case)
        return FindingSerializer(finding).data if finding else None

    def get_appeals(self, case) -> list[dict]:
        return list(AppealSerializer(selectors.case_appeals(case), many=True).data)

    def get_available_actions(self, case) -> list[str]:
        request = self.context.get("request")
        return [t.action for t in services.CASE_LIFECYCLE.available(case, getattr(request, "user", None))]


class FraudCaseCreateSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyRelatedField(scope=lambda user: person_list(user=user), help_text="人员库中的人员编号")
    kind = serializers.ChoiceField(choices=FraudCase.Kind.choices, default=FraudCase.Kind.WORK_INJURY_MEDICAL)
    reported_on = serializers.DateField()
    hospital = serializers.CharField(max_length=100)
    amount_billed = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, coerce_to_string=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class FraudTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(t.action, str(t.label))
                                              for t in services.CASE_LIFECYCLE.transitions.values()])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                 help_text="原因或意见：退回调查、不予认定、登记申诉、申诉维持、申诉撤销必填")
    misused_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False,
                                              allow_null=True, default=None, help_text="作出认定时：查实金额（元）")
    facts_summary = serializers.CharField(required=False, allow_blank=True, default="", help_text="作出认定时：认定事实")


CASE_EXAMPLE = {"id": 12, "person": 345, "person_name": "张三", "person_id_number": "2201**********123X",
                "region_code": "220102", "kind": "work_injury_medical", "reported_on": "2026-11-20",
                "hospital": "长春市某医院", "amount_billed": "8600.00", "status": "opened", "status_display": "已立案",
                "caseworker": "王经办"}


class FraudCaseViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    queryset = FraudCase.objects.none()

    def get_queryset(self):
        return selectors.case_list(user=self.request.user, filters=self.request.query_params)

    def get_serializer_class(self):
        return {"retrieve": FraudCaseDetailSerializer, "create": FraudCaseCreateSerializer,
                "transition": FraudTransitionSerializer}.get(self.action, FraudCaseSerializer)

    def get_object(self):
        case = selectors.case_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.action == "retrieve":
            audit.log_read(user=self.request.user, obj=case.person, request=self.request,
                           action=AccessLog.Action.API, purpose="欺诈骗保案件")
        return case

    def _detail(self, case, code=status.HTTP_200_OK):
        case = selectors.case_get(user=self.request.user, pk=case.pk)
        return Response(FraudCaseDetailSerializer(case, context={"request": self.request}).data, status=code)

    @extend_schema(request=FraudCaseCreateSerializer, responses={201: FraudCaseDetailSerializer}, examples=[
        OpenApiExample("立案：工伤医保冒用", request_only=True, value={
            "person": 345, "kind": "work_injury_medical", "reported_on": "2026-11-20", "hospital": "长春市某医院",
            "amount_billed": "8600.00", "description": "工伤事故后住院，以普通疾病名义由医保基金结算"}),
        OpenApiExample("立案结果", response_only=True, status_codes=["201"], value=CASE_EXAMPLE),
        OpenApiExample("金额为负", response_only=True, status_codes=["400"], value={
            "code": "validation_error", "detail": "提交的数据有误，请检查后重试。",
            "fields": {"amount_billed": [{"code": "min_value", "message": "请确保该值大于或者等于 0。"}]}}),
    ])
    @idempotent
    def create(self, request):
        data = FraudCaseCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        case = services.case_create(user=request.user, person=values["person"], kind=values["kind"],
                                    reported_on=values["reported_on"], hospital=values["hospital"],
                                    amount_billed=values["amount_billed"], description=values["description"])
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(request=FraudTransitionSerializer, responses=FraudCaseDetailSerializer, examples=[
        OpenApiExample("开始调查", request_only=True, value={"action": "investigate"}),
        OpenApiExample("作出认定", request_only=True, value={
            "action": "find", "misused_amount": "8600.00", "facts_summary": "2026年10月工伤住院费用由医保基金结算"}),
        OpenApiExample("审核通过（生效）", request_only=True, value={"action": "approve", "note": "事实清楚，证据充分"}),
        OpenApiExample("退回调查", request_only=True, value={"action": "return", "note": "请补充工伤认定书"}),
        OpenApiExample("登记申诉", request_only=True, value={"action": "appeal", "note": "当事人称该次住院与工伤无关"}),
        OpenApiExample("申诉撤销", request_only=True, value={"action": "revoke", "note": "复核后认定依据不足"}),
        OpenApiExample("认定人不能审核", response_only=True, status_codes=["403"],
                       value={"code": FOUR_EYES_CODE, "detail": FOUR_EYES_MESSAGE, "fields": {}}),
        OpenApiExample("须填写原因", response_only=True, status_codes=["400"],
                       value={"code": "reason_required", "detail": "请填写“退回调查”的原因",
                              "fields": {"note": [{"code": "reason_required", "message": "请填写原因"}]}}),
        OpenApiExample("状态不允许", response_only=True, status_codes=["409"], value={
            "code": "transition_not_allowed", "detail": "当前状态“已立案”不能执行“审核通过（生效）”操作",
            "fields": {"action": [{"code": "transition_not_allowed", "message": "可执行：开始调查、不予认定"}]}}),
    ])
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        case = self.get_object()
        data = FraudTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        case = services.case_transition(case=case, action=values["action"], user=request.user, note=values["note"],
                                        misused_amount=values["misused_amount"],
                                        facts_summary=values["facts_summary"])
        return self._detail(case)


def register(router) -> None:
    router.register("fraud/cases", FraudCaseViewSet, basename="fraud-case")
