"""/api/v1/public-posts/… — posts, placements (create on a post, exit, renew) and the monthly subsidy runs (start,
approve / reject with four eyes). Lists mask ID numbers; every answer is scoped by region (out of scope = 404)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.applicants.models import Person
from apps.applicants.selectors import person_list
from apps.core import audit
from apps.core.api.fields import RegionCodeField, ScopedPrimaryKeyRelatedField, inline_choices
from apps.core.api.idempotency import idempotent
from apps.core.api.views import RecordBeforeBody
from apps.core.models import AccessLog, Region
from apps.core.review import FOUR_EYES_MESSAGE
from apps.employers.selectors import employer_list
from apps.public_posts import selectors, services
from apps.public_posts.models import Placement, PublicPost, SubsidyLine, SubsidyRun


def _visible_employers(user):
    return employer_list(user=user)


def _visible_people(user):
    return person_list(user=user)


class PublicPostSerializer(serializers.ModelSerializer):
    employer = ScopedPrimaryKeyRelatedField(scope=_visible_employers, required=False, allow_null=True)
    region_code = RegionCodeField(source="region", scoped=False)
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    post_type = inline_choices(PublicPost.PostType.choices)
    post_type_display = serializers.CharField(source="get_post_type_display", read_only=True)
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = PublicPost
        fields = ["id", "name", "post_type", "post_type_display", "employer", "employer_name", "region_code", "places",
                  "taken", "start_date", "end_date", "status", "status_display"]


class PublicPostPlacementSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    exit_reason = serializers.CharField(read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "post", "person", "person_name", "id_number", "region", "start_date", "agreed_end_date",
                  "statutory_retirement_date", "extended_to_retirement", "status", "status_display", "exit_date",
                  "exit_reason", "exit_note"]
        read_only_fields = fields


class PublicPostPlacementCreateSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyRelatedField(scope=_visible_people)
    start_date = serializers.DateField()
    agreed_end_date = serializers.DateField()
    statutory_retirement_date = serializers.DateField(required=False, allow_null=True)


class PublicPostExitSerializer(serializers.Serializer):
    exit_date = serializers.DateField()
    reason = inline_choices(Placement.ExitReason.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PublicPostRenewSerializer(serializers.Serializer):
    new_end_date = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PublicPostStatusSerializer(serializers.Serializer):
    status = inline_choices(PublicPost.Status.choices)


NOT_DIFFICULTY = ("张三 在上岗日期 2026-03-01 未被认定为就业困难人员（无有效的“就业困难”身份标签），"
                  "公益性岗位只安置通过市场渠道确实难以实现就业的就业困难人员")


class PostViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  viewsets.GenericViewSet):
    """公益性岗位. Create a post; place a person (`placements`); open or close it (`status`)."""

    permission_classes = [HasRole]
    serializer_class = PublicPostSerializer
    queryset = PublicPost.objects.none()

    def get_queryset(self):
        return selectors.post_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return selectors.post_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(examples=[OpenApiExample("登记岗位", request_only=True, value={
        "name": "村级快递收发员", "post_type": "rural_logistics", "employer_name": "南关区幸福街道办事处",
        "region_code": "220102", "places": 3, "start_date": "2026-01-01", "end_date": None})])
    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        post = services.post_save(post=PublicPost(**serializer.validated_data), user=self.request.user)
        serializer.instance = selectors.post_get(user=self.request.user, pk=post.pk)

    @extend_schema(request=PublicPostPlacementCreateSerializer, responses={201: PublicPostPlacementSerializer}, examples=[
        OpenApiExample("安置", request_only=True, value={"person": 12, "start_date": "2026-03-01",
                                                       "agreed_end_date": "2027-02-28"}),
        OpenApiExample("不是就业困难人员", response_only=True, status_codes=["400"], value={
            "code": "not_employment_difficulty", "detail": NOT_DIFFICULTY, "fields": {"person": [NOT_DIFFICULTY]}}),
        OpenApiExample("岗位已满", response_only=True, status_codes=["409"], value={
            "code": "post_full", "detail": "该岗位 3 个岗位已全部安置，不能超岗安置", "fields": {"post": ["岗位已满（3/3）"]}}),
        OpenApiExample("超过安置期限", response_only=True, status_codes=["400"], value={
            "code": "tenure_limit_exceeded", "detail": "约定终止日期超过安置期限（36 个月，至 2029-02-28）",
            "fields": {"agreed_end_date": ["约定终止日期超过安置期限（36 个月，至 2029-02-28）"]}})])
    @idempotent
    @action(detail=True, methods=["post"])
    def placements(self, request, pk=None):
        post = self.get_object()
        data = PublicPostPlacementCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        placement = services.placement_create(
            post=post, person=values["person"], start_date=values["start_date"],
            agreed_end_date=values["agreed_end_date"], statutory_retirement_date=values.get("statutory_retirement_date"),
            user=request.user)
        return Response(PublicPostPlacementSerializer(placement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PublicPostStatusSerializer, responses=PublicPostSerializer,
                   examples=[OpenApiExample("停用", request_only=True, value={"status": "closed"})])
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        post = self.get_object()
        data = PublicPostStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.post_set_status(post=post, user=request.user, status=data.validated_data["status"])
        return Response(PublicPostSerializer(selectors.post_get(user=request.user, pk=post.pk)).data)


class PlacementViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """安置. Filter by `post`, `person`, `status`; `exit` (离岗) and `renew` (续签)."""

    permission_classes = [HasRole]
    serializer_class = PublicPostPlacementSerializer
    queryset = Placement.objects.none()

    def get_queryset(self):
        return selectors.placement_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        placement = selectors.placement_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.action == "retrieve":
            audit.log_read(user=self.request.user, obj=placement.person, request=self.request,
                           action=AccessLog.Action.API, purpose="公益性岗位安置")
        return placement

    @extend_schema(request=PublicPostExitSerializer, responses=PublicPostPlacementSerializer, examples=[
        OpenApiExample("离岗", request_only=True, value={"exit_date": "2026-06-15", "reason": "found_job",
                                                       "note": "已在快递企业实现就业"})])
    @action(detail=True, methods=["post"])
    def exit(self, request, pk=None):
        placement = self.get_object()
        data = PublicPostExitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        placement = services.placement_exit(placement=placement, user=request.user, exit_date=values["exit_date"],
                                            reason=values["reason"], note=values["note"])
        return Response(PublicPostPlacementSerializer(placement).data)

    @extend_schema(request=PublicPostRenewSerializer, responses=PublicPostPlacementSerializer, examples=[
        OpenApiExample("续签", request_only=True, value={"new_end_date": "2028-02-29"}),
        OpenApiExample("超过安置期限", response_only=True, status_codes=["400"], value={
            "code": "tenure_limit_exceeded",
            "detail": "续签后超过安置期限（36 个月，至 2029-02-28）；续签时距法定退休日期 2040-05-01 超过 5 年"
                      "（2035-05-01 起方可延长至退休）", "fields": {"new_end_date": ["…"]}})])
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        placement = self.get_object()
        data = PublicPostRenewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        placement = services.placement_renew(placement=placement, user=request.user,
                                             new_end_date=data.validated_data["new_end_date"],
                                             note=data.validated_data["note"])
        return Response(PublicPostPlacementSerializer(placement).data)


class PublicPostLineSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)

    class Meta:
        model = SubsidyLine
        fields = ["id", "placement", "person", "person_name", "id_number", "days_in_post", "days_in_month", "amount",
                  "explanation"]


class PublicPostRunSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)
    month = serializers.DateField(format="%Y-%m", read_only=True)
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    started_by = serializers.CharField(source="started_by.username", read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, allow_null=True)

    class Meta:
        model = SubsidyRun
        fields = ["id", "region_code", "month", "status", "status_display", "placements_total", "placements_done",
                  "percent", "total_amount", "error", "started_by", "reviewed_by", "reviewed_at", "review_note"]


class PublicPostRunStartSerializer(serializers.Serializer):
    region = RegionCodeField(scoped=False)
    month = serializers.DateField(input_formats=["%Y-%m", "%Y-%m-%d"])


class PublicPostReviewSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RunViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """月度补贴发放批次: start (computed by a background task), its lines, approve / reject (four eyes)."""

    permission_classes = [HasRole]
    serializer_class = PublicPostRunSerializer
    queryset = SubsidyRun.objects.none()

    def get_queryset(self):
        return selectors.run_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return selectors.run_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, run):
        return PublicPostRunSerializer(selectors.run_get(user=self.request.user, pk=run.pk)).data

    @extend_schema(request=PublicPostRunStartSerializer, responses={202: PublicPostRunSerializer}, examples=[
        OpenApiExample("发起 2026 年 3 月批次", request_only=True, value={"region": "220102", "month": "2026-03"}),
        OpenApiExample("已有批次", response_only=True, status_codes=["409"], value={
            "code": "run_exists", "detail": "南关区 2026年3月已有补贴发放批次（#4）", "fields": {"month": ["该月份已有批次"]}})])
    @idempotent
    def create(self, request):
        data = PublicPostRunStartSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        region: Region = data.validated_data["region"]
        run = services.run_start(user=request.user, region=region, month=data.validated_data["month"])
        return Response(self._detail(run), status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=PublicPostLineSerializer(many=True))
    @action(detail=True, methods=["get"])
    def lines(self, request, pk=None):
        run = self.get_object()
        page = self.paginate_queryset(selectors.run_lines(run=run))
        rows = page if page is not None else list(selectors.run_lines(run=run))
        audit.log_bulk_read(user=request.user, model=Person, ids=[line.person_id for line in rows], request=request,
                            action=AccessLog.Action.API, purpose="公益性岗位月度补贴明细")
        data = PublicPostLineSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=PublicPostReviewSerializer, responses=PublicPostRunSerializer, examples=[
        OpenApiExample("审核通过", request_only=True, value={"note": "在岗天数与考勤一致"}),
        OpenApiExample("发起人不能审核", response_only=True, status_codes=["403"],
                       value={"code": "four_eyes", "detail": FOUR_EYES_MESSAGE, "fields": {}})])
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        run = self.get_object()
        data = PublicPostReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(self._detail(services.run_review(run=run, user=request.user, action="approve",
                                                         note=data.validated_data["note"])))

    @extend_schema(request=PublicPostReviewSerializer, responses=PublicPostRunSerializer, examples=[
        OpenApiExample("退回", request_only=True, value={"note": "3 名人员离岗日期待核实"}),
        OpenApiExample("须填写原因", response_only=True, status_codes=["400"], value={
            "code": "reason_required", "detail": "请填写“退回”的原因", "fields": {"note": ["请填写原因"]}})])
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        run = self.get_object()
        data = PublicPostReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(self._detail(services.run_review(run=run, user=request.user, action="reject",
                                                         note=data.validated_data["note"])))
