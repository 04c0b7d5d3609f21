"""The phone's side of offline home visits (docs/offline-visits.md), two actions mixed into CaseViewSet:

GET  /api/v1/child-welfare/cases/offline/               my open cases, only what the visit form needs
POST /api/v1/child-welfare/cases/{id}/offline-visits/   record a queued visit (Idempotency-Key per queued visit);
                                                        409 `offline_visit_conflict` when the case changed meanwhile
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.child_welfare import selectors, services
from apps.child_welfare.api.base import ModelSerializer
from apps.child_welfare.api.care import VisitSerializer
from apps.child_welfare.models import Case, Visit
from apps.child_welfare.services.offline import CONFLICT_CODE, latest_visit_id
from apps.core import audit
from apps.core.api.idempotency import idempotent
from apps.core.models import AccessLog

ID_LIMIT = 2**31 - 1


class OfflineCaseSerializer(ModelSerializer):
    reference = serializers.CharField(read_only=True)
    child_name = serializers.CharField(source="child.name")
    child_id_number = serializers.CharField(source="masked_child_id_number", help_text="脱敏身份证号")
    case_version = serializers.IntegerField(source="version", help_text="缓存时个案的版本号，同步时原样提交")
    last_visit_id = serializers.IntegerField(allow_null=True, help_text="缓存时最近一次探访的编号，同步时原样提交")

    class Meta:
        model = Case
        fields = ["id", "reference", "child_name", "child_id_number", "next_visit_due", "case_version",
                  "last_visit_id"]


class OfflineVisitSerializer(ModelSerializer):
    case_version = serializers.IntegerField(min_value=1, max_value=ID_LIMIT)
    last_visit_id = serializers.IntegerField(min_value=1, max_value=ID_LIMIT, allow_null=True)
    acknowledged = serializers.ListField(child=serializers.CharField(max_length=32), required=False, default=list,
                                         max_length=5, help_text="仍然提交时：冲突中看到的原因代码（reasons）")
    resolution_note = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=True,
                                            help_text="仍然提交时必填：经办人说明，附在探访发现之后")

    class Meta:
        model = Visit
        fields = ["visited_on", "visitors", "child_seen", "findings", "services_delivered", "case_version",
                  "last_visit_id", "acknowledged", "resolution_note"]


VISIT_EXAMPLE = {"visited_on": "2026-12-01", "visitors": "儿童主任刘红梅", "child_seen": True,
                 "findings": "见到儿童本人，情绪稳定", "services_delivered": "送去冬衣", "case_version": 7,
                 "last_visit_id": 41}
CONFLICT_EXAMPLE = {
    "code": CONFLICT_CODE, "detail": "离线记录期间个案已有变更，未自动保存。请核对后选择“仍然提交”（附说明）或“放弃”。",
    "fields": {"case_version": [{"code": CONFLICT_CODE, "message": "2026-11-30 王经办 已记录探访（见到儿童本人）"}]},
    "data": {"reasons": ["visit_recorded"], "reason_labels": ["期间已有新的探访记录"],
             "changes": ["2026-11-30 王经办 已记录探访（见到儿童本人）"],
             "server": {"case_version": 8, "last_visit_id": 42, "status": "服务中", "assigned_worker": "王经办",
                        "last_visit_on": "2026-11-30", "next_visit_due": "2027-01-29",
                        "visits_since": [{"visited_on": "2026-11-30", "recorded_by": "王经办", "child_seen": True}]}},
}
SYNCED = inline_serializer("OfflineVisitSynced", {
    "visit": VisitSerializer(),
    "case": inline_serializer("OfflineVisitCase", {"id": serializers.IntegerField(),
                                                   "case_version": serializers.IntegerField(),
                                                   "last_visit_id": serializers.IntegerField(),
                                                   "next_visit_due": serializers.DateField(allow_null=True)}),
})


class OfflineVisitActions:
    """Mixed into CaseViewSet (its permission, scoping and the lookup before the body)."""

    @extend_schema(responses=inline_serializer("OfflineCases", {
        "user": serializers.IntegerField(), "generated_at": serializers.DateTimeField(),
        "cases": OfflineCaseSerializer(many=True)}), examples=[OpenApiExample("我的在办个案", response_only=True, value={
            "user": 12, "generated_at": "2026-12-01T08:00:00+08:00",
            "cases": [{"id": 5, "reference": "KJ220102-000005", "child_name": "李小明",
                       "child_id_number": "220102********1234", "next_visit_due": "2026-12-15", "case_version": 7,
                       "last_visit_id": 41}]})])
    @action(detail=False, methods=["get"], url_path="offline", filter_backends=[], pagination_class=None)
    def offline(self, request):
        """离线探访：本人负责的在办个案（仅探访表单所需：编号、儿童姓名、脱敏身份证号、下次探访期限、版本）。"""
        cases = list(selectors.offline_cases(user=request.user))
        audit.log_bulk_read(user=request.user, model=Case, ids=[c.pk for c in cases], request=request,
                            action=AccessLog.Action.API)
        return Response({"user": request.user.pk, "generated_at": timezone.now(),
                         "cases": OfflineCaseSerializer(cases, many=True).data})

    @idempotent
    @extend_schema(request=OfflineVisitSerializer, responses={201: SYNCED}, examples=[
        OpenApiExample("同步一条离线探访", value=VISIT_EXAMPLE, request_only=True),
        OpenApiExample("核对冲突后仍然提交", request_only=True, value={
            **VISIT_EXAMPLE, "case_version": 8, "last_visit_id": 42, "acknowledged": ["visit_recorded"],
            "resolution_note": "与王经办分别入户，情况不同"}),
        OpenApiExample("个案已变更", value=CONFLICT_EXAMPLE, response_only=True, status_codes=["409"])])
    @action(detail=True, methods=["post"], url_path="offline-visits")
    def offline_visits(self, request, pk=None):
        """同步一条离线记录的入户探访。个案在缓存后有变更（结案、转派、新的探访等）时返回 409
        `offline_visit_conflict`，`data` 中含服务器一侧的情况；核对后以新的版本号、`acknowledged` 和说明再次提交。"""
        data = OfflineVisitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visit = services.visit_sync(user=request.user, case_id=int(pk), **data.validated_data)
        case = visit.case
        return Response({"visit": VisitSerializer(visit).data,
                         "case": {"id": case.pk, "case_version": case.version, "last_visit_id": latest_visit_id(case),
                                  "next_visit_due": case.next_visit_due}}, status=status.HTTP_201_CREATED)
