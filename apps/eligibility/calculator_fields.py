"""What a person needs to know to enter a calculator's facts: label, kind, default and choices per field.

The kinds come from the facts dataclass alone (as `registry.build_facts` reads them), so a new fact field
shows up in the API listing and the calculator form without code here — only its Chinese label is added
below (a test checks every field has one). Choices are the calculator's own constants or, where the
calculator reads a parameter table (industries, institution categories, training programs), the keys of
that table as in force today, so an administrator who adds a program sees it offered at once.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.eligibility.calculators import (
    elderly_care_incentive,
    enterprise_size,
    preschool_aid,
    startup_loan,
    training,
)
from apps.eligibility.calculators.registry import CALCULATORS, Calculator
from apps.eligibility.models import PolicyParameter

if TYPE_CHECKING:  # a label: a plain string or a lazy translation (the stubs' name for the latter)
    from django_stubs_ext import StrOrPromise

# Entity types and size classes are codes in the calculator; their names are for people, so they live here.
ENTITY_TYPE_NAMES = {
    "enterprise": _("企业"),
    "social_org": _("社会团体"),
    "foundation": _("基金会"),
    "social_service_org": _("社会服务机构"),
    "law_firm": _("律师事务所"),
    "accounting_firm": _("会计师事务所"),
    "individual_business": _("以单位形式参保的个体工商户"),
    "public_institution": _("财政拨款的事业单位"),
}
SEX_NAMES = {"female": _("女"), "male": _("男")}

LABELS: dict[str, dict[str, StrOrPromise]] = {
    "maternity-allowance": {
        "delivery_date": _("分娩日期"),
        "flexible_worker": _("以灵活就业人员身份参加职工医保和生育保险"),
        "continuous_enrollment_months": _("连续参保月数"),
        "contribution_base": _("本人缴费基数（元/月，留空则按上年度社平工资的规定比例）"),
    },
    "maternity-medical": {
        "service_date": _("就诊或分娩日期"),
        "flexible_worker": _("以灵活就业人员身份参加职工医保和生育保险"),
        "delivery_cost": _("住院分娩政策范围内费用（元）"),
        "prenatal_checkup_cost": _("产前检查政策范围内费用（元）"),
        "family_planning_cost": _("计划生育政策范围内医疗费用（元）"),
    },
    "childcare-subsidy": {
        "year": _("补贴年度"),
        "child_birth_date": _("子女出生日期"),
    },
    "birth-reward": {
        "child_birth_date": _("子女出生日期"),
        "birth_order": _("孩次（家庭登记中的第几个子女）"),
    },
    "border-village-birth-reward": {
        "child_birth_date": _("子女出生日期"),
        "region_code": _("家庭所在区划代码"),
    },
    "child-rearing-subsidy": {
        "year": _("补贴年度"),
        "child_birth_date": _("子女出生日期"),
        "birth_order": _("孩次（家庭登记中的第几个子女）"),
    },
    "childcare-operating-subsidy": {
        "year": _("补助年度"),
        "category": _("托育机构类别"),
        "region_code": _("机构所在区划代码"),
        "child_months": _("在托人·月数"),
        "inclusive_certified": _("普惠认定在有效期内（仅普惠民办机构以此为条件）"),
        "monthly_child_months": _("1月至12月各月在托人·月数（12个整数，以逗号分隔；年内补助标准调整时必填）"),
    },
    "preschool-aid": {
        "year": _("资助年度"),
        "kindergarten_inclusive": _("普惠性幼儿园（含普惠性民办园）"),
        "kindergarten_approved": _("经县级以上教育行政部门批准设立并备案"),
        "urban": _("城市幼儿园（不勾选为农村，含县镇）"),
        "child_categories": _("儿童类别"),
    },
    "leave-entitlements": {
        "year": _("年度"),
        "sex": _("性别"),
        "employed": _("在职职工"),
        "child_birth_date": _("子女出生日期"),
        "lawful_birth": _("符合法律、法规规定生育"),
        "only_child": _("本人为独生子女"),
        "hospitalised_parent_age": _("住院父母年龄"),
    },
    "enterprise-size": {
        "facts_year": _("事实年度"),
        "industry": _("行业"),
        "employees": _("从业人员（人）"),
        "revenue": _("营业收入（万元）"),
        "total_assets": _("资产总额（万元）"),
        "insured_headcount_december": _("事实年度12月参保人数"),
    },
    "stable-job-refund": {
        "facts_year": _("事实年度（返还年度的上一年）"),
        "entity_type": _("单位类型"),
        "size_class": _("企业划型"),
        "months_paid_in_full": _("截至12月连续足额缴费月数"),
        "has_arrears": _("截至年末存在欠缴失业保险费"),
        "serious_dishonesty": _("列入严重失信主体名单"),
        "headcount_start": _("1月1日参保人数"),
        "headcount_end": _("12月31日参保人数"),
        "contributions_paid": _("事实年度实缴失业保险费（元，不含补缴历年欠费和滞纳金）"),
    },
    "training-subsidy": {
        "program": _("培训项目"),
        "training_end_date": _("培训结束日期"),
        "training_completed": _("已结业"),
        "verified_employment_evidence": _("已核验的就业证明"),
        "certificate_level": _("取得的证书"),
    },
    "fraud-penalty": {
        "misused_amount": _("查实由医保基金支付的工伤费用（元）"),
        "effective_date": _("认定生效日期"),
    },
    "elderly-care-incentive": {
        "kind": _("补贴类别"),
        "claim_date": _("申领日期"),
        "full_time": _("专职从事养老护理服务工作"),
        "start_date": _("入职日期"),
        "months": _("申领月数"),
        "skill_level": _("职业技能等级（新八级工）"),
        "honour_level": _("荣誉级别"),
        "college_graduate": _("高校毕业生"),
        "training_certificate": _("已取得培训合格证书"),
        "founder": _("本人创办该养老机构"),
        "institution_listed_on": _("养老机构列入严重失信名单日期"),
        "institution_removed_on": _("养老机构移出严重失信名单日期"),
        "institution_listing_reason": _("养老机构失信行为"),
        "person_listed_on": _("本人列入严重失信名单日期"),
        "person_removed_on": _("本人移出严重失信名单日期"),
        "person_listing_reason": _("本人失信行为"),
    },
    "startup-loan": {
        "application_date": _("申请日期"),
        "amount_requested": _("申请贷款金额（元）"),
        "term_months": _("贷款期限（月）"),
        "status_tags": _("申请日有效的身份标签"),
    },
}

STATIC_CHOICES: dict[str, dict[str, Mapping[str, Any]]] = {
    "preschool-aid": {"child_categories": preschool_aid.CHILD_CATEGORIES},
    "leave-entitlements": {"sex": SEX_NAMES},
    "stable-job-refund": {
        "entity_type": ENTITY_TYPE_NAMES,
        "size_class": {c: f"{enterprise_size.CLASS_NAMES[c]}企业" for c in ("large", "medium", "small", "micro")},
    },
    "training-subsidy": {
        "verified_employment_evidence": training.EMPLOYMENT_EVIDENCE,
        "certificate_level": training.CERTIFICATE_LEVELS,
    },
    "elderly-care-incentive": {
        "kind": elderly_care_incentive.KINDS,
        "skill_level": elderly_care_incentive.SKILL_LEVELS,
        "honour_level": elderly_care_incentive.HONOUR_LEVELS,
    },
    "startup-loan": {"status_tags": startup_loan.TARGET_GROUPS},
}
# Choices that are the keys of a table parameter: {"key": {"name": …}, …}.
PARAMETER_CHOICES: dict[str, dict[str, str]] = {
    "enterprise-size": {"industry": "enterprise_size.thresholds"},
    "childcare-operating-subsidy": {"category": "childcare_operating.annual_rate_table"},
    "training-subsidy": {"program": "training.subsidy_per_program"},
}


@dataclass(frozen=True)
class FactField:
    name: str
    kind: str  # date | decimal | integer | integer_list | boolean | text | choice | multi_choice
    label: StrOrPromise
    required: bool  # the dataclass has no default
    nullable: bool  # "X | None": may be left empty
    default: Any  # JSON value, None when there is none
    choices: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "label": str(self.label), "required": self.required,
                "nullable": self.nullable, "default": self.default,
                "choices": [{"value": v, "label": str(label)} for v, label in self.choices]}


def _kind(hint: Any) -> tuple[str, bool]:
    nullable = False
    if isinstance(hint, types.UnionType):
        nullable = True
        (hint,) = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) is frozenset:
        return "multi_choice", nullable
    if typing.get_origin(hint) is tuple:
        return "integer_list", nullable
    kind = {date: "date", Decimal: "decimal", int: "integer", bool: "boolean", str: "text"}[hint]
    return kind, nullable


def _table_choices(key: str) -> tuple[tuple[str, str], ...]:
    """Keys and names of the province table in force today (choices only; the calculation reads its own)."""
    today = timezone.localdate()
    row = (PolicyParameter.objects.filter(key=key, region_id=settings.PORTAL_ROOT_REGION, valid_from__lte=today)
           .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).order_by("-valid_from").first())
    if row is None or not isinstance(row.value, dict):
        return ()
    return tuple((k, str(v.get("name", k)) if isinstance(v, dict) else k) for k, v in row.value.items())


def _json_default(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def calculator_fields(calculator: Calculator) -> list[FactField]:
    hints = typing.get_type_hints(calculator.facts_type)
    labels = LABELS.get(calculator.name, {})
    static = STATIC_CHOICES.get(calculator.name, {})
    dynamic = PARAMETER_CHOICES.get(calculator.name, {})
    fields = []
    for field in dataclasses.fields(calculator.facts_type):
        kind, nullable = _kind(hints[field.name])
        choices: tuple[tuple[str, str], ...] = ()
        if field.name in static:
            choices = tuple(static[field.name].items())
        elif field.name in dynamic:
            choices = _table_choices(dynamic[field.name])
        if choices and kind == "text":
            kind = "choice"
        has_default = field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
        default = None
        if field.default is not dataclasses.MISSING:
            default = _json_default(field.default)
        elif field.default_factory is not dataclasses.MISSING:
            default = _json_default(field.default_factory())
        fields.append(FactField(name=field.name, kind=kind, label=labels.get(field.name, field.name),
                                required=not has_default, nullable=nullable, default=default, choices=choices))
    return fields


def choice_errors(fields: list[FactField], data: Mapping[str, Any]) -> dict[str, str]:
    """Values outside the offered choices, caught here with the field named instead of deep in a calculator."""
    errors = {}
    for field in fields:
        if not field.choices or data.get(field.name) is None:
            continue
        allowed = {value for value, _label in field.choices}
        raw = data[field.name]
        values = raw if field.kind == "multi_choice" and isinstance(raw, list) else [raw]
        wrong = [str(v) for v in values if v not in allowed]
        if wrong:
            errors[field.name] = f"不是有效的选项：{'、'.join(wrong)}"
    return errors


def calculator_catalogue() -> list[dict]:
    return [{"name": c.name, "title": c.title, "fields": [f.to_dict() for f in calculator_fields(c)]}
            for c in CALCULATORS.values()]


def value_labels(calculator_name: str) -> dict[str, Mapping[str, str]]:
    """field → {code: Chinese name} for the calculator's choice fields: how a stored fact is shown to people
    (行业 住宿和餐饮业, not accommodation_catering). Table choices are read once per call (one query each)."""
    labels: dict[str, Mapping[str, str]] = {name: {str(k): str(v) for k, v in choices.items()}
                                            for name, choices in STATIC_CHOICES.get(calculator_name, {}).items()}
    for name, key in PARAMETER_CHOICES.get(calculator_name, {}).items():
        labels[name] = dict(_table_choices(key))
    return labels
