"""API faces of the calculators: list them, compute one (from facts or from a registry record), look up
the parameters in force on a date. Validation and computing live in selectors/services; this module only
turns HTTP into their arguments and their results into JSON."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import HasRole
from apps.core import audit
from apps.core.api.errors import error_body
from apps.core.api.schema import ErrorSerializer
from apps.core.exceptions import ApplicationError
from apps.core.models import AccessLog
from apps.eligibility.calculator_fields import calculator_catalogue
from apps.eligibility.calculators import enterprise_size, stable_job_refund
from apps.eligibility.calculators.registry import CALCULATORS, FactsError
from apps.eligibility.providers import APPLICANT, EMPLOYER, fact_provider
from apps.eligibility.selectors import (
    FactsInvalid,
    calculation_compute,
    calculator_get,
    facts_parse,
    parameter_list,
    region_code_check,
)
from apps.eligibility.services import determination_create

# One example of facts per calculator, shown in the OpenAPI document (and tested to compute).
FACT_EXAMPLES = {
    "maternity-allowance": {"delivery_date": "2025-08-15", "flexible_worker": True,
                            "continuous_enrollment_months": 14},
    "maternity-medical": {"service_date": "2025-08-15", "flexible_worker": True, "delivery_cost": "6800.00",
                          "prenatal_checkup_cost": "1200.00"},
    "childcare-subsidy": {"year": 2025, "child_birth_date": "2024-03-10"},
    "birth-reward": {"child_birth_date": "2025-09-18", "birth_order": 2},
    "border-village-birth-reward": {"child_birth_date": "2025-09-18", "region_code": "222404"},
    "child-rearing-subsidy": {"year": 2025, "child_birth_date": "2025-09-18", "birth_order": 3},
    "childcare-operating-subsidy": {"year": 2025, "category": "private_inclusive", "region_code": "220102",
                                    "child_months": 120},
    "preschool-aid": {"year": 2025, "kindergarten_inclusive": True, "kindergarten_approved": True, "urban": True,
                      "child_categories": ["minimum_living_allowance"]},
    "leave-entitlements": {"year": 2025, "sex": "female", "employed": True, "child_birth_date": "2025-04-02"},
    "enterprise-size": {"facts_year": 2025, "industry": "industrial", "employees": 120, "revenue": "5000.00"},
    "stable-job-refund": {"facts_year": 2025, "entity_type": "enterprise", "size_class": "small",
                          "months_paid_in_full": 12, "has_arrears": False, "serious_dishonesty": False,
                          "headcount_start": 40, "headcount_end": 39, "contributions_paid": "86400.00"},
    "training-subsidy": {"program": "domestic_service", "training_end_date": "2025-06-30",
                         "training_completed": True, "verified_employment_evidence": ["labour_contract"],
                         "certificate_level": "junior"},
    "fraud-penalty": {"misused_amount": "8600.00", "effective_date": "2025-06-05"},
    "elderly-care-incentive": {"kind": "skill_award", "claim_date": "2026-03-01", "full_time": True,
                               "start_date": "2024-12-01", "skill_level": "senior"},
    "startup-loan": {"application_date": "2026-03-01", "amount_requested": "200000.00", "term_months": 24,
                     "status_tags": ["migrant_worker"]},
}
SUBJECT_CALCULATORS = {EMPLOYER: (stable_job_refund.NAME, enterprise_size.NAME)}

class ParameterValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    value = serializers.JSONField(help_text="金额、百分比为字符串（百分比按录入值，如 \"60\" 表示 60%）")
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    version = serializers.JSONField(help_text="政策参数记录编号")
    source = serializers.CharField(help_text="依据：发文机关、文件标题、文号、日期及说明")  # type: ignore[assignment]  # the response key (integrators read it); DRF takes declared fields from the class, the stubs type the base attribute


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="稳定的原因代码")
    message = serializers.CharField()


class StepSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # the response key (integrators read it); DRF takes declared fields from the class, the stubs type the base attribute
    formula = serializers.CharField()
    value = serializers.CharField()


class ResultSerializer(serializers.Serializer):
    calculator = serializers.CharField()
    title = serializers.CharField()
    eligible = serializers.BooleanField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    reasons = ReasonSerializer(many=True)
    steps = StepSerializer(many=True)
    parameters = ParameterValueSerializer(many=True)
    data = serializers.DictField()  # type: ignore[assignment]  # the response key (integrators read it); DRF takes declared fields from the class, the stubs type the base attribute
    as_of = serializers.DateField(help_text="所用政策参数的适用日期")
    region = serializers.CharField(help_text="所用地区参数的区划代码")
    facts = serializers.DictField()
    label = serializers.CharField(required=False)  # type: ignore[assignment]  # the response key (integrators read it); DRF takes declared fields from the class, the stubs type the base attribute
    determination = serializers.IntegerField(allow_null=True, help_text="?save=true 时保存的决定编号")


class ParameterLookupSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    region = serializers.CharField()
    parameters = ParameterValueSerializer(many=True)


def _facts_error_response(error: FactsInvalid) -> Response:
    fields = {name: [{"code": error.codes.get(name, "invalid"), "message": message} for message in messages]
              for name, messages in error.fields.items()}
    return Response(error_body(error.code, error.message, fields), status=400)


class CalculatorListView(APIView):
    """测算项目列表：每个项目的名称、标题及事实字段（类型、是否必填、默认值、可选值）。"""

    permission_classes = [HasRole]

    @extend_schema(summary="测算项目及其事实字段", responses={200: OpenApiTypes.OBJECT}, tags=["eligibility"])
    def get(self, request):
        return Response(calculator_catalogue())


class CalculateView(APIView):
    permission_classes = [HasRole]
    token_scopes = {"post": "read"}  # a computation on posted facts writes nothing

    @extend_schema(
        summary="待遇测算",
        description=(
            "提交事实（JSON，字段见 `GET /api/v1/eligibility/`），按事实对应日期的有效政策参数测算，返回是否符合、"
            "全部不符合原因、金额、计算步骤及所用参数（含版本与依据文件）。\n\n"
            '也可只提交 `{"applicant": 人员编号}`（可加 `"as_of": "YYYY-MM-DD"`）或 `{"employer": 单位编号}`'
            '（可加 `"year": 事实年度`，默认上一年），由登记信息生成事实。事实有误返回 400，'
            '`fields` 按事实字段给出中文说明和稳定代码（required、unknown_field、invalid、invalid_choice、negative，'
            '以及测算项目自身的代码，如托育机构补助的 wrong_month_count、monthly_sum_mismatch、'
            'monthly_counts_required）。'),
        parameters=[
            OpenApiParameter("calculator", str, OpenApiParameter.PATH, enum=list(CALCULATORS),
                             description="测算项目"),
            OpenApiParameter("region", str, description="适用区划代码（决定地区参数），默认本人所属区划"),
            OpenApiParameter("save", bool, description="为 true 时保存为待遇测算决定"),
        ],
        request=OpenApiTypes.OBJECT,
        responses={200: ResultSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        examples=[OpenApiExample(f"{c.title}（{c.name}）", value=FACT_EXAMPLES[c.name], request_only=True,
                                 description=f"POST /api/v1/eligibility/{c.name}/")
                  for c in CALCULATORS.values()]
        + [OpenApiExample("按登记人员测算", value={"applicant": 1}, request_only=True)],
        tags=["eligibility"],
    )
    def post(self, request, calculator: str):
        entry = calculator_get(calculator)
        data = request.data
        save = request.query_params.get("save") in ("1", "true", "yes")
        person = employer = None
        label = ""
        try:
            if isinstance(data, dict) and APPLICANT in data:
                person, facts, label = self._from_applicant(request, entry, data)
                region = fact_provider(APPLICANT).region_code(person)
            elif isinstance(data, dict) and EMPLOYER in data:
                employer, facts = self._from_employer(request, entry, data)
                region = fact_provider(EMPLOYER).region_code(employer)
            else:
                facts = facts_parse(entry, data)
                region = region_code_check(request.query_params.get("region") or request.user.region_id)
            if save:
                determination = determination_create(user=request.user, calculator=entry.name, facts=facts,
                                                     region_code=region, person=person, employer=employer,
                                                     label=label)
                body = {**determination.result, "title": entry.title, "as_of": determination.as_of.isoformat(),
                        "region": determination.region_id, "facts": determination.facts,
                        "determination": determination.pk}
            else:
                body = {**calculation_compute(calculator=entry, facts=facts, region_code=region).to_dict(),
                        "determination": None}
        except FactsInvalid as error:  # the facts themselves, or one the calculator refuses (FactRefused)
            return _facts_error_response(error)
        if label:
            body["label"] = label
        return Response(body)

    def _from_applicant(self, request, entry, data):
        unknown = set(data) - {"applicant", "as_of"}
        if unknown:
            raise FactsInvalid({k: "按人员测算时只能提交 applicant 和 as_of" for k in unknown},
                               {k: "unknown_field" for k in unknown})
        as_of = _date_param(data.get("as_of"), "as_of") or timezone.localdate()
        provider = fact_provider(APPLICANT)
        person = provider.get(user=request.user, pk=_id_param(data["applicant"], "applicant"))
        audit.log_read(user=request.user, obj=person, request=request, action=AccessLog.Action.API,
                       purpose="待遇测算")
        try:
            entries = provider.benefit_entries(person, as_of=as_of, calculator=entry.name)
        except FactsError as error:
            raise FactsInvalid(error.errors, error.codes) from error
        if not entries:
            raise ApplicationError("no_facts_for_subject",
                                   f"登记信息不足以测算“{entry.title}”，请直接提交事实。", {"applicant": [
                                       "该人员的登记信息不足以生成此项测算的事实"]})
        if len(entries) > 1:
            raise ApplicationError("ambiguous_subject", "该人员有多组事实（如多个子女），请按子女的人员编号测算或直接提交事实。",
                                   {"applicant": ["有多组事实"]})
        return person, entries[0].facts, entries[0].label

    def _from_employer(self, request, entry, data):
        unknown = set(data) - {"employer", "year"}
        if unknown:
            raise FactsInvalid({k: "按单位测算时只能提交 employer 和 year" for k in unknown},
                               {k: "unknown_field" for k in unknown})
        if entry.name not in SUBJECT_CALCULATORS["employer"]:
            raise FactsInvalid({"employer": "此测算项目不能按用人单位生成事实"}, {"employer": "invalid"})
        year = data.get("year", timezone.localdate().year - 1)
        if isinstance(year, bool) or not isinstance(year, int):
            raise FactsInvalid({"year": "应为整数年度"}, {"year": "invalid"})
        provider = fact_provider(EMPLOYER)
        employer = provider.get(user=request.user, pk=_id_param(data["employer"], "employer"))
        (found,) = provider.benefit_entries(employer, as_of=timezone.localdate(), calculator=entry.name, year=year)
        return employer, found.facts


def _id_param(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FactsInvalid({name: "应为记录编号（整数）"}, {name: "invalid"})
    return value


def _date_param(value, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise FactsInvalid({name: "日期应为 YYYY-MM-DD"}, {name: "invalid"}) from None


class PolicyParameterListView(APIView):
    """政策参数查询（只读）：某日、某区划有效的全部政策参数，含版本与依据文件。"""

    permission_classes = [HasRole]

    @extend_schema(
        summary="按日期和区划查询有效政策参数",
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description="适用日期，默认今天"),
                    OpenApiParameter("region", str, description="区划代码，默认全省（地区参数优先于上级）")],
        responses={200: ParameterLookupSerializer, 400: ErrorSerializer}, tags=["eligibility"],
    )
    def get(self, request):
        raw = request.query_params.get("as_of")
        try:
            as_of = date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise ApplicationError("validation_error", "提交的数据有误，请检查后重试。",
                                   {"as_of": ["日期应为 YYYY-MM-DD"]}) from None
        region = region_code_check(request.query_params.get("region"))
        return Response({"as_of": as_of.isoformat(), "region": region,
                         "parameters": parameter_list(as_of=as_of, region_code=region)})
