"""The one place where eligibility reads the registries: a person or an employer in, calculator facts out.

Everything else in this app takes facts and returns results. When the registries grow (households and
children, status tags with since/until, insurance enrolments), only this module changes.

What exists today (and what the functions use):
  applicants.Person  id_number, name, birth_date, sex, region, hukou_type — no children, no status tags
  employers.Employer entity type, industry, employees, revenue, assets, serious_dishonesty
  employers.Contribution  one month of unemployment-insurance contributions

TODO(registries): after HouseholdMember / Child, StatusTag and InsuranceEnrolment land —
  * `person_benefit_facts`: add one childcare-subsidy entry per child under 3 of the person (label "子女 …");
    preschool aid per child from the child's kindergarten enrolment and its status tags valid on `as_of`
    (低保 → minimum_living_allowance, 特困 → extreme_poverty_support, 孤儿 → orphan, 残疾 → disabled,
    事实无人抚养 → de_facto_unsupported, 原建档立卡 → former_registered_poor); maternity allowance from the
    flexible-worker InsuranceEnrolment (months of continuous enrolment up to the delivery date); leave
    entitlements from employment + children. Until then those facts come from `known_facts`.
  * `person_candidates`: add parents of children under 3 and children with a hardship tag.
  * `employer_facts`: the refund engineer's set-based aggregation computes exactly the same
    StableJobRefundFacts for all employers at once; replace `_contribution_summary` with a call to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet

from apps.applicants.models import Person
from apps.core.money import ZERO
from apps.eligibility.calculators import childcare_subsidy, enterprise_size, leave, maternity, preschool_aid
from apps.eligibility.calculators.enterprise_size import EnterpriseSizeFacts
from apps.eligibility.calculators.leave import birthday
from apps.eligibility.calculators.registry import CALCULATORS, build_facts
from apps.eligibility.calculators.stable_job_refund import StableJobRefundFacts
from apps.employers.models import Contribution, Employer

# The employer registry names industries its own way; the size table parameter uses these keys.
INDUSTRY_TABLE_KEYS = {
    "industry": "industrial",
    "construction": "construction",
    "wholesale": "wholesale",
    "retail": "retail",
    "transport": "transport",
    "warehousing": "warehousing",
    "postal": "postal",
    "hospitality": "accommodation_catering",
    "telecom": "telecom",
    "software": "software_it",
    "real_estate": "real_estate_development",
    "property_management": "property_management",
    "leasing": "leasing_business_services",
    "agriculture": "agriculture",
    "other": "other",
}
# Calculators a caseworker can still run for the person by hand, and what the registries do not hold yet.
NEEDS_MORE_FACTS = {
    preschool_aid.NAME: "需要幼儿园（普惠、备案）及困难儿童类别信息",
    maternity.NAME: "需要分娩日期及灵活就业参保月数",
    leave.NAME: "需要就业状况及子女出生信息",
}


@dataclass(frozen=True)
class PendingBenefit:
    calculator: str
    title: str
    missing: str


def _under_age_in_year(birth_date: date, years: int, year: int) -> bool:
    """Under `years` on at least one day of `year` (born by its end, birthday not before 2 January)."""
    return birth_date <= date(year, 12, 31) and birthday(birth_date, years) > date(year, 1, 1)


def person_benefit_facts(person: Person, as_of: date,
                         known_facts: Mapping[str, Mapping[str, Any]] | None = None, *,
                         age_limit: int | None = None) -> list[tuple[str, Any, str]]:
    """(calculator name, facts, label) for every benefit the person — and later their children — may get.

    `known_facts` {calculator: JSON facts} supplies what the registries do not hold yet (see the TODO above);
    those entries are parsed with the calculator's own rules and raise FactsError when wrong.
    `age_limit`: the childcare-subsidy age limit, passed in by batch callers so it is read once per run.
    """
    entries: list[tuple[str, Any, str]] = []
    subsidy_age = age_limit if age_limit is not None else childcare_age_limit(as_of)
    if subsidy_age and _under_age_in_year(person.birth_date, subsidy_age, as_of.year):
        facts = childcare_subsidy.ChildcareSubsidyFacts(year=as_of.year, child_birth_date=person.birth_date)
        entries.append((childcare_subsidy.NAME, facts, f"{person.name}（{subsidy_age}周岁以下婴幼儿）"))
    for name, data in (known_facts or {}).items():
        if any(entry[0] == name for entry in entries):
            continue
        facts = build_facts(CALCULATORS[name].facts_type, data)
        entries.append((name, facts, f"{person.name}（经办人录入的事实）"))
    return entries


def person_pending_benefits(person: Person, as_of: date, evaluated: set[str]) -> list[PendingBenefit]:
    """Benefits the panel cannot evaluate from the registry yet — shown with what is missing."""
    pending = []
    for name, missing in NEEDS_MORE_FACTS.items():
        if name in evaluated:
            continue
        if name == maternity.NAME and person.sex != Person.Sex.FEMALE:
            continue
        if name == preschool_aid.NAME and not _under_age_in_year(person.birth_date, 7, as_of.year):
            continue
        if name == leave.NAME and as_of.year - person.birth_date.year < 16:
            continue
        pending.append(PendingBenefit(name, CALCULATORS[name].title, missing))
    return pending


def childcare_age_limit(as_of: date) -> int | None:
    """The province's childcare-subsidy age limit in force at the end of `as_of`'s year (one query).
    It only selects whom to compute for; the calculation reads the regional value itself."""
    from apps.eligibility.models import PolicyParameter

    day = date(as_of.year, 12, 31)
    value = (PolicyParameter.objects.filter(key="childcare_subsidy.age_limit_years", valid_from__lte=day,
                                            region_id=settings.PORTAL_ROOT_REGION)
             .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).values_list("value", flat=True).first())
    return int(value) if value is not None else None


def person_candidates(as_of: date) -> QuerySet[Person]:
    """People the daily matching job looks at: today, children under the childcare-subsidy age."""
    limit = childcare_age_limit(as_of)
    if not limit:
        return Person.objects.none()
    # Generous date bound (one extra year); `person_benefit_facts` applies the exact rule.
    return Person.objects.filter(birth_date__gt=date(as_of.year - limit - 1, 1, 1),
                                 birth_date__lte=date(as_of.year, 12, 31))


# ---------------------------------------------------------------- employers


def employer_size_facts(employer: Employer, year: int, insured_headcount_december: int | None = None
                        ) -> EnterpriseSizeFacts:
    return EnterpriseSizeFacts(
        facts_year=year,
        industry=INDUSTRY_TABLE_KEYS.get(employer.industry, employer.industry),
        employees=employer.employees,
        revenue=employer.revenue_10k,
        total_assets=employer.assets_10k,
        insured_headcount_december=insured_headcount_december,
    )


@dataclass(frozen=True)
class ContributionSummary:
    months_paid_in_full: int
    has_arrears: bool
    headcount_start: int
    headcount_end: int
    contributions_paid: Any  # Decimal


def _contribution_summary(employer: Employer, year: int) -> ContributionSummary:
    """Per-employer aggregation of `year`'s contribution months (two queries).

    * months paid in full: consecutive months ending with December in which paid (employer + employee)
      covers the amount due; a missing month breaks the run. "On time" cannot be checked — the registry
      has no payment date — so a month paid in full counts (documented assumption).
    * arrears: any month up to December of `year` (earlier years too) with paid < due.
    * contributions paid: the months of `year` only, without late fees — back-payments of earlier years
      belong to the months they pay for, so they are excluded by the period filter.
    """
    rows = list(Contribution.objects.filter(employer=employer, period__year=year)
                .values("period", "insured_headcount", "amount_due", "paid_employer", "paid_employee"))
    by_month = {row["period"].month: row for row in rows}
    months = 0
    for month in range(12, 0, -1):
        row = by_month.get(month)
        if row is None or row["paid_employer"] + row["paid_employee"] < row["amount_due"]:
            break
        months += 1
    has_arrears = Contribution.objects.filter(employer=employer, period__lte=date(year, 12, 1)).filter(
        Q(amount_due__gt=F("paid_employer") + F("paid_employee"))).exists()
    return ContributionSummary(
        months_paid_in_full=months,
        has_arrears=has_arrears,
        headcount_start=by_month[1]["insured_headcount"] if 1 in by_month else 0,
        headcount_end=by_month[12]["insured_headcount"] if 12 in by_month else 0,
        contributions_paid=sum((r["paid_employer"] + r["paid_employee"] for r in rows), ZERO),
    )


def employer_facts(employer: Employer, year: int, size_class: str | None = None) -> StableJobRefundFacts:
    """StableJobRefundFacts of `employer` for facts year `year` (the refund year is `year` + 1).

    The size class is computed by the enterprise-size calculator from the registry figures unless given.
    """
    summary = _contribution_summary(employer, year)
    if size_class is None:
        size_class = employer_size_result(employer, year, summary.headcount_end).data["size_class"]
    return StableJobRefundFacts(
        facts_year=year,
        entity_type=employer.entity_type,
        size_class=size_class,
        months_paid_in_full=summary.months_paid_in_full,
        has_arrears=summary.has_arrears,
        serious_dishonesty=employer.serious_dishonesty,
        headcount_start=summary.headcount_start,
        headcount_end=summary.headcount_end,
        contributions_paid=summary.contributions_paid,
    )


def employer_size_result(employer: Employer, year: int, insured_headcount_december: int | None = None):
    from apps.eligibility.parameters import parameter_snapshot

    facts = employer_size_facts(employer, year, insured_headcount_december)
    snapshot = parameter_snapshot(as_of=enterprise_size.snapshot_date(facts), region_code=employer.region_id)
    return enterprise_size.calculate(facts, snapshot)


def december_headcount(employer: Employer, year: int) -> int | None:
    return (Contribution.objects.filter(employer=employer, period=date(year, 12, 1))
            .values_list("insured_headcount", flat=True).first())

