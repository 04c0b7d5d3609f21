"""/api/v1/childcare/… — institutions, enrollments, attendance (with import), claims (with workflow and export)."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts.models import User
from apps.accounts.permissions import HasRole
from apps.childcare import selectors
from apps.childcare.disbursement_export import disbursement_response
from apps.childcare.models import (
    AgeGroup,
    Attendance,
    ClaimRun,
    Enrollment,
    EnrollmentGuardian,
    Institution,
    OperatingSubsidyClaim,
)
from apps.childcare.notices import SOURCE as NOTICE_SOURCE
from apps.childcare.publicity import claim_publicity
from apps.childcare.services import attendance as attendance_services
from apps.childcare.services import claim_runs
from apps.childcare.services import claims as claim_services
from apps.childcare.services import enrollments as enrollment_services
from apps.childcare.services import institutions as institution_services
from apps.core import audit
from apps.core.api.errors import error_body
from apps.core.api.fields import (
    BANK_DETAILS_FIELDS,
    BankDetailsSerializerMixin,
    IdNumberField,
    ScopedPrimaryKeyRelatedField,
)
from apps.core.api.idempotency import IdempotentCreateMixin, idempotent
from apps.core.api.views import RecordBeforeBody
from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.models import AccessLog, Region
from apps.core.review import FOUR_EYES_MESSAGE
from apps.core.scoping import user_can_see_region
from apps.documents.api import PdfRenderer
from apps.documents.views import notice_pdf_response
from apps.imports.limits import ImportLimits
from apps.imports.models import ImportBatch
from apps.imports.selectors import API_ERROR_LIMIT, batch_issues
from apps.imports.services import import_file
from apps.publicity.serializers import PublicityListSerializer
from apps.publicity.services import WINDOW_OPEN_CODE


class InstitutionSerializer(BankDetailsSerializerMixin, serializers.ModelSerializer):
    region_code = serializers.PrimaryKeyRelatedField(source="region", queryset=Region.objects.all())
    total_places = serializers.IntegerField(read_only=True)
    enrolled_now = serializers.IntegerField(read_only=True, default=None)
    has_open_serious_finding = serializers.BooleanField(read_only=True, default=None)

    class Meta:
        model = Institution
        fields = ["id", "name", "uscc", "category", "region_code", "address", "contact_person", "phone",
                  "licence_number", "licence_date", "inclusive_certificate_number", "inclusive_certified_from",
                  "inclusive_certified_to", "places_infant", "places_toddler", "places_preschool", "total_places",
                  "community_embedded", "home_based", "medical_integrated", "status", "enrolled_now",
                  "has_open_serious_finding", *BANK_DETAILS_FIELDS]



class InstitutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdempotentCreateMixin,
                         mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    serializer_class = InstitutionSerializer
    queryset = Institution.objects.none()

    def get_queryset(self):
        return selectors.institution_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return selectors.institution_get(user=self.request.user, pk=self.kwargs["pk"])

    def _save(self, serializer, instance=None):
        region = serializer.validated_data.get("region")
        if region is not None and not user_can_see_region(self.request.user, region.code):
            raise ApplicationError("region_out_of_scope", "只能登记本区划内的机构", {"region_code": ["不在您的经办区划"]})
        institution = instance or Institution()
        for field, value in serializer.validated_data.items():
            setattr(institution, field, value)
        return institution_services.institution_save(institution=institution)

    def perform_create(self, serializer):
        serializer.instance = self._save(serializer)

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer, serializer.instance)


class GuardianSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)

    class Meta:
        model = EnrollmentGuardian
        fields = ["name", "id_number", "relationship", "phone"]


class ChildcareEnrollmentSerializer(serializers.ModelSerializer):
    child_name = serializers.CharField(source="child.name", read_only=True)
    child_id_number = serializers.CharField(source="masked_id_number", read_only=True)
    child_birth_date = serializers.DateField(source="child.birth_date", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "child_name", "child_id_number", "child_birth_date", "institution", "institution_name",
                  "age_group", "start_date", "end_date"]


class ChildcareEnrollmentDetailSerializer(ChildcareEnrollmentSerializer):
    child_id_number = IdNumberField(source="child.id_number")
    guardians = GuardianSerializer(many=True, read_only=True)

    class Meta(ChildcareEnrollmentSerializer.Meta):
        fields = [*ChildcareEnrollmentSerializer.Meta.fields, "guardians"]


class GuardianInputSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=50)
    relationship = serializers.ChoiceField(choices=EnrollmentGuardian.Relationship.choices)
    phone = serializers.CharField(max_length=20, required=False, default="")


class ChildcareEnrollmentCreateSerializer(serializers.Serializer):
    institution = serializers.IntegerField()
    child_id_number = serializers.CharField(max_length=18)
    child_name = serializers.CharField(max_length=50)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)
    start_date = serializers.DateField()
    guardians = GuardianInputSerializer(many=True, required=False, default=list)


class LeaveSerializer(serializers.Serializer):
    end_date = serializers.DateField()


class ChildcareEnrollmentViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Enrolled children. Lists mask ID numbers; a detail read is written to the access log."""

    permission_classes = [HasRole]
    queryset = Enrollment.objects.none()

    def get_queryset(self):
        return selectors.enrollment_list(user=self.request.user, filters=self.request.query_params)

    def get_serializer_class(self):
        return {"retrieve": ChildcareEnrollmentDetailSerializer, "create": ChildcareEnrollmentCreateSerializer,
                "leave": LeaveSerializer}.get(self.action, ChildcareEnrollmentSerializer)

    def get_object(self):
        enrollment = selectors.enrollment_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.action == "retrieve":
            audit.log_read(user=self.request.user, obj=enrollment.child, request=self.request,
                           action=AccessLog.Action.API, purpose="托育在托婴幼儿档案")
        return enrollment

    @idempotent
    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        institution = selectors.institution_get(user=request.user, pk=values["institution"])
        enrollment = enrollment_services.enrollment_create(
            institution=institution, child_id_number=values["child_id_number"], child_name=values["child_name"],
            start_date=values["start_date"], age_group=values["age_group"],
            guardians=[enrollment_services.GuardianInput(**g) for g in values["guardians"]])
        return Response(ChildcareEnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        data = LeaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment = enrollment_services.enrollment_leave(enrollment=self.get_object(), user=request.user,
                                                          end_date=data.validated_data["end_date"])
        return Response(ChildcareEnrollmentSerializer(enrollment).data)


def _visible_enrollments(user):
    return selectors.enrollment_list(user=user)


class AttendanceSerializer(serializers.ModelSerializer):
    month = serializers.DateField(format="%Y-%m", input_formats=["%Y-%m", "%Y-%m-%d"])
    enrollment = ScopedPrimaryKeyRelatedField(scope=_visible_enrollments)  # elsewhere = unknown

    class Meta:
        model = Attendance
        fields = ["id", "enrollment", "month", "days_present"]
        extra_kwargs = {"enrollment": {"queryset": Enrollment.objects.all()}}


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class AttendanceViewSet(mixins.ListModelMixin, IdempotentCreateMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    permission_classes = [HasRole]
    serializer_class = AttendanceSerializer
    queryset = Attendance.objects.none()

    def get_queryset(self):
        return selectors.attendance_list(user=self.request.user, filters=self.request.query_params)

    def perform_create(self, serializer):
        enrollment = selectors.enrollment_get(user=self.request.user, pk=serializer.validated_data["enrollment"].pk)
        serializer.instance = attendance_services.attendance_record(
            enrollment=enrollment, month=serializer.validated_data["month"],
            days_present=serializer.validated_data["days_present"])

    @idempotent
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser],
            serializer_class=ImportSerializer)
    def import_file(self, request):
        """CSV/XLSX, header id_number,institution_uscc,month,days_present — the shared import service's
        `attendance` kind (also `POST /api/v1/imports/` with kind=attendance). All-or-nothing: on any bad row,
        400 with `errors`: [{line, column, value, reason}] and nothing written. The answer keeps this
        endpoint's original shape; `batch` and `errors_url` point at the import batch and its full report."""
        ImportLimits.from_settings().check_declared_length(request.META)  # before the body is parsed
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        batch = import_file(kind=ImportBatch.Kind.ATTENDANCE, handle=upload.open("rb"), file_name=upload.name,
                            user=request.user, source="api")
        if batch.status != ImportBatch.Status.SUCCEEDED:
            errors = [{"line": line, "column": column, "value": value, "reason": message} for line, column, value, message
                      in batch_issues(batch=batch).values_list("line", "column", "value", "message")[:API_ERROR_LIMIT]]
            return Response({**error_body("import_invalid", batch.message), "batch": batch.pk, "errors": errors,
                             "errors_url": request.build_absolute_uri(reverse("imports:errors", args=[batch.pk, "csv"]))},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"rows": batch.rows_total, "created": batch.rows_created, "updated": batch.rows_updated,
                         "unchanged": batch.rows_unchanged, "batch": batch.pk})


@extend_schema_serializer(component_name="ChildcareSubsidyClaim")  # both apps have a "Claim"
class ClaimSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    institution_uscc = serializers.CharField(source="institution.uscc", read_only=True)
    has_open_serious_finding = serializers.BooleanField(read_only=True, default=None)
    # Plain text, not a second "status" enum in the schema: draft / submitted / returned / approved.
    status = serializers.CharField(read_only=True)
    submitted_by: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    reviewed_by: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    first_reviewed_by: serializers.StringRelatedField[User] = serializers.StringRelatedField()

    class Meta:
        model = OperatingSubsidyClaim
        fields = ["id", "institution", "institution_name", "institution_uscc", "year", "status", "child_months",
                  "certified_child_months", "amount", "flags", "has_open_serious_finding", "computed_at",
                  "submitted_by", "submitted_at", "first_reviewed_by", "first_reviewed_at", "published_at",
                  "publicity_starts_on", "publicity_ends_on", "reviewed_by", "reviewed_at", "review_comment"]


@extend_schema_serializer(component_name="ChildcareSubsidyClaimDetail")
class ClaimDetailSerializer(ClaimSerializer):
    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "monthly", "explanation", "parameter_versions"]


class ComputeSerializer(serializers.Serializer):
    institution = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    queryset = OperatingSubsidyClaim.objects.none()

    def get_queryset(self):
        return selectors.claim_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return selectors.claim_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        return {"retrieve": ClaimDetailSerializer, "compute": ComputeSerializer, "approve": ReviewSerializer,
                "publish": ReviewSerializer,
                "return_claim": ReviewSerializer}.get(self.action, ClaimSerializer)

    def _detail(self, claim):
        return Response(ClaimDetailSerializer(selectors.claim_get(user=self.request.user, pk=claim.pk)).data)

    @idempotent
    @action(detail=False, methods=["post"])
    def compute(self, request):
        data = ComputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        institution = selectors.institution_get(user=request.user, pk=data.validated_data["institution"])
        return self._detail(claim_services.claim_compute(institution=institution, year=data.validated_data["year"],
                                                         user=request.user))

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._detail(claim_services.claim_submit(claim=self.get_object(), user=request.user))

    @extend_schema(examples=[
        OpenApiExample("初审通过并公示", value={"comment": "在托人数与考勤一致"}, request_only=True),
        OpenApiExample("公示中", response_only=True, status_codes=["200"], value={
            "id": 7, "status": "publicizing", "status_display": "公示中", "amount": "28800.00",
            "publicity_starts_on": "2026-12-03", "publicity_ends_on": "2026-12-09"}),
        OpenApiExample("提交人不能初审", value={"code": "four_eyes", "detail": FOUR_EYES_MESSAGE, "fields": {}},
                       response_only=True, status_codes=["403"])])
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """初审通过并公示 (submitted → publicizing): a reviewer who did not submit the claim; opens the public list
        and its window (`childcare.publicity_working_days` working days from the next working day)."""
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(claim_services.claim_publish(claim=self.get_object(), user=request.user,
                                                         comment=data.validated_data["comment"]))

    @extend_schema(request=None, responses=PublicityListSerializer, examples=[OpenApiExample(
        "公示名单", response_only=True, value={
            "published": True, "public_url": "https://portal.example/public/publicity/3q2-Xr7yZ0kLmNoPqRsTuVwXyZ012345/",
            "starts_on": "2026-12-03", "ends_on": "2026-12-09", "working_days": 5,
            "progress": {"elapsed": 1, "total": 5, "passed": False},
            "columns": ["机构名称", "统一社会信用代码", "年度", "补助金额"],
            "rows": [["南关区阳光托育园", "9122**********001X", "2025年", "28800.00"]]})])
    @action(detail=True, methods=["get"])
    def publicity(self, request, pk=None):
        """The claim's 公示: window, progress, public link and its public row (the columns the public sees)."""
        return Response(PublicityListSerializer(claim_publicity(claim=self.get_object(), request=request)).data)

    @extend_schema(examples=[
        OpenApiExample("复核通过", value={"comment": "公示期满无异议"}, request_only=True),
        OpenApiExample("公示期未满", value={"code": WINDOW_OPEN_CODE, "detail": "公示期至 2026-12-09（含）止，公示期满后方可复核",
                                       "fields": {}}, response_only=True, status_codes=["409"]),
        OpenApiExample("异议未处理", value={"code": "objection_open", "fields": {},
                                       "detail": "南关区阳光托育园 2025年运营补助的补助申报有未处理完毕的异议，异议处理后方可复核"},
                       response_only=True, status_codes=["409"])])
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """复核通过 (publicizing → approved): neither the submitter nor the first reviewer, once the window has
        passed (409 publicity_window_open) and no objection on the claim is open (409 objection_open)."""
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(claim_services.claim_approve(claim=self.get_object(), user=request.user,
                                                         comment=data.validated_data["comment"]))

    @extend_schema(examples=[
        OpenApiExample("退回", value={"comment": "考勤记录与在托名单不符，请核对后重新提交"}, request_only=True),
        OpenApiExample("须填写理由", value={"code": "comment_required", "detail": "请填写“退回”的原因",
                                        "fields": {"comment": [{"code": "comment_required", "message": "请填写原因"}]}}, response_only=True, status_codes=["400"])])
    @action(detail=True, methods=["post"], url_path="return")
    def return_claim(self, request, pk=None):
        """退回 (submitted or publicizing → returned): with a reason; a claim in its 公示 window comes off the
        public list."""
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(claim_services.claim_return(claim=self.get_object(), user=request.user,
                                                        comment=data.validated_data["comment"]))

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PdfRenderer])
    def notice(self, request, pk=None):
        """本申报的告知书 PDF（审核通过前为草稿）：内容未变时为已存版本，否则生成新版本；每次下载记入访问日志。"""
        claim = self.get_object()
        if claim.amount <= 0:
            raise NotFoundError("no_notice", "该申报没有补助金额，不出具告知书。")
        return notice_pdf_response(request=request, source=NOTICE_SOURCE, source_id=claim.pk,
                                   row_key=str(claim.institution_id), filename=f"告知书-托育-{claim.pk}")

    @action(detail=False, methods=["get"])
    def export(self, request):
        """Approved claims as the disbursement list: ?year=2025&export_format=csv|xlsx (plus the list filters)."""
        claims, year = selectors.disbursement_claims(user=request.user, filters=request.query_params)
        return disbursement_response(claims, request.query_params.get("export_format", "csv"), year)


class ClaimRunSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)  # pending / running / done / failed

    class Meta:
        model = ClaimRun
        fields = ["id", "year", "region_code", "status", "total", "processed", "percent", "computed", "skipped",
                  "failed", "message", "created_at", "finished_at"]
        read_only_fields = [f for f in fields if f != "year"]


class ClaimRunViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """POST {"year": 2025} computes every editable claim of your region in a Celery task; GET shows progress."""

    permission_classes = [HasRole]
    serializer_class = ClaimRunSerializer
    queryset = ClaimRun.objects.none()

    def get_object(self):
        return selectors.claim_run_get(user=self.request.user, pk=self.kwargs["pk"])

    @idempotent
    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = claim_runs.claim_run_start(user=request.user, year=data.validated_data.get("year")
                                             or timezone.localdate().year - 1)
        return Response(ClaimRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


def register(router) -> None:
    router.register("childcare/institutions", InstitutionViewSet, basename="childcare-institution")
    router.register("childcare/enrollments", ChildcareEnrollmentViewSet, basename="childcare-enrollment")
    router.register("childcare/attendance", AttendanceViewSet, basename="childcare-attendance")
    router.register("childcare/claims", ClaimViewSet, basename="childcare-claim")
    router.register("childcare/claim-runs", ClaimRunViewSet, basename="childcare-claim-run")
