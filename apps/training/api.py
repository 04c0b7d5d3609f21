"""/api/v1/training/… — catalogue, programs, enrollments (transitions as actions), certificates,
follow-ups and claims. Lists mask ID numbers; detail reads of trainees go to the access log."""

from django.db import transaction
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import User
from apps.accounts.permissions import HasRole
from apps.core import audit
from apps.core.api.fields import IdNumberField, ScopedPrimaryKeyRelatedField, inline_choices
from apps.core.api.files import file_action
from apps.core.api.idempotency import IdempotentCreateMixin, idempotent
from apps.core.exceptions import ApplicationError
from apps.core.models import AccessLog
from apps.core.review import FOUR_EYES_MESSAGE
from apps.core.validators import validate_phone
from apps.documents.api import PdfRenderer
from apps.documents.views import notice_pdf_response
from apps.employers.selectors import employer_get
from apps.publicity.serializers import PublicityListSerializer
from apps.training import selectors, services
from apps.training.models import (
    Certificate,
    Enrollment,
    EnrollmentStatus,
    FollowUp,
    Occupation,
    Program,
    Provider,
    SkillLevel,
    TargetGroup,
    TrainingSubsidyClaim,
)
from apps.training.notices import SOURCE as NOTICE_SOURCE
from apps.training.publicity import claim_publicity
from apps.training.services import ENROLLMENT_LIFECYCLE


class OccupationSerializer(serializers.ModelSerializer):
    parent_code = serializers.SlugRelatedField(source="parent", slug_field="code", queryset=Occupation.objects.all(),
                                               required=False, allow_null=True)

    class Meta:
        model = Occupation
        fields = ["id", "code", "name", "kind", "category", "parent_code", "is_new", "announced_in",
                  "licence_name", "licence_issuer"]


class OccupationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdempotentCreateMixin,
                        mixins.CreateModelMixin, viewsets.GenericViewSet):
    """职业（工种）目录. Reading is open to every role; administrators add entries."""

    serializer_class = OccupationSerializer
    queryset = Occupation.objects.none()

    def get_permissions(self):
        if self.action == "create":
            return [HasRole.of(User.Role.ADMINISTRATOR)()]
        return [HasRole()]

    def get_queryset(self):
        return selectors.occupation_list(filters=self.request.query_params)


class ProviderSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Provider
        fields = ["id", "uscc", "name", "provider_type", "region_code", "accreditation_number", "accredited_until",
                  "is_active"]


class ProviderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    serializer_class = ProviderSerializer
    queryset = Provider.objects.none()

    def get_queryset(self):
        return selectors.provider_list(user=self.request.user)


def _visible_enrollments(user):
    return selectors.enrollment_list(user=user)


def _visible_providers(user):
    return selectors.provider_list(user=user)


class ProgramSerializer(serializers.ModelSerializer):
    provider = ScopedPrimaryKeyRelatedField(scope=_visible_providers)  # elsewhere = unknown
    occupation_code = serializers.SlugRelatedField(source="occupation", slug_field="code",
                                                   queryset=Occupation.objects.all())
    region_code = serializers.CharField(source="region_id", read_only=True)
    target_groups = serializers.ListField(child=inline_choices(TargetGroup.choices), required=False)
    target_level = inline_choices(SkillLevel.choices, required=False)
    shortage_positions = serializers.IntegerField(read_only=True)
    willing = serializers.IntegerField(read_only=True)
    taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = Program
        fields = ["id", "code", "name", "provider", "occupation_code", "target_level", "funding_channel",
                  "dual_certificate", "second_certificate_name", "second_certificate_issuer", "capacity",
                  "start_date", "end_date", "target_groups", "subsidy_key", "region_code", "shortage_positions",
                  "willing", "taken"]

    def validate_provider(self, provider):
        selectors.provider_get(user=self.context["request"].user, pk=provider.pk)
        return provider


class ProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdempotentCreateMixin,
                     mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    serializer_class = ProgramSerializer
    queryset = Program.objects.none()

    def get_queryset(self):
        return selectors.program_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return selectors.program_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform_create(self, serializer):
        program = services.program_save(program=Program(**serializer.validated_data), user=self.request.user)
        serializer.instance = selectors.program_get(user=self.request.user, pk=program.pk)


class EnrollmentListSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    program_code = serializers.CharField(source="program.code", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)
    target_group = inline_choices(TargetGroup.choices, read_only=True)
    status = inline_choices(EnrollmentStatus.choices, read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "name", "id_number", "program_code", "target_group", "status", "region_code",
                  "completed_on", "created_at"]


class CertificateSerializer(serializers.ModelSerializer):
    level = inline_choices([("", "—"), *SkillLevel.choices], required=False, allow_blank=True)
    enrollment = ScopedPrimaryKeyRelatedField(scope=_visible_enrollments)  # elsewhere = unknown

    class Meta:
        model = Certificate
        fields = ["id", "enrollment", "kind", "number", "level", "issued_on", "issuer"]


class FollowUpSerializer(serializers.ModelSerializer):
    skill_level = inline_choices([("", "—"), *SkillLevel.choices], required=False, allow_blank=True)

    class Meta:
        model = FollowUp
        fields = ["id", "enrollment", "months", "due_on", "done_on", "skill_level", "employment_status",
                  "monthly_wage", "note"]
        read_only_fields = ["enrollment", "months", "due_on", "done_on"]


@extend_schema_serializer(component_name="TrainingSubsidyClaim")  # both apps have a "Claim"
class ClaimSerializer(serializers.ModelSerializer):
    occupation_code = serializers.CharField(source="occupation.code", read_only=True)
    status = inline_choices(TrainingSubsidyClaim.Status.choices, read_only=True)

    class Meta:
        model = TrainingSubsidyClaim
        fields = ["id", "enrollment", "kind", "occupation_code", "level", "amount", "status", "explanation",
                  "parameter_versions", "created_at", "reviewed_at", "published_at", "publicity_starts_on",
                  "publicity_ends_on", "approved_at", "paid_at"]


class EnrollmentDetailSerializer(EnrollmentListSerializer):
    id_number = IdNumberField(source="person.id_number")
    certificates = CertificateSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    claims = ClaimSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta(EnrollmentListSerializer.Meta):
        fields = [*EnrollmentListSerializer.Meta.fields, "phone", "employment_evidence", "employer_name",
                  "employment_start", "monthly_wage", "employment_verified_at", "certificates", "follow_ups",
                  "claims", "available_actions"]

    def get_available_actions(self, enrollment) -> list[str]:
        return [t.action for t in ENROLLMENT_LIFECYCLE.available(enrollment, self.context["request"].user)]


class EnrollmentCreateSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                  validators=[validate_phone])
    program = serializers.IntegerField()
    target_group = inline_choices(TargetGroup.choices)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(ENROLLMENT_LIFECYCLE.transitions))
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    payload = serializers.DictField(required=False, default=dict,
                                    help_text="assess: kind, number, level, issued_on, issuer；"
                                              "verify_employment: employment_evidence, employer_name, "
                                              "employment_start, monthly_wage；complete: completed_on")


class EnrollmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Trainees. Transitions: POST /enrollments/{id}/transition/ {"action": …}; refused → 409/400."""

    permission_classes = [HasRole]
    queryset = Enrollment.objects.none()

    def get_queryset(self):
        return selectors.enrollment_list(user=self.request.user, filters=self.request.query_params)

    def get_serializer_class(self):
        return {"list": EnrollmentListSerializer, "create": EnrollmentCreateSerializer,
                "transition": TransitionSerializer}.get(self.action, EnrollmentDetailSerializer)

    def get_object(self):
        enrollment = selectors.enrollment_get(user=self.request.user, pk=self.kwargs["pk"])
        audit.log_read(user=self.request.user, obj=enrollment, request=self.request, action=AccessLog.Action.API)
        return enrollment

    def _detail(self, pk: int, code=status.HTTP_200_OK) -> Response:
        enrollment = selectors.enrollment_get(user=self.request.user, pk=pk)
        return Response(EnrollmentDetailSerializer(enrollment, context={"request": self.request}).data, status=code)

    @idempotent
    def create(self, request):
        data = EnrollmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        program = selectors.program_get(user=request.user, pk=data.validated_data["program"])
        enrollment = services.enrollment_register_by_id_number(
            id_number=data.validated_data["id_number"], name=data.validated_data["name"],
            phone=data.validated_data["phone"], program=program, target_group=data.validated_data["target_group"],
            user=request.user)
        return self._detail(enrollment.pk, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        enrollment = selectors.enrollment_get(user=request.user, pk=pk)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payload = dict(data.validated_data["payload"])
        if payload.get("employer"):
            payload["employer"] = employer_get(user=request.user, pk=payload["employer"])
        services.enrollment_transition(enrollment=enrollment, action=data.validated_data["action"],
                                       user=request.user, note=data.validated_data["note"], payload=payload)
        return self._detail(enrollment.pk)

    @idempotent
    @action(detail=True, methods=["post"], url_path="claim-assessment-subsidy")
    def claim_assessment_subsidy(self, request, pk=None):
        enrollment = selectors.enrollment_get(user=request.user, pk=pk)
        wanted = request.data.get("certificate") if isinstance(request.data, dict) else None
        if isinstance(wanted, str) and wanted.isdigit():
            wanted = int(wanted)
        certificate = (enrollment.certificates.filter(pk=wanted).first()
                       if isinstance(wanted, int) and not isinstance(wanted, bool) else None)
        if certificate is None:
            raise ApplicationError("no_certificate", "请选择本学员的证书", {"certificate": ["请选择本学员的证书"]})
        claim = services.subsidy_claim_create(enrollment=enrollment, user=request.user,
                                              kind=TrainingSubsidyClaim.Kind.ASSESSMENT, certificate=certificate)
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


class CertificateViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    serializer_class = CertificateSerializer
    queryset = Certificate.objects.none()

    def get_queryset(self):
        return selectors.certificate_list(user=self.request.user)

    @idempotent
    def create(self, request):
        serializer = CertificateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enrollment = selectors.enrollment_get(user=request.user, pk=data["enrollment"].pk)
        with transaction.atomic():
            certificate = services.certificate_add(enrollment=enrollment, user=request.user, data=data)
        return Response(CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Follow-ups at 3 and 6 months; POST /follow-ups/{id}/record/ records one."""

    permission_classes = [HasRole]
    serializer_class = FollowUpSerializer
    queryset = FollowUp.objects.none()

    def get_queryset(self):
        return selectors.follow_up_list(user=self.request.user, filters=self.request.query_params)

    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        follow_up = selectors.follow_up_get(user=request.user, pk=pk)
        serializer = FollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow_up = services.follow_up_record(follow_up=follow_up, user=request.user, data=serializer.validated_data)
        return Response(FollowUpSerializer(follow_up).data)


class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Subsidy claims with the calculator's explanation. POST /claims/{id}/decide/ {"decision": approve|reject|pay}
    for assessment-subsidy claims (training claims move with their enrollment's transitions)."""

    permission_classes = [HasRole]
    serializer_class = ClaimSerializer
    queryset = TrainingSubsidyClaim.objects.none()

    def get_queryset(self):
        return selectors.claim_list(user=self.request.user)

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        claim = self.get_object()
        if claim.kind == TrainingSubsidyClaim.Kind.TRAINING:
            raise ApplicationError("use_enrollment_transition", "培训补贴请通过学员的状态操作审核和发放")
        claim = services.claim_decide(claim=claim, user=request.user, decision=str(request.data.get("decision")))
        return Response(ClaimSerializer(claim).data)

    @idempotent
    @extend_schema(request=None, responses=ClaimSerializer, examples=[
        OpenApiExample("公示中", value={"id": 31, "kind": "training", "status": "publicizing", "amount": "1200.00",
                                     "published_at": "2026-12-01T09:30:00+08:00", "publicity_starts_on": "2026-12-02",
                                     "publicity_ends_on": "2026-12-08"}, response_only=True, status_codes=["200"]),
        OpenApiExample("申领经办人不能初审", value={"code": "four_eyes", "detail": FOUR_EYES_MESSAGE, "fields": {}},
                       response_only=True, status_codes=["403"]),
        OpenApiExample("状态不允许", value={"code": "claim_not_claimed",
                                       "detail": "当前状态“公示中”不能执行“初审通过并公示”操作",
                                       "fields": {"action": ["可执行：复核通过、驳回"]}},
                       response_only=True, status_codes=["409"])])
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """初审通过并公示 (claimed → publicizing): a reviewer who did not claim the subsidy (403 `four_eyes`,
        `reviewer_required`); opens the public list (an unguessable link, the name masked, no ID number or phone)
        and its window — from the next working day, `training.publicity_working_days` working days. A
        training-subsidy claim moves its enrollment with it (补贴公示中). 复核 after the window (409
        `publicity_window_open`, `objection_open`) is the enrollment's `approve`, or `decide` for an
        assessment-subsidy claim."""
        claim = services.claim_move(claim=self.get_object(), user=request.user, decision="publish")
        return Response(ClaimSerializer(claim).data)

    @extend_schema(request=None, responses=PublicityListSerializer, examples=[
        OpenApiExample("公示中", value={
            "published": True, "public_url": "https://portal.example.cn/publicity/Yx2…/", "starts_on": "2026-12-02",
            "ends_on": "2026-12-08", "working_days": 5,
            "progress": {"elapsed": 2, "total": 5, "percent": 40, "open": True, "passed": False},
            "columns": ["姓名", "职业（工种）", "等级", "补贴类型", "补贴金额"],
            "rows": [["张*", "家政服务员", "初级工", "职业培训补贴", "1200.00"]]}, response_only=True),
        OpenApiExample("未公示", value={"published": False, "public_url": None, "starts_on": None, "ends_on": None,
                                     "working_days": None, "progress": None,
                                     "columns": ["姓名", "职业（工种）", "等级", "补贴类型", "补贴金额"], "rows": []},
                       response_only=True)])
    @action(detail=True, methods=["get"])
    def publicity(self, request, pk=None):
        """本申领的公示：公示期、进度、公开链接和公开的一行（姓名脱敏，无身份证号、电话、银行账号）。"""
        return Response(PublicityListSerializer(claim_publicity(claim=self.get_object(), request=request)).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @file_action(PdfRenderer, detail=True)
    def notice(self, request, pk=None):
        """本申领的告知书 PDF（审核通过前为草稿）：内容未变时为已存版本，否则生成新版本；每次下载记入访问日志。"""
        claim = self.get_object()
        return notice_pdf_response(request=request, source=NOTICE_SOURCE, source_id=claim.pk,
                                   row_key=str(claim.person_id), filename=f"告知书-培训补贴-{claim.pk}")
