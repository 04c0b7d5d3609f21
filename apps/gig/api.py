"""/api/v1/gig/… — brokers, postings (matches, transitions, placements), worker registrations (matches),
placements (follow-ups). Creating POSTs take an Idempotency-Key; ids in bodies are scoped like the paths."""

from django.db import transaction
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.core import audit
from apps.core.api.fields import RegionCodeField, ScopedPrimaryKeyRelatedField, inline_choices
from apps.core.api.idempotency import idempotent
from apps.core.api.views import RecordBeforeBody
from apps.core.models import AccessLog
from apps.core.validators import validate_phone
from apps.employers.selectors import employer_list
from apps.gig import selectors, services
from apps.gig.models import Availability, Broker, Outcome, PayUnit, Placement, Posting, Trade


class GigMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="record.pk")
    name = serializers.SerializerMethodField()
    trade_score = serializers.IntegerField(source="match.trade_score")
    region_level = serializers.CharField(source="match.region_label")
    overlap_days = serializers.IntegerField(source="match.overlap_days")
    pay_ok = serializers.BooleanField(source="match.pay_ok", allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField(), source="match.reasons")

    def get_name(self, candidate) -> str:
        record = candidate.record
        return record.person.name if isinstance(record, Availability) else record.title


# --- Brokers -------------------------------------------------------------------------------------------------

class GigBrokerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)
    status = inline_choices(Broker.Status.choices, read_only=True)

    class Meta:
        model = Broker
        fields = ["id", "name", "id_number", "region_code", "phone", "status", "registered_on", "deregistered_on"]


class GigBrokerCreateSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, validators=[validate_phone])
    region_code = RegionCodeField()
    registered_on = serializers.DateField(required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class BrokerViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """劳务经纪人 of the caller's region; POST registers one at a 乡镇 or 村 (400 broker_region_level otherwise)."""

    permission_classes = [HasRole]
    serializer_class = GigBrokerSerializer
    queryset = Broker.objects.none()

    def get_queryset(self):
        return selectors.broker_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        broker = selectors.broker_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.action == "retrieve":
            audit.log_read(user=self.request.user, obj=broker, request=self.request, action=AccessLog.Action.API)
        return broker

    @idempotent
    @extend_schema(request=GigBrokerCreateSerializer, responses={201: GigBrokerSerializer}, examples=[
        OpenApiExample("登记到村", request_only=True, value={
            "id_number": "220102198801010012", "name": "王建国", "phone": "13904310001",
            "region_code": "220102001001", "registered_on": "2026-03-01"}),
        OpenApiExample("已登记", response_only=True, status_codes=["201"], value={
            "id": 3, "name": "王建国", "id_number": "2201**********0012", "region_code": "220102001001",
            "phone": "13904310001", "status": "active", "registered_on": "2026-03-01", "deregistered_on": None}),
        OpenApiExample("区划层级不符", response_only=True, status_codes=["400"], value={
            "code": "broker_region_level", "detail": "劳务经纪人应登记到乡镇（街道）或村（社区）。",
            "fields": {"region": ["请选择乡镇（街道）或村（社区）。"]}})])
    def create(self, request):
        data = GigBrokerCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        with transaction.atomic():  # a refused registration leaves no new person behind
            person = services.person_for(id_number=d["id_number"], name=d["name"], phone=d["phone"],
                                         region_id=d["region_code"].code, user=request.user)
            broker = services.broker_register(broker=Broker(
                person=person, region=d["region_code"], phone=d["phone"], registered_on=d.get("registered_on"),
                note=d["note"]), user=request.user)
        return Response(GigBrokerSerializer(selectors.broker_get(user=request.user, pk=broker.pk)).data,
                        status=status.HTTP_201_CREATED)


# --- Postings ------------------------------------------------------------------------------------------------

class GigPostingSerializer(serializers.ModelSerializer):
    employer = ScopedPrimaryKeyRelatedField(scope=lambda user: employer_list(user=user), required=False,
                                            allow_null=True)
    broker = ScopedPrimaryKeyRelatedField(scope=lambda user: selectors.broker_list(user=user), required=False,
                                          allow_null=True)
    trade = inline_choices(Trade.choices)
    pay_unit = inline_choices(PayUnit.choices, required=False)
    region_code = RegionCodeField(source="region")
    status = inline_choices(Posting.Status.choices, read_only=True)
    taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = Posting
        fields = ["id", "title", "employer", "broker", "trade", "pay", "pay_unit", "headcount", "taken",
                  "start_date", "end_date", "region_code", "address", "description", "status"]


class GigTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a, str(t.label)) for a, t in services.POSTING_LIFECYCLE.transitions.items()])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class GigPlaceSerializer(serializers.Serializer):
    availability = ScopedPrimaryKeyRelatedField(scope=lambda user: selectors.availability_list(user=user))
    start_date = serializers.DateField()
    broker = ScopedPrimaryKeyRelatedField(scope=lambda user: selectors.broker_list(user=user), required=False,
                                          allow_null=True)


class GigFollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    visited_on = serializers.DateField()
    outcome = inline_choices(Outcome.choices)
    pay_received = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class GigPlacementSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="availability.person.name", read_only=True)
    outcome = inline_choices(Placement.State.choices, read_only=True)
    follow_ups = GigFollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "posting", "availability", "name", "broker", "start_date", "outcome", "pay_received",
                  "match_reasons", "follow_ups"]


class PostingViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """零工岗位. GET /{id}/matches/ ranks the open registrations with their reasons; POST /{id}/place/ places one
    (409 posting_full when every place is taken, 400 not_a_match with the reasons); POST /{id}/transition/."""

    permission_classes = [HasRole]
    serializer_class = GigPostingSerializer
    queryset = Posting.objects.none()

    def get_queryset(self):
        return selectors.posting_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return selectors.posting_get(user=self.request.user, pk=self.kwargs["pk"])

    @idempotent
    @extend_schema(request=GigPostingSerializer, responses={201: GigPostingSerializer}, examples=[
        OpenApiExample("用工单位发布", request_only=True, value={
            "title": "小区外墙修补瓦工", "employer": 12, "trade": "bricklayer", "pay": "260.00", "pay_unit": "day",
            "headcount": 3, "start_date": "2026-04-06", "end_date": "2026-04-12", "region_code": "220102",
            "address": "南关区幸福街 18 号"}),
        OpenApiExample("发布方二选一", response_only=True, status_codes=["400"], value={
            "code": "poster_required", "detail": "请选择发布岗位的用工单位或劳务经纪人（二选一）。",
            "fields": {"employer": ["请选择用工单位或劳务经纪人之一。"]}})])
    def create(self, request):
        serializer = GigPostingSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        posting = services.posting_create(posting=Posting(**serializer.validated_data), user=request.user)
        return Response(GigPostingSerializer(selectors.posting_get(user=request.user, pk=posting.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=GigMatchSerializer(many=True), examples=[OpenApiExample(
        "匹配结果", response_only=True, value=[{
            "id": 41, "name": "李春生", "trade_score": 2, "region_level": "同区县", "overlap_days": 5, "pay_ok": True,
            "reasons": ["工种一致：瓦工", "日期重叠 5 天（2026-04-06 至 2026-04-10）", "区划：同区县",
                        "报酬 260.00 元/天，不低于期望 240.00 元/天"]}])])
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        posting = self.get_object()
        found = selectors.posting_matches(user=request.user, posting=posting)
        audit.log_bulk_read(user=request.user, model=Availability, ids=[c.record.pk for c in found], request=request,
                            action=AccessLog.Action.API)
        return Response(GigMatchSerializer(found, many=True).data)

    @extend_schema(request=GigTransitionSerializer, responses=GigPostingSerializer, examples=[
        OpenApiExample("撤回", request_only=True, value={"action": "withdraw", "note": "用工单位取消工程"}),
        OpenApiExample("缺少原因", response_only=True, status_codes=["400"], value={
            "code": "reason_required", "detail": "请填写“撤回岗位”的原因", "fields": {"note": ["请填写原因"]}})])
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        posting = self.get_object()
        data = GigTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.posting_transition(posting=posting, action=data.validated_data["action"], user=request.user,
                                    note=data.validated_data["note"])
        return Response(GigPostingSerializer(self.get_object()).data)

    @idempotent
    @extend_schema(request=GigPlaceSerializer, responses={201: GigPlacementSerializer}, examples=[
        OpenApiExample("经经纪人撮合上岗", request_only=True, value={"availability": 41, "start_date": "2026-04-06",
                                                             "broker": 3}),
        OpenApiExample("名额已满", response_only=True, status_codes=["409"], value={
            "code": "posting_full", "detail": "该岗位招募 3 人，名额已满。", "fields": {}}),
        OpenApiExample("不匹配", response_only=True, status_codes=["400"], value={
            "code": "not_a_match", "detail": "工种不符：岗位要瓦工，登记的是保洁",
            "fields": {"availability": ["工种不符：岗位要瓦工，登记的是保洁"]}})])
    @action(detail=True, methods=["post"])
    def place(self, request, pk=None):
        posting = self.get_object()
        data = GigPlaceSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        placement = services.placement_create(posting=posting, availability=d["availability"],
                                              start_date=d["start_date"], broker=d.get("broker"), user=request.user)
        return Response(GigPlacementSerializer(selectors.placement_get(user=request.user, pk=placement.pk)).data,
                        status=status.HTTP_201_CREATED)


# --- Worker registrations ------------------------------------------------------------------------------------

class GigAvailabilitySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    trades = serializers.ListField(child=inline_choices(Trade.choices), source="trade_codes", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)
    pay_unit = inline_choices(PayUnit.choices, read_only=True)
    status = inline_choices(Availability.Status.choices, read_only=True)

    class Meta:
        model = Availability
        fields = ["id", "name", "id_number", "trades", "region_code", "available_from", "available_to",
                  "expected_pay", "pay_unit", "status", "closed_on", "close_reason"]
        read_only_fields = ["closed_on", "close_reason"]


class GigAvailabilityCloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                 help_text="停止求职的原因（必填）")


class GigAvailabilityCreateSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                  validators=[validate_phone])
    trades = serializers.ListField(child=inline_choices(Trade.choices), min_length=1)
    region_code = RegionCodeField()
    available_from = serializers.DateField()
    available_to = serializers.DateField()
    expected_pay = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False,
                                            allow_null=True, default=None)
    pay_unit = inline_choices(PayUnit.choices, required=False, default=PayUnit.DAY)


class AvailabilityViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """求职登记. GET /{id}/matches/ ranks the 招募中 postings this worker matches (none once stopped);
    POST /{id}/close/ 停止求职 with a reason."""

    permission_classes = [HasRole]
    serializer_class = GigAvailabilitySerializer
    queryset = Availability.objects.none()

    def get_queryset(self):
        return selectors.availability_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        availability = selectors.availability_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.action == "retrieve":
            audit.log_read(user=self.request.user, obj=availability, request=self.request,
                           action=AccessLog.Action.API)
        return availability

    @idempotent
    @extend_schema(request=GigAvailabilityCreateSerializer, responses={201: GigAvailabilitySerializer}, examples=[
        OpenApiExample("求职登记", request_only=True, value={
            "id_number": "220102199003070011", "name": "李春生", "phone": "13604310002",
            "trades": ["bricklayer", "construction_helper"], "region_code": "220102", "available_from": "2026-04-01",
            "available_to": "2026-04-30", "expected_pay": "240.00", "pay_unit": "day"}),
        OpenApiExample("日期颠倒", response_only=True, status_codes=["400"], value={
            "code": "invalid_dates", "detail": "可上岗结束日期不能早于开始日期。",
            "fields": {"available_to": ["可上岗结束日期不能早于开始日期。"]}})])
    def create(self, request):
        data = GigAvailabilityCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        with transaction.atomic():  # a refused registration leaves no new person behind
            person = services.person_for(id_number=d["id_number"], name=d["name"], phone=d["phone"],
                                         region_id=d["region_code"].code, user=request.user)
            availability = services.availability_register(availability=Availability(
                person=person, region=d["region_code"], phone=d["phone"], available_from=d["available_from"],
                available_to=d["available_to"], expected_pay=d["expected_pay"], pay_unit=d["pay_unit"]),
                trades=d["trades"], user=request.user)
        return Response(GigAvailabilitySerializer(selectors.availability_get(user=request.user, pk=availability.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=GigMatchSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        found = selectors.availability_matches(user=request.user, availability=self.get_object())
        return Response(GigMatchSerializer(found, many=True).data)

    @extend_schema(request=GigAvailabilityCloseSerializer, responses=GigAvailabilitySerializer, examples=[
        OpenApiExample("停止求职", request_only=True, value={"note": "已在外地长期务工"}),
        OpenApiExample("已停止", response_only=True, status_codes=["200"], value={
            "id": 41, "name": "李春生", "id_number": "2201**********0011", "trades": ["bricklayer"],
            "region_code": "220102", "available_from": "2026-04-01", "available_to": "2026-04-30",
            "expected_pay": "240.00", "pay_unit": "day", "status": "closed", "closed_on": "2026-04-15",
            "close_reason": "已在外地长期务工"}),
        OpenApiExample("缺少原因", response_only=True, status_codes=["400"], value={
            "code": "reason_required", "detail": "请填写“停止求职”的原因", "fields": {"note": ["请填写原因"]}}),
        OpenApiExample("已经停止", response_only=True, status_codes=["409"], value={
            "code": "transition_not_allowed", "detail": "当前状态“已停止”不能执行“停止求职”操作",
            "fields": {"action": ["可执行：无"]}})])
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        availability = self.get_object()
        data = GigAvailabilityCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.availability_close(availability=availability, user=request.user, note=data.validated_data["note"])
        return Response(GigAvailabilitySerializer(
            selectors.availability_get(user=request.user, pk=availability.pk)).data)


# --- Placements ----------------------------------------------------------------------------------------------

class PlacementViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """撮合上岗 with their follow-ups; POST /{id}/follow-up/ records a 回访."""

    permission_classes = [HasRole]
    serializer_class = GigPlacementSerializer
    queryset = Placement.objects.none()

    def get_queryset(self):
        return selectors.placement_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return selectors.placement_get(user=self.request.user, pk=self.kwargs["pk"])

    @idempotent
    @extend_schema(request=GigFollowUpSerializer, responses={201: GigPlacementSerializer}, examples=[
        OpenApiExample("在岗已结薪", request_only=True, value={"visited_on": "2026-04-08", "outcome": "on_job",
                                                          "pay_received": True, "note": "按日结算"}),
        OpenApiExample("回访早于上岗", response_only=True, status_codes=["400"], value={
            "code": "visit_before_start", "detail": "回访日期不能早于上岗日期（未到岗除外）。",
            "fields": {"visited_on": ["回访日期不能早于上岗日期（未到岗除外）。"]}})])
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        placement = self.get_object()
        data = GigFollowUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.follow_up_record(placement=placement, user=request.user, **data.validated_data)
        return Response(GigPlacementSerializer(self.get_object()).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("gig/brokers", BrokerViewSet, basename="gig-broker")
    router.register("gig/postings", PostingViewSet, basename="gig-posting")
    router.register("gig/workers", AvailabilityViewSet, basename="gig-worker")
    router.register("gig/placements", PlacementViewSet, basename="gig-placement")
