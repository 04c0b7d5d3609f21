"""/api/v1/startup-loans/… — applications (list with masked ID numbers, 申请 idempotent, detail as an access-log
read, review with four eyes) and interest-subsidy claims (compute from the imported schedule — idempotent —, review).
Every answer is scoped by region (out of scope = 404)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.applicants.selectors import person_list
from apps.core import audit
from apps.core.api.fields import ScopedPrimaryKeyRelatedField, inline_choices
from apps.core.api.idempotency import idempotent
from apps.core.api.views import RecordBeforeBody
from apps.core.models import AccessLog
from apps.core.review import FOUR_EYES_CODE, FOUR_EYES_MESSAGE
from apps.startup_loans import selectors, services
from apps.startup_loans.models import LoanApplication, RepaymentPeriod, SubsidyClaim

ID_NUMBER_HELP = "脱敏身份证号；完整号码只在人员档案 /api/v1/applicants/{person}/ 中显示（查看留痕）"


class StartupLoanSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    person_id_number = serializers.CharField(source="masked_id_number", read_only=True,
                                             help_text=ID_NUMBER_HELP)
    region_code = serializers.CharField(source="region_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    amount_requested = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    guaranteed_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    interest_subsidy_share = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True,
                                                      help_text="财政贴息比例（%，按录入值，50 表示 50%）")

    class Meta:
        model = LoanApplication
        fields = ["id", "reference", "person", "person_name", "person_id_number", "region_code", "application_date",
                  "target_groups", "business_name", "business_uscc", "amount_requested", "term_months", "lender_bank",
                  "lender", "eligible", "guaranteed_amount", "interest_subsidy_share", "status", "status_display"]
        read_only_fields = fields


class StartupLoanPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = RepaymentPeriod
        fields = ["period", "due_date", "principal", "interest", "paid_date", "claim"]
        read_only_fields = fields


class StartupLoanDetailSerializer(StartupLoanSerializer):
    explanation = serializers.JSONField(source="determination.result", read_only=True)
    fingerprint = serializers.CharField(source="determination.fingerprint", read_only=True)
    parameter_versions = serializers.JSONField(source="determination.parameter_versions", read_only=True)
    periods = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(StartupLoanSerializer.Meta):
        fields = [*StartupLoanSerializer.Meta.fields, "review_note", "determination", "fingerprint",
                  "parameter_versions", "explanation", "periods", "available_actions"]
        read_only_fields = fields

    def get_periods(self, application) -> list[dict]:
        return list(StartupLoanPeriodSerializer(selectors.application_periods(application), many=True).data)

    def get_available_actions(self, application) -> list[str]:
        request = self.context.get("request")
        return [t.action for t in services.APPLICATION_LIFECYCLE.available(application, getattr(request, "user", None))]


class StartupLoanCreateSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyRelatedField(scope=lambda user: person_list(user=user), help_text="人员库中的人员编号")
    application_date = serializers.DateField()
    business_name = serializers.CharField(max_length=200)
    business_uscc = serializers.CharField(max_length=18, required=False, allow_blank=True, default="",
                                          help_text="统一社会信用代码（可选）")
    amount_requested = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True,
                                                help_text="元，字符串，如 \"200000.00\"")
    term_months = serializers.IntegerField(min_value=1, max_value=600)
    lender = ScopedPrimaryKeyRelatedField(scope=lambda user: selectors.lender_list(user=user), required=False, allow_null=True,
                                          default=None, help_text="经办银行名录中的银行编号（贴息拨付对象）")
    lender_bank = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                        help_text="经办银行名称；选择了名录中的银行时可不填")


class StartupLoanReviewSerializer(serializers.Serializer):
    action = inline_choices([(t.action, str(t.label)) for t in services.APPLICATION_LIFECYCLE.transitions.values()])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                 help_text="审核意见：退回必填")


class StartupLoanClaimSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="application.reference", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = SubsidyClaim
        fields = ["id", "application", "reference", "region_code", "status", "status_display", "periods_count",
                  "interest_total", "amount", "explanation", "review_note", "available_actions"]
        read_only_fields = fields

    def get_available_actions(self, claim) -> list[str]:
        request = self.context.get("request")
        return [t.action for t in services.CLAIM_LIFECYCLE.available(claim, getattr(request, "user", None))]


LOAN_EXAMPLE = {"id": 7, "reference": "CDB220102000007", "person": 345, "person_name": "张三",
                "person_id_number": "2201**********123X", "region_code": "220102", "application_date": "2026-03-01",
                "target_groups": ["migrant_worker"], "business_name": "南关区张三农家菜馆", "business_uscc": "",
                "amount_requested": "200000.00", "term_months": 24, "lender_bank": "吉林银行长春南关支行", "lender": 3,
                "eligible": True, "guaranteed_amount": "200000.00", "interest_subsidy_share": "50.00",
                "status": "submitted", "status_display": "待审核"}
FOUR_EYES_EXAMPLE = OpenApiExample("经办人不能审核", response_only=True, status_codes=["403"],
                                   value={"code": FOUR_EYES_CODE, "detail": FOUR_EYES_MESSAGE, "fields": {}})


class StartupLoanViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    """创业担保贷款申请. Create (the calculator decides at once), review (`review`), compute a subsidy claim (`claims`)."""

    permission_classes = [HasRole]
    queryset = LoanApplication.objects.none()

    def get_queryset(self):
        return selectors.application_list(user=self.request.user, filters=self.request.query_params)

    def get_serializer_class(self):
        return {"retrieve": StartupLoanDetailSerializer, "create": StartupLoanCreateSerializer,
                "review": StartupLoanReviewSerializer, "claims": StartupLoanClaimSerializer}.get(
            self.action, StartupLoanSerializer)

    def get_object(self):
        application = selectors.application_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.action == "retrieve":
            audit.log_read(user=self.request.user, obj=application.person, request=self.request,
                           action=AccessLog.Action.API, purpose="创业担保贷款")
        return application

    def _detail(self, application, code=status.HTTP_200_OK):
        application = selectors.application_get(user=self.request.user, pk=application.pk)
        return Response(StartupLoanDetailSerializer(application, context={"request": self.request}).data, status=code)

    @extend_schema(request=StartupLoanCreateSerializer, responses={201: StartupLoanDetailSerializer}, examples=[
        OpenApiExample("申请：返乡创业农民工", request_only=True, value={
            "person": 345, "application_date": "2026-03-01", "business_name": "南关区张三农家菜馆",
            "business_uscc": "", "amount_requested": "200000.00", "term_months": 24,
            "lender_bank": "吉林银行长春南关支行"}),
        OpenApiExample("申请结果", response_only=True, status_codes=["201"], value=LOAN_EXAMPLE),
        OpenApiExample("统一社会信用代码有误", response_only=True, status_codes=["400"], value={
            "code": "invalid_uscc", "detail": "统一社会信用代码校验位不正确",
            "fields": {"business_uscc": [{"code": "invalid_uscc", "message": "统一社会信用代码校验位不正确"}]}}),
    ])
    @idempotent
    def create(self, request):
        data = StartupLoanCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        application = services.application_create(user=request.user, person=values["person"],
                                                  data=services.ApplicationInput(
            application_date=values["application_date"], business_name=values["business_name"],
            business_uscc=values["business_uscc"], amount_requested=values["amount_requested"],
            term_months=values["term_months"], lender_bank=values.get("lender_bank", ""),
            lender_id=values["lender"].pk if values.get("lender") else None))
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(request=StartupLoanReviewSerializer, responses=StartupLoanDetailSerializer, examples=[
        OpenApiExample("审核通过", request_only=True, value={"action": "approve", "note": "材料齐全"}),
        OpenApiExample("退回", request_only=True, value={"action": "reject", "note": "请补充营业执照"}),
        FOUR_EYES_EXAMPLE,
        OpenApiExample("不符合条件不能通过", response_only=True, status_codes=["409"], value={
            "code": "not_eligible", "detail": "资格测算不符合条件，不能审核通过：贷款期限 48 个月超过最长期限 36 个月",
            "fields": {}}),
    ])
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        application = self.get_object()
        data = StartupLoanReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_review(application=application, user=request.user,
                                                  action=data.validated_data["action"],
                                                  note=data.validated_data["note"])
        return self._detail(application)

    @extend_schema(request=None, responses={201: StartupLoanClaimSerializer}, examples=[
        OpenApiExample("没有可申请的期次", response_only=True, status_codes=["409"], value={
            "code": "nothing_to_claim", "detail": "没有已还款且未申请贴息的期次（请先导入银行还款计划）", "fields": {}}),
    ])
    @idempotent
    @action(detail=True, methods=["post"])
    def claims(self, request, pk=None):
        """Compute a subsidy claim from the paid, not yet claimed periods (per period interest × share, half-up once)."""
        claim = services.claim_create(application=self.get_object(), user=request.user)
        claim = selectors.claim_get(user=request.user, pk=claim.pk)
        return Response(StartupLoanClaimSerializer(claim, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class StartupLoanClaimReviewSerializer(serializers.Serializer):
    action = inline_choices([(t.action, str(t.label)) for t in services.CLAIM_LIFECYCLE.transitions.values()])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                 help_text="审核意见：退回必填")


class StartupLoanClaimViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              viewsets.GenericViewSet):
    permission_classes = [HasRole]
    serializer_class = StartupLoanClaimSerializer
    queryset = SubsidyClaim.objects.none()

    def get_queryset(self):
        return selectors.claim_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return selectors.claim_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        return StartupLoanClaimReviewSerializer if self.action == "review" else StartupLoanClaimSerializer

    @extend_schema(request=StartupLoanClaimReviewSerializer, responses=StartupLoanClaimSerializer, examples=[
        OpenApiExample("审核通过", request_only=True, value={"action": "approve"}), FOUR_EYES_EXAMPLE])
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = StartupLoanClaimReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.claim_review(claim=self.get_object(), user=request.user,
                                      action=data.validated_data["action"], note=data.validated_data["note"])
        claim = selectors.claim_get(user=request.user, pk=claim.pk)
        return Response(StartupLoanClaimSerializer(claim, context={"request": request}).data)


def register(router) -> None:
    router.register("startup-loans/applications", StartupLoanViewSet, basename="startup-loan")
    router.register("startup-loans/claims", StartupLoanClaimViewSet, basename="startup-loan-claim")
