"""/api/v1/training/willingness/ and /api/v1/training/shortages/ — 培训意愿登记 and 企业缺工登记: list, read,
create (Idempotency-Key) and change (PATCH). Each write is pushed to the job-matching platform through the outbox
(apps.training.pushes, docs/integrations.md). A person or employer of another region is the same 400 as an unknown
id (`ScopedPrimaryKeyRelatedField`); a registration of another region is a 404. Lists mask ID numbers; a detail
read of a person's registration goes to the access log."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.applicants.selectors import person_list
from apps.core import audit
from apps.core.api.fields import NOT_FOUND_MESSAGE, ScopedPrimaryKeyRelatedField, inline_choices
from apps.core.api.filters import FilteredBySelector
from apps.core.api.idempotency import idempotent
from apps.core.api.views import RecordBeforeBody
from apps.core.models import AccessLog
from apps.employers.selectors import employer_list
from apps.training import selectors, services
from apps.training.filters import ShortageFilter, WillingnessFilter
from apps.training.models import Occupation, ShortageReport, TargetGroup, TrainingWillingness
from apps.training.services.demand import WILLINGNESS_EXISTS


def _visible_people(user):
    return person_list(user=user)


def _visible_employers(user):
    return employer_list(user=user)


class OccupationCodeField(serializers.SlugRelatedField):
    """A catalogue code: a NUL byte is refused here (PostgreSQL would refuse the lookup with a 500)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


def _occupation_field(**kwargs):
    return OccupationCodeField(
        source="occupation", slug_field="code", queryset=Occupation.objects.filter(is_active=True),
        error_messages={"does_not_exist": "职业（工种）代码 {value} 不在目录中或已停用",
                        "invalid": "请填写职业（工种）代码"}, **kwargs)


class WillingnessSerializer(serializers.ModelSerializer):
    person = ScopedPrimaryKeyRelatedField(scope=_visible_people)  # elsewhere = unknown
    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    occupation_code = _occupation_field()
    occupation_name = serializers.CharField(source="occupation.name", read_only=True)
    target_group = inline_choices(TargetGroup.choices)
    target_group_display = serializers.CharField(source="get_target_group_display", read_only=True)
    registered_on = serializers.DateField(required=False)
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = TrainingWillingness
        fields = ["id", "person", "name", "id_number", "occupation_code", "occupation_name", "target_group",
                  "target_group_display", "registered_on", "region_code", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []  # the once-per-occupation rule is the service's (409 willingness_exists)


class WillingnessUpdateSerializer(WillingnessSerializer):
    def get_fields(self):
        fields = super().get_fields()
        fields["person"] = serializers.IntegerField(source="person_id", read_only=True)  # stays with its person
        return fields


class ShortageSerializer(serializers.ModelSerializer):
    employer = ScopedPrimaryKeyRelatedField(scope=_visible_employers)  # elsewhere = unknown
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    occupation_code = _occupation_field()
    occupation_name = serializers.CharField(source="occupation.name", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = ShortageReport
        fields = ["id", "employer", "employer_name", "occupation_code", "occupation_name", "count", "wage_min",
                  "wage_max", "reported_on", "region_code", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"count": {"min_value": 1, "error_messages": {"min_value": "缺工人数至少为 1 人"}},
                        "wage_min": {"min_value": 0, "error_messages": {"min_value": "工资不能为负数"}},
                        "wage_max": {"min_value": 0, "error_messages": {"min_value": "工资不能为负数"}}}

    def validate(self, attrs):
        low = attrs.get("wage_min", getattr(self.instance, "wage_min", None))
        high = attrs.get("wage_max", getattr(self.instance, "wage_max", None))
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError({"wage_max": "工资上限不能低于下限"}, code="invalid_wage_range")
        return attrs


WILLINGNESS_EXAMPLE = {"id": 12, "person": 34, "name": "张三", "id_number": "2201**********0012",
                       "occupation_code": "4-10-01-01", "occupation_name": "家政服务员",
                       "target_group": "migrant_worker", "target_group_display": "农民工",
                       "registered_on": "2026-12-01", "region_code": "220102",
                       "created_at": "2026-12-01T09:30:00+08:00", "updated_at": "2026-12-01T09:30:00+08:00"}
SHORTAGE_EXAMPLE = {"id": 5, "employer": 8, "employer_name": "长春某某物流有限公司", "occupation_code": "4-02-06-03",
                    "occupation_name": "快递员", "count": 20, "wage_min": "4000.00", "wage_max": "6500.00",
                    "reported_on": "2026-12-01", "region_code": "220102",
                    "created_at": "2026-12-01T09:30:00+08:00", "updated_at": "2026-12-01T09:30:00+08:00"}
INVALID = {"code": "validation_error", "detail": "提交的数据有误，请检查后重试。"}
UNKNOWN = {"code": "does_not_exist", "message": NOT_FOUND_MESSAGE}
WAGE_RANGE = {"code": "invalid_wage_range", "message": "工资上限不能低于下限"}
EXISTS = {"code": "willingness_exists", "detail": WILLINGNESS_EXISTS,
          "fields": {"occupation": [{"code": "willingness_exists", "message": WILLINGNESS_EXISTS}]}}
UNKNOWN_PERSON = OpenApiExample("人员不存在或不在辖区", response_only=True, status_codes=["400"], value={
    **INVALID, "fields": {"person": [UNKNOWN]}})
NOT_FOUND = OpenApiExample("不存在或不在辖区", response_only=True, status_codes=["404"],
                           value={"code": "not_found", "detail": NOT_FOUND_MESSAGE, "fields": {}})


@extend_schema_view(
    list=extend_schema(examples=[OpenApiExample("培训意愿登记", value=[WILLINGNESS_EXAMPLE], response_only=True)]),
    retrieve=extend_schema(examples=[NOT_FOUND]),
    partial_update=extend_schema(request=WillingnessUpdateSerializer, examples=[
        OpenApiExample("改人员类别", request_only=True, value={"target_group": "unemployed"}),
        OpenApiExample("已登记过该职业", response_only=True, status_codes=["409"], value={
            **EXISTS}),
        NOT_FOUND]),
)
class WillingnessViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """培训意愿登记 (农村劳动力转移就业). Create and change push the registration to the job-matching platform.

    Filters: `q` (name, or the full ID number), `occupation` (catalogue code), `target_group`, `person`,
    `registered_from`/`registered_to` (dates), `region` (code prefix).
    """

    permission_classes = [HasRole]
    serializer_class = WillingnessSerializer
    queryset = TrainingWillingness.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = WillingnessFilter
    filter_backends = [FilteredBySelector, OrderingFilter]

    def get_queryset(self):
        return selectors.willingness_list(user=self.request.user,
                                          filters=self.request.query_params if self.action == "list" else None)

    def get_serializer_class(self):
        return WillingnessUpdateSerializer if self.action == "partial_update" else WillingnessSerializer

    def get_object(self):
        item = selectors.willingness_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.action == "retrieve":
            audit.log_read(user=self.request.user, obj=item, request=self.request, action=AccessLog.Action.API)
        return item

    @extend_schema(examples=[
        OpenApiExample("登记培训意愿", request_only=True, value={"person": 34, "occupation_code": "4-10-01-01",
                                                           "target_group": "migrant_worker"}),
        OpenApiExample("已登记", response_only=True, status_codes=["201"], value=WILLINGNESS_EXAMPLE),
        UNKNOWN_PERSON,
        OpenApiExample("已登记过该职业", response_only=True, status_codes=["409"], value={
            **EXISTS})])
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = WillingnessSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = services.willingness_create(user=request.user, person=data["person"], occupation=data["occupation"],
                                           target_group=data["target_group"], registered_on=data.get("registered_on"))
        item = selectors.willingness_get(user=request.user, pk=item.pk)
        return Response(WillingnessSerializer(item, context={"request": request}).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = services.willingness_update(user=self.request.user, item=serializer.instance,
                                                          data=serializer.validated_data)


@extend_schema_view(
    list=extend_schema(examples=[OpenApiExample("企业缺工登记", value=[SHORTAGE_EXAMPLE], response_only=True)]),
    retrieve=extend_schema(examples=[NOT_FOUND]),
    partial_update=extend_schema(examples=[
        OpenApiExample("改缺工人数", request_only=True, value={"count": 25}),
        OpenApiExample("工资范围有误", response_only=True, status_codes=["400"], value={
            **INVALID, "fields": {"wage_max": [WAGE_RANGE]}}),
        NOT_FOUND]),
)
class ShortageViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """企业缺工登记. Create and change push the report to the job-matching platform.

    Filters: `q` (employer name, or the full 统一社会信用代码), `employer`, `occupation` (catalogue code),
    `reported_from`/`reported_to` (dates), `region` (code prefix).
    """

    permission_classes = [HasRole]
    serializer_class = ShortageSerializer
    queryset = ShortageReport.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = ShortageFilter
    filter_backends = [FilteredBySelector, OrderingFilter]

    def get_queryset(self):
        return selectors.shortage_list(user=self.request.user,
                                       filters=self.request.query_params if self.action == "list" else None)

    def get_object(self):
        return selectors.shortage_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(examples=[
        OpenApiExample("登记缺工", request_only=True, value={"employer": 8, "occupation_code": "4-02-06-03", "count": 20,
                                                       "wage_min": "4000.00", "wage_max": "6500.00",
                                                       "reported_on": "2026-12-01"}),
        OpenApiExample("已登记", response_only=True, status_codes=["201"], value=SHORTAGE_EXAMPLE),
        OpenApiExample("单位不存在或不在辖区", response_only=True, status_codes=["400"], value={
            **INVALID, "fields": {"employer": [UNKNOWN]}}),
        OpenApiExample("工资范围有误", response_only=True, status_codes=["400"], value={
            **INVALID, "fields": {"wage_max": [WAGE_RANGE]}})])
    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.shortage_report_create(report=ShortageReport(**serializer.validated_data),
                                                              user=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.shortage_report_update(report=serializer.instance, user=self.request.user,
                                                              data=serializer.validated_data)
