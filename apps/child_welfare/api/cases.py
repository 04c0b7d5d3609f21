"""/api/v1/child-welfare/… — cases (with lifecycle actions), assessments, plans, visits, referrals.

Integration accounts have no access to children's cases. Every read is logged; a stale `version` is a 409
whose `fields` show the other person's values.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import User
from apps.accounts.permissions import STAFF_ROLES, HasRole
from apps.child_welfare import lifecycle, selectors, services
from apps.child_welfare.models import (
    Assessment,
    Case,
    CaseCategory,
    CaseGuardian,
    CaseTransition,
    ClosureReason,
    Domain,
    PlanItem,
    Referral,
    RiskChange,
    RiskLevel,
    Severity,
    Visit,
)
from apps.core import audit
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


class CategorySerializer(ModelSerializer):
    class Meta:
        model = CaseCategory
        fields = ["id", "category", "since", "note"]


@extend_schema_serializer(component_name="CaseGuardian")  # childcare has a "CaseGuardian" too
class GuardianSerializer(ModelSerializer):
    class Meta:
        model = CaseGuardian
        fields = ["id", "name", "relationship", "situation", "phone", "note"]


@extend_schema_serializer(component_name="CaseTransition")  # training has a "Transition" too
class TransitionSerializer(ModelSerializer):
    by = serializers.StringRelatedField()
    from_region = serializers.CharField(source="from_region_id", allow_null=True)
    to_region = serializers.CharField(source="to_region_id", allow_null=True)

    class Meta:
        model = CaseTransition
        fields = ["id", "action", "from_status", "to_status", "reason", "closure_reason", "from_region", "to_region",
                  "by", "at"]


class RiskChangeSerializer(ModelSerializer):
    by = serializers.StringRelatedField()

    class Meta:
        model = RiskChange
        fields = ["from_level", "to_level", "reason", "by", "at"]


class CaseListSerializer(ModelSerializer):
    reference = serializers.CharField(read_only=True)
    child_name = serializers.CharField(source="child.name")
    child_id_number = serializers.CharField(source="masked_child_id_number")
    region_code = serializers.CharField(source="region_id")
    categories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="category")

    class Meta:
        model = Case
        fields = ["id", "reference", "child_name", "child_id_number", "region_code", "status", "risk_level",
                  "categories", "assigned_worker", "reported_on", "next_visit_due", "version"]


class CaseDetailSerializer(ModelSerializer):
    reference = serializers.CharField(read_only=True)
    child = serializers.SerializerMethodField()
    region_code = serializers.CharField(source="region_id")
    categories = CategorySerializer(many=True)
    guardians = GuardianSerializer(many=True)
    transitions = TransitionSerializer(many=True)
    risk_changes = RiskChangeSerializer(many=True)
    available_actions = serializers.SerializerMethodField()
    sensitive_note_count = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "reference", "child", "region_code", "township", "village", "address", "status",
                  "risk_level", "referral_source", "reported_on", "household_situation", "household_size",
                  "assigned_worker", "director", "identity_verified", "documents_verified",
                  "at_inclusive_kindergarten", "kindergarten_approved", "urban", "last_visit_on", "next_visit_due",
                  "next_review_due", "closure_reason", "closed_on", "version", "categories", "guardians",
                  "transitions", "risk_changes", "available_actions", "sensitive_note_count"]

    def get_child(self, case) -> dict:
        child = case.child
        return {"id": child.pk, "name": child.name, "id_number": child.id_number, "sex": child.sex,
                "birth_date": child.birth_date.isoformat()}

    def get_available_actions(self, case) -> list[str]:
        return [t.action for t in lifecycle.available(case.status)]

    def get_sensitive_note_count(self, case) -> int:
        return case.sensitive_notes.count()


class CaseReportSerializer(serializers.Serializer):
    child_id_number = serializers.CharField(max_length=18)
    child_name = serializers.CharField(max_length=50)
    region_code = serializers.CharField(max_length=12)
    referral_source = InlineChoiceField(choices=Case._meta.get_field("referral_source").choices)
    risk_level = InlineChoiceField(choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    risk_reason = serializers.CharField(required=False, allow_blank=True, default="")
    categories = CategorySerializer(many=True, required=False, default=list)
    guardians = GuardianSerializer(many=True, required=False, default=list)
    township = serializers.CharField(required=False, allow_blank=True, default="")
    village = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    household_situation = serializers.CharField(required=False, allow_blank=True, default="")
    assigned_worker = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False,
                                                         allow_null=True, default=None)


class CaseUpdateSerializer(ModelSerializer):
    version = serializers.IntegerField(help_text="所编辑记录的版本号；已被他人修改时返回409")

    class Meta:
        model = Case
        fields = ["version", *services.CASE_EDITABLE]


class TransitionRequestSerializer(serializers.Serializer):
    action = InlineChoiceField(choices=[(t.action, t.label) for t in lifecycle.TRANSITIONS.values()])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    closure_reason = InlineChoiceField(choices=ClosureReason.choices, required=False, allow_blank=True,
                                             default="")
    target_region = serializers.CharField(required=False, allow_blank=True, default="")
    target_worker = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False,
                                                       allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class RiskRequestSerializer(serializers.Serializer):
    risk_level = InlineChoiceField(choices=RiskLevel.choices)
    reason = serializers.CharField()
    version = serializers.IntegerField()


class PurposeSerializer(serializers.Serializer):
    purpose = serializers.CharField(help_text="查看事由（个人信息保护法：目的限定），记入访问日志")


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField()


def _case_detail_response(case, request, code=status.HTTP_200_OK) -> Response:
    case = selectors.case_get(user=request.user, pk=case.pk)
    return Response(CaseDetailSerializer(case).data, status=code)


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """困境儿童个案. Only the assigned caseworker, the region's supervisors and administrators see a case."""

    permission_classes = [StaffOnly]
    queryset = Case.objects.none()

    def get_queryset(self):
        return selectors.case_list(user=self.request.user, filters=self.request.query_params)

    def get_serializer_class(self):
        return {"list": CaseListSerializer, "create": CaseReportSerializer,
                "partial_update": CaseUpdateSerializer}.get(self.action, CaseDetailSerializer)

    def get_object(self):
        return selectors.case_get(user=self.request.user, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data.get("results", [])]
        audit.log_bulk_read(user=request.user, model=Case, ids=ids, request=request, action=AccessLog.Action.API)
        return response

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        audit.log_read(user=request.user, obj=case, request=request, action=AccessLog.Action.API)
        return Response(CaseDetailSerializer(case).data)

    @extend_schema(request=CaseReportSerializer, responses=CaseDetailSerializer)
    def create(self, request):
        data = CaseReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["categories"] = [(c["category"], c["since"]) for c in values.pop("categories")]
        case = services.case_report(user=request.user, **values)
        return _case_detail_response(case, request, status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseDetailSerializer)
    def partial_update(self, request, pk=None):
        data = CaseUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version", None)
        case = services.case_update(user=request.user, case_id=int(pk), expected_version=version, data=values)
        return _case_detail_response(case, request)

    @extend_schema(request=TransitionRequestSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["get", "post"])
    def transitions(self, request, pk=None):
        """GET: the lifecycle history. POST: apply an action (verify, assess, plan, start_service, review,
        resume, reassess, close, reopen). Closing with closure_reason=moved_out needs target_region."""
        if request.method == "GET":
            case = self.get_object()
            audit.log_read(user=request.user, obj=case, request=request, action=AccessLog.Action.API)
            return Response(TransitionSerializer(case.transitions.select_related("by"), many=True).data)
        data = TransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        case = services.case_transition(user=request.user, case_id=int(pk), action=v["action"], reason=v["reason"],
                                        closure_reason=v["closure_reason"], target_region_code=v["target_region"],
                                        target_worker=v["target_worker"], expected_version=v["version"])
        if not selectors.user_can_open(request.user, case):  # transferred away: the caller no longer sees it
            return Response({"id": case.pk, "status": case.status, "region_code": case.region_id,
                             "detail": "个案已转至新区划"}, status=status.HTTP_200_OK)
        return _case_detail_response(case, request)

    @extend_schema(request=RiskRequestSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def risk(self, request, pk=None):
        data = RiskRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        case = services.case_set_risk(user=request.user, case_id=int(pk), expected_version=v["version"],
                                      risk_level=v["risk_level"], reason=v["reason"])
        return _case_detail_response(case, request)

    @extend_schema(request=CategorySerializer, responses=CategorySerializer)
    @action(detail=True, methods=["post"])
    def categories(self, request, pk=None):
        data = CategorySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.category_add(user=request.user, case_id=int(pk), **data.validated_data)
        return Response(CategorySerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PurposeSerializer)
    @action(detail=True, methods=["post"], url_path="sensitive-notes/read")
    def read_sensitive_notes(self, request, pk=None):
        """查看敏感信息: the purpose is required and logged (AccessLog action "sensitive")."""
        data = PurposeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notes = services.sensitive_notes_read(user=request.user, case_id=int(pk),
                                              purpose=data.validated_data["purpose"], request=request)
        return Response([{"id": n.pk, "text": n.text, "by": str(n.by), "at": n.at} for n in notes])

    @extend_schema(request=NoteSerializer)
    @action(detail=True, methods=["post"], url_path="sensitive-notes")
    def add_sensitive_note(self, request, pk=None):
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.sensitive_note_add(user=request.user, case_id=int(pk), text=data.validated_data["text"])
        return Response({"id": note.pk, "at": note.at}, status=status.HTTP_201_CREATED)


class LoggedReadMixin:
    """Retrieve of a case's record is a read of the child's data: logged against the record."""

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit.log_read(user=request.user, obj=obj, request=request, action=AccessLog.Action.API)
        return Response(self.get_serializer(obj).data)


class DomainSerializer(serializers.Serializer):
    domain = InlineChoiceField(choices=Domain.choices)
    severity = InlineChoiceField(choices=Severity.choices)
    needs = serializers.CharField(allow_blank=True, required=False, default="")


class AssessmentSerializer(ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all())
    domains = DomainSerializer(many=True)
    assessor = serializers.StringRelatedField(read_only=True)
    version = serializers.IntegerField(required=False, help_text="修改时必填：所编辑评估的版本号")

    class Meta:
        model = Assessment
        fields = ["id", "case", "assessed_on", "assessor", "summary", "domains", "version"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["domains"] = [{"domain": d.domain, "severity": d.severity, "needs": d.needs}
                           for d in instance.domains.all()]
        return data


class AssessmentViewSet(LoggedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [StaffOnly]
    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()
    filterset_fields = ["case"]

    def get_queryset(self):
        return selectors.assessment_list(user=self.request.user)

    def get_object(self):
        return selectors.child_record_get(self.get_queryset(), self.kwargs["pk"])

    def create(self, request):
        data = AssessmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        assessment = services.assessment_create(
            user=request.user, case_id=v["case"].pk, assessed_on=v["assessed_on"], summary=v.get("summary", ""),
            domains={d["domain"]: d for d in v["domains"]})
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        current = self.get_object()
        data = AssessmentSerializer(current, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        domains = {d["domain"]: d for d in v["domains"]} if "domains" in v else {
            d.domain: {"severity": d.severity, "needs": d.needs} for d in current.domains.all()}
        assessment = services.assessment_update(
            user=request.user, assessment_id=current.pk, expected_version=v.get("version"),
            assessed_on=v.get("assessed_on", current.assessed_on), summary=v.get("summary", current.summary),
            domains=domains)
        return Response(AssessmentSerializer(selectors.child_record_get(self.get_queryset(), assessment.pk)).data)


class PlanItemSerializer(ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all())

    class Meta:
        model = PlanItem
        fields = ["id", "case", "domain", "goal", "service", "responsible_type", "responsible_name", "due_date",
                  "status"]


class PlanItemViewSet(LoggedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """服务计划事项: goals and services per domain, with responsible party, due date and status."""

    permission_classes = [StaffOnly]
    serializer_class = PlanItemSerializer
    queryset = PlanItem.objects.none()
    filterset_fields = ["case", "domain", "status"]

    def get_queryset(self):
        return selectors.plan_item_list(user=self.request.user)

    def get_object(self):
        return selectors.child_record_get(self.get_queryset(), self.kwargs["pk"])

    def create(self, request):
        data = PlanItemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = values.pop("case")
        item = services.plan_item_save(user=request.user, case_id=case.pk, **values)
        return Response(PlanItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        item = self.get_object()
        data = PlanItemSerializer(item, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("case", None)
        item = services.plan_item_save(user=request.user, case_id=item.case_id, item_id=item.pk, **values)
        return Response(PlanItemSerializer(item).data)


class VisitSerializer(ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all())
    recorded_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "case", "visited_on", "visitors", "child_seen", "findings", "services_delivered",
                  "recorded_by"]


class VisitViewSet(LoggedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [StaffOnly]
    serializer_class = VisitSerializer
    queryset = Visit.objects.none()
    filterset_fields = ["case", "child_seen"]

    def get_queryset(self):
        return selectors.visit_list(user=self.request.user)

    def get_object(self):
        return selectors.child_record_get(self.get_queryset(), self.kwargs["pk"])

    def create(self, request):
        data = VisitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = values.pop("case")
        visit = services.visit_record(user=request.user, case_id=case.pk, **values)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class ReferralSerializer(ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all())

    class Meta:
        model = Referral
        fields = ["id", "case", "target_type", "target_name", "resource", "domain", "request", "referred_on",
                  "status", "response", "responded_on"]
        read_only_fields = ["status", "response", "responded_on"]


class ReferralResponseSerializer(serializers.Serializer):
    status = InlineChoiceField(choices=[c for c in Referral.ReferralStatus.choices if c[0] != "sent"])
    response = serializers.CharField(allow_blank=True)
    responded_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReferralViewSet(LoggedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """转介 to departments, charities and volunteers; `respond` records their answer."""

    permission_classes = [StaffOnly]
    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()
    filterset_fields = ["case", "target_type", "status"]

    def get_queryset(self):
        return selectors.referral_list(user=self.request.user)

    def get_object(self):
        return selectors.child_record_get(self.get_queryset(), self.kwargs["pk"])

    def create(self, request):
        data = ReferralSerializer(data=request.data)
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

