"""/api/v1/child-welfare/cases/… — the case, with its lifecycle actions, risk, categories and sensitive notes.

Integration accounts have no access to children's cases. Every read is logged; a stale `version` is a 409
whose `fields` show the other person's values.
"""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.models import User
from apps.child_welfare import selectors, services
from apps.child_welfare.api.base import InlineChoiceField, ModelSerializer, StaffOnly
from apps.child_welfare.api.offline import OfflineVisitActions
from apps.child_welfare.lifecycle import CASE_LIFECYCLE
from apps.child_welfare.models import (
    Case,
    CaseCategory,
    CaseGuardian,
    CaseTransition,
    ChildrenDirector,
    ClosureReason,
    ReferralSource,
    RiskChange,
    RiskLevel,
)
from apps.core import audit
from apps.core.api.fields import ScopedPrimaryKeyRelatedField, id_number_for
from apps.core.api.idempotency import idempotent
from apps.core.api.views import RecordBeforeBody
from apps.core.models import AccessLog
from apps.core.scoping import scope_queryset


def _visible_users(user):
    """The accounts a caller may name as a case's worker: those of their own region (others look unknown)."""
    return scope_queryset(User.objects.all(), user)


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
    by: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    from_region = serializers.CharField(source="from_region_id", allow_null=True)
    to_region = serializers.CharField(source="to_region_id", allow_null=True)

    class Meta:
        model = CaseTransition
        fields = ["id", "action", "from_status", "to_status", "reason", "closure_reason", "from_region", "to_region",
                  "by", "at"]


class RiskChangeSerializer(ModelSerializer):
    by: serializers.StringRelatedField[User] = serializers.StringRelatedField()

    class Meta:
        model = RiskChange
        fields = ["from_level", "to_level", "reason", "by", "at"]


class CaseListSerializer(ModelSerializer):
    reference = serializers.CharField(read_only=True)
    child_name = serializers.CharField(source="child.name")
    child_id_number = serializers.CharField(source="masked_child_id_number")
    region_code = serializers.CharField(source="region_id")
    categories: serializers.SlugRelatedField[CaseCategory] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="category")

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
        return {"id": child.pk, "name": child.name, "id_number": id_number_for(self.context.get("request"), child.id_number), "sex": child.sex,
                "birth_date": child.birth_date.isoformat()}

    def get_available_actions(self, case) -> list[str]:
        return [t.action for t in CASE_LIFECYCLE.from_status(case.status)]

    def get_sensitive_note_count(self, case) -> int:
        return case.sensitive_notes.count()


class CaseReportSerializer(serializers.Serializer):
    child_id_number = serializers.CharField(max_length=18)
    child_name = serializers.CharField(max_length=50)
    region_code = serializers.CharField(max_length=12)
    referral_source = InlineChoiceField(choices=ReferralSource.choices)
    risk_level = InlineChoiceField(choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    risk_reason = serializers.CharField(required=False, allow_blank=True, default="")
    categories = CategorySerializer(many=True, required=False, default=list)
    guardians = GuardianSerializer(many=True, required=False, default=list)
    township = serializers.CharField(required=False, allow_blank=True, default="")
    village = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    household_situation = serializers.CharField(required=False, allow_blank=True, default="")
    assigned_worker = ScopedPrimaryKeyRelatedField(scope=_visible_users, required=False, allow_null=True, default=None)


def _visible_directors(user):
    return scope_queryset(ChildrenDirector.objects.all(), user)


class CaseUpdateSerializer(ModelSerializer):
    version = serializers.IntegerField(help_text="所编辑记录的版本号；已被他人修改时返回409")
    # Another region's worker or director answers like an unknown id (no existence oracle).
    assigned_worker = ScopedPrimaryKeyRelatedField(scope=_visible_users, required=False, allow_null=True)
    director = ScopedPrimaryKeyRelatedField(scope=_visible_directors, required=False, allow_null=True)

    class Meta:
        model = Case
        fields = ["version", *services.CASE_EDITABLE]


class TransitionRequestSerializer(serializers.Serializer):
    action = InlineChoiceField(choices=[(t.action, t.label) for t in CASE_LIFECYCLE.transitions.values()])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    closure_reason = InlineChoiceField(choices=ClosureReason.choices, required=False, allow_blank=True,
                                             default="")
    target_region = serializers.CharField(required=False, allow_blank=True, default="")
    # An id, not a looked-up user: the worker is one of the *target* region's, which the caller may not see, so
    # the service resolves it there and answers an unknown id and another region's worker alike.
    target_worker = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                             max_value=2**31 - 1)
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
    return Response(CaseDetailSerializer(case, context={"request": request}).data, status=code)


class CaseViewSet(OfflineVisitActions, RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """困境儿童个案. Only the assigned caseworker, the region's supervisors and administrators see a case."""

    permission_classes = [StaffOnly]
    queryset = Case.objects.none()
    lookup_value_regex = r"\d+"  # /cases/abc/ is no case (404), not an int() that fails (500)

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
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    @idempotent
    @extend_schema(request=CaseReportSerializer, responses=CaseDetailSerializer)
    def create(self, request):
        data = CaseReportSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["categories"] = [(c["category"], c["since"]) for c in values.pop("categories")]
        case = services.case_report(user=request.user, **values)
        return _case_detail_response(case, request, status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseDetailSerializer)
    def partial_update(self, request, pk=None):
        data = CaseUpdateSerializer(data=request.data, partial=True, context={"request": request})
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
                                        target_worker_id=v["target_worker"], expected_version=v["version"])
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

    @idempotent
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

    @idempotent
    @extend_schema(request=NoteSerializer)
    @action(detail=True, methods=["post"], url_path="sensitive-notes")
    def add_sensitive_note(self, request, pk=None):
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.sensitive_note_add(user=request.user, case_id=int(pk), text=data.validated_data["text"])
        return Response({"id": note.pk, "at": note.at}, status=status.HTTP_201_CREATED)
