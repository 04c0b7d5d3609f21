"""/api/v1/eldercare/… — institutions, staff, the 严重失信名单 (list, remove, publish) and the incentive claims (submit:
the calculator's decision; approve / reject with four eyes). Lists mask ID numbers; every answer is scoped by region
(out of scope = 404)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.applicants.models import Person
from apps.applicants.selectors import person_list
from apps.core import audit
from apps.core.api.fields import (
    BANK_DETAILS_FIELDS,
    BankDetailsSerializerMixin,
    RegionCodeField,
    ScopedPrimaryKeyRelatedField,
    inline_choices,
)
from apps.core.api.idempotency import idempotent
from apps.core.api.views import RecordBeforeBody
from apps.core.models import AccessLog
from apps.core.review import FOUR_EYES_MESSAGE
from apps.eldercare import selectors, services
from apps.eldercare.models import (
    HONOUR_CHOICES,
    KIND_CHOICES,
    SKILL_LEVEL_CHOICES,
    BlacklistEntry,
    IncentiveClaim,
    Institution,
    StaffMember,
)
from apps.eldercare.publicity import entry_publicity


def _people(user):
    return person_list(user=user)


def _institutions(user):
    return selectors.institution_list(user=user)


def _staff(user):
    return selectors.staff_list(user=user)


class EldercareInstitutionSerializer(BankDetailsSerializerMixin, serializers.ModelSerializer):
    """The institution's bank details are where its 入职奖励/岗位补贴 awards are paid (docs/payments.md); the account
    is answered masked, lists and details alike (the full number is on the caseworker's edit page)."""

    region_code = RegionCodeField(source="region", scoped=False)
    ownership = inline_choices(Institution.Ownership.choices, required=False)
    staff_count = serializers.IntegerField(read_only=True)
    social_workers = serializers.IntegerField(read_only=True)

    class Meta:
        model = Institution
        fields = ["id", "name", "uscc", "ownership", "region_code", "beds", "older_people_served", "address",
                  "staff_count", "social_workers", *BANK_DETAILS_FIELDS]
        # The unique check is the service's (a Chinese sentence and a stable code), not the serializer's.
        extra_kwargs: dict = {"uscc": {"validators": []}}


class EldercareStaffSerializer(serializers.ModelSerializer):
    institution = ScopedPrimaryKeyRelatedField(scope=_institutions)
    person = ScopedPrimaryKeyRelatedField(scope=_people)
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    role = inline_choices(StaffMember.Role.choices)
    skill_level = inline_choices([("", "无"), *SKILL_LEVEL_CHOICES], required=False, allow_blank=True)

    class Meta:
        model = StaffMember
        fields = ["id", "institution", "person", "person_name", "id_number", "role", "full_time",
                  "social_worker_qualified", "skill_level", "college_graduate", "start_date", "end_date"]
        validators: list = []  # the one-current-post rule is the service's (409 duplicate)


class EldercareBlacklistSerializer(serializers.ModelSerializer):
    subject_name = serializers.CharField(read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = BlacklistEntry
        fields = ["id", "subject", "institution", "person", "subject_name", "region_code", "reason", "source",
                  "listed_on", "removed_on", "removal_note", "publicity_starts_on", "publicity_ends_on"]
        read_only_fields = fields


class EldercareBlacklistCreateSerializer(serializers.Serializer):
    institution = ScopedPrimaryKeyRelatedField(scope=_institutions, required=False, allow_null=True)
    person = ScopedPrimaryKeyRelatedField(scope=_people, required=False, allow_null=True)
    reason = serializers.CharField(max_length=300)
    source = serializers.CharField(max_length=200)  # type: ignore[assignment]  # the entry's 认定依据
    listed_on = serializers.DateField()


class EldercareRemoveSerializer(serializers.Serializer):
    removed_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EldercareClaimSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, allow_null=True)

    class Meta:
        model = IncentiveClaim
        fields = ["id", "staff", "institution", "person", "person_name", "id_number", "kind", "kind_display",
                  "claim_date", "months", "honour_level", "training_certificate", "founder", "amount", "explanation",
                  "status", "status_display", "submitted_by", "reviewed_by", "reviewed_at", "review_note"]
        read_only_fields = fields


class EldercareClaimCreateSerializer(serializers.Serializer):
    staff = ScopedPrimaryKeyRelatedField(scope=_staff)
    kind = inline_choices(KIND_CHOICES)
    claim_date = serializers.DateField()
    months = serializers.IntegerField(min_value=0, max_value=120, required=False, default=0)
    honour_level = inline_choices([("", "无"), *HONOUR_CHOICES], required=False, allow_blank=True, default="")
    training_certificate = serializers.BooleanField(required=False, default=False)
    founder = serializers.BooleanField(required=False, default=False)


class EldercareReviewSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


BLACKLISTED = ("养老机构在申领日期 2026-03-01 列入养老服务严重失信名单（虐待老年人，2026-01-10 列入，未移出），"
               "依据吉民发〔2024〕33号不予享受补贴")


class InstitutionViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """养老机构: name, 统一社会信用代码 (checked), region, beds, older people served. Filter `q`, `ownership`, `region`."""

    permission_classes = [HasRole]
    serializer_class = EldercareInstitutionSerializer
    queryset = Institution.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.institution_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return selectors.institution_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(examples=[
        OpenApiExample("登记养老机构", request_only=True, value={
            "name": "南关区福寿养老院", "uscc": "91220102MA0Y3L6X6K", "ownership": "private", "region_code": "220102",
            "beds": 120, "older_people_served": 96, "address": "长春市南关区幸福街 8 号",
            "bank_name": "吉林银行长春南关支行", "bank_account": "6228 4800 1234 5678 901",
            "bank_account_name": "南关区福寿养老院"}),
        OpenApiExample("已登记", response_only=True, status_codes=["201"], value={
            "id": 7, "name": "南关区福寿养老院", "uscc": "91220102MA0Y3L6X6K", "ownership": "private",
            "region_code": "220102", "beds": 120, "older_people_served": 96, "address": "长春市南关区幸福街 8 号",
            "staff_count": 0, "social_workers": 0, "bank_name": "吉林银行长春南关支行",
            "bank_account": "6228***********8901", "bank_account_name": "南关区福寿养老院",
            "bank_account_name_matches": True}),
        OpenApiExample("银行账号有误", response_only=True, status_codes=["400"], value={
            "code": "validation_error", "detail": "提交的数据有误，请检查后重试。",
            "fields": {"bank_account": [{"code": "bank_account_not_digits",
                                         "message": "银行账号只能由数字组成（可含空格，不含字母、横线等符号）"}]}}),
        OpenApiExample("统一社会信用代码有误", response_only=True, status_codes=["400"], value={
            "code": "invalid_uscc", "detail": "统一社会信用代码校验位不正确", "fields": {"uscc": ["统一社会信用代码校验位不正确"]}})])
    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        institution = services.institution_save(institution=Institution(**serializer.validated_data),
                                                user=self.request.user)
        serializer.instance = selectors.institution_get(user=self.request.user, pk=institution.pk)

    def perform_update(self, serializer):
        institution = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(institution, name, value)
        services.institution_save(institution=institution, user=self.request.user)
        serializer.instance = selectors.institution_get(user=self.request.user, pk=institution.pk)


class StaffViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    """养老服务人员: a person of the applicants registry at an institution. Filter `institution`, `role`, `full_time`,
    `social_worker_qualified`, `skill_level`, `current`."""

    permission_classes = [HasRole]
    serializer_class = EldercareStaffSerializer
    queryset = StaffMember.objects.none()

    def get_queryset(self):
        return selectors.staff_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        staff = selectors.staff_get(user=self.request.user, pk=self.kwargs["pk"])
        audit.log_read(user=self.request.user, obj=staff.person, request=self.request, action=AccessLog.Action.API,
                       purpose="养老服务人员")
        return staff

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = response.data.get("results", response.data) if isinstance(response.data, dict) else response.data
        audit.log_bulk_read(user=request.user, model=Person, ids=[row["person"] for row in rows], request=request,
                            action=AccessLog.Action.API, purpose="养老服务人员列表")
        return response

    @extend_schema(examples=[OpenApiExample("登记专职养老护理员", request_only=True, value={
        "institution": 3, "person": 12, "role": "caregiver", "full_time": True, "social_worker_qualified": False,
        "skill_level": "senior", "college_graduate": False, "start_date": "2025-03-01", "end_date": None})])
    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        staff = services.staff_save(staff=StaffMember(**serializer.validated_data), user=self.request.user)
        serializer.instance = selectors.staff_get(user=self.request.user, pk=staff.pk)


class BlacklistViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """严重失信名单: list an institution or a person (`institution` or `person`), `remove` (信用修复), `publish` (公示)."""

    permission_classes = [HasRole]
    serializer_class = EldercareBlacklistSerializer
    queryset = BlacklistEntry.objects.none()

    def get_queryset(self):
        return selectors.blacklist_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return selectors.blacklist_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=EldercareBlacklistCreateSerializer, responses={201: EldercareBlacklistSerializer},
                   examples=[OpenApiExample("列入养老机构", request_only=True, value={
                       "institution": 3, "reason": "虐待老年人", "source": "南关区民政局 南民罚决字〔2026〕3号",
                       "listed_on": "2026-01-10"}),
                       OpenApiExample("未选对象", response_only=True, status_codes=["400"], value={
                           "code": "subject_required", "detail": "请选择列入的养老机构或人员（只选一项）",
                           "fields": {"institution": ["请选择养老机构或人员（只选一项）"]}})])
    @idempotent
    def create(self, request):
        data = EldercareBlacklistCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        entry = services.blacklist_add(user=request.user, reason=values["reason"], source=values["source"],
                                       listed_on=values["listed_on"], institution=values.get("institution"),
                                       person=values.get("person"))
        return Response(EldercareBlacklistSerializer(selectors.blacklist_get(user=request.user, pk=entry.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=EldercareRemoveSerializer, responses=EldercareBlacklistSerializer,
                   examples=[OpenApiExample("信用修复移出", request_only=True,
                                            value={"removed_on": "2027-01-10", "note": "已完成信用修复"})])
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        entry = self.get_object()
        data = EldercareRemoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.blacklist_remove(entry=entry, user=request.user, removed_on=data.validated_data["removed_on"],
                                          note=data.validated_data["note"])
        return Response(EldercareBlacklistSerializer(entry).data)

    @extend_schema(request=None, responses=EldercareBlacklistSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        entry = services.blacklist_publish(entry=self.get_object(), user=request.user)
        return Response(EldercareBlacklistSerializer(entry).data)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def publicity(self, request, pk=None):
        return Response(entry_publicity(entry=self.get_object(), request=request))


class ClaimViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """补贴申领: submit (the calculator decides and explains; a 黑名单 listing refuses it), approve / reject (four eyes)."""

    permission_classes = [HasRole]
    serializer_class = EldercareClaimSerializer
    queryset = IncentiveClaim.objects.none()

    def get_queryset(self):
        return selectors.claim_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        claim = selectors.claim_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.action == "retrieve":
            audit.log_read(user=self.request.user, obj=claim.person, request=self.request,
                           action=AccessLog.Action.API, purpose="养老服务人才补贴申领")
        return claim

    @extend_schema(request=EldercareClaimCreateSerializer, responses={201: EldercareClaimSerializer}, examples=[
        OpenApiExample("岗位补贴", request_only=True, value={"staff": 7, "kind": "post_subsidy",
                                                          "claim_date": "2026-03-01", "months": 6}),
        OpenApiExample("列入严重失信名单", response_only=True, status_codes=["400"], value={
            "code": "blacklisted", "detail": BLACKLISTED, "fields": {"kind": [BLACKLISTED]}}),
        OpenApiExample("兼职人员", response_only=True, status_codes=["400"], value={
            "code": "not_full_time", "detail": "入职奖励仅面向专职从事养老护理服务工作的人员，该人员为兼职",
            "fields": {"kind": ["入职奖励仅面向专职从事养老护理服务工作的人员，该人员为兼职"]}})])
    @idempotent
    def create(self, request):
        data = EldercareClaimCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        claim = services.claim_submit(staff=values["staff"], user=request.user, kind=values["kind"],
                                      claim_date=values["claim_date"], months=values["months"],
                                      honour_level=values["honour_level"],
                                      training_certificate=values["training_certificate"], founder=values["founder"])
        return Response(EldercareClaimSerializer(selectors.claim_get(user=request.user, pk=claim.pk)).data,
                        status=status.HTTP_201_CREATED)

    def _review(self, request, action_name: str):
        claim = self.get_object()
        data = EldercareReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.claim_review(claim=claim, user=request.user, action=action_name,
                                      note=data.validated_data["note"])
        return Response(EldercareClaimSerializer(selectors.claim_get(user=request.user, pk=claim.pk)).data)

    @extend_schema(request=EldercareReviewSerializer, responses=EldercareClaimSerializer, examples=[
        OpenApiExample("审核通过", request_only=True, value={"note": "材料齐全"}),
        OpenApiExample("经办人不能审核", response_only=True, status_codes=["403"],
                       value={"code": "four_eyes", "detail": FOUR_EYES_MESSAGE, "fields": {}})])
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._review(request, "approve")

    @extend_schema(request=EldercareReviewSerializer, responses=EldercareClaimSerializer, examples=[
        OpenApiExample("退回", request_only=True, value={"note": "入职日期待核实"})])
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._review(request, "reject")
