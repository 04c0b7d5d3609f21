"""The child's benefits panel: the pure calculators with an as-of parameter snapshot, facts from the case.

Categories map to R4's preschool-aid groups; the national childcare subsidy applies under 3; other benefits
the categories point to are listed for the caseworker to follow up (no calculator for them yet).
"""

from datetime import date

from apps.child_welfare.ages import child_age
from apps.child_welfare.models import Case, Category
from apps.core.exceptions import ApplicationError
from apps.eligibility.calculators import childcare_subsidy, preschool_aid
from apps.eligibility.calculators.registry import CALCULATORS
from apps.eligibility.selectors import calculation_compute

# Case category → preschool-aid group (R4, 吉卫联发〔2023〕56号 第(十四)条).
PRESCHOOL_GROUPS: dict[str, str] = {
    Category.MINIMUM_LIVING_ALLOWANCE: "minimum_living_allowance",
    Category.EXTREME_POVERTY_SUPPORT: "extreme_poverty_support",
    Category.ORPHAN: "orphan",
    Category.DISABLED: "disabled",
    Category.DE_FACTO_UNSUPPORTED: "de_facto_unsupported",
    Category.FORMER_REGISTERED_POOR: "former_registered_poor",
}

OTHER_BENEFITS: dict[str, str] = {
    Category.ORPHAN: "孤儿基本生活费（按当地标准按月发放）",
    Category.DE_FACTO_UNSUPPORTED: "事实无人抚养儿童基本生活补贴（参照孤儿标准）",
    Category.DISABLED: "残疾儿童康复救助、困难残疾人生活补贴",
    Category.SERIOUSLY_ILL: "医疗救助、大病保险倾斜",
    Category.MINIMUM_LIVING_ALLOWANCE: "低保金（含分类施保加发）、教育资助",
    Category.EXTREME_POVERTY_SUPPORT: "特困人员救助供养金、照料护理补贴",
}


def _run(title: str, calculator: str, facts, region_code: str) -> dict:
    """The eligibility service computes (snapshot as of the facts' date, the region's parameters)."""
    try:
        calculation = calculation_compute(calculator=CALCULATORS[calculator], facts=facts, region_code=region_code)
        return {"title": title, "result": calculation.result, "error": ""}
    except ApplicationError as error:  # a parameter not yet entered for that date: say so, don't fail the page
        return {"title": title, "result": None, "error": error.message}


def case_benefits(case: Case, *, today: date | None = None) -> dict:
    today = today or date.today()
    categories = {c.category for c in case.categories.all()}
    rows = []
    if case.at_inclusive_kindergarten:
        facts = preschool_aid.PreschoolAidFacts(
            year=today.year, kindergarten_inclusive=True, kindergarten_approved=case.kindergarten_approved,
            urban=case.urban, child_categories=frozenset(PRESCHOOL_GROUPS[c] for c in categories
                                                        if c in PRESCHOOL_GROUPS))
        rows.append(_run("学前教育资助（R4）", "preschool-aid", facts, case.region_id))
    if child_age(case.child, today) < 3:
        subsidy_facts = childcare_subsidy.ChildcareSubsidyFacts(year=today.year,
                                                                child_birth_date=case.child.birth_date)
        rows.append(_run("国家育儿补贴（未满3周岁）", "childcare-subsidy", subsidy_facts, case.region_id))
    others = [text for category, text in OTHER_BENEFITS.items() if category in categories]
    return {"rows": rows, "others": others, "year": today.year}
