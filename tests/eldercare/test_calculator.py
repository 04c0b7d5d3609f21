"""R7 养老服务人才激励 (吉民发〔2024〕33号): who qualifies for which incentive and why — table-driven, with the
boundaries: full-time or not, the entry award's service start date, the 黑名单's listing and removal days, the
month caps, the 新八级工 levels, the day before the scheme."""

from datetime import date

import pytest

from apps.eligibility.calculators import elderly_care_incentive as calc
from apps.eligibility.calculators.base import FactRefused
from apps.eligibility.parameter_fixtures import fixture_rows
from tests.eligibility.conftest import snapshot_from_rows

ROWS = fixture_rows()
DAY = date(2026, 3, 1)


def run(kind, claim_date=DAY, full_time=True, start_date=date(2025, 1, 1), **facts):
    values = calc.ElderlyCareIncentiveFacts(kind=kind, claim_date=claim_date, full_time=full_time,
                                            start_date=start_date, **facts)
    return calc.calculate(values, snapshot_from_rows(ROWS, claim_date))


@pytest.mark.parametrize(
    ("kind", "facts", "eligible", "amount", "code"),
    [
        # 就业见习补贴: 1500.00 × months, at most 12 (示例值); part-time interns qualify too
        ("internship", {"months": 3, "full_time": False}, True, "4500.00", None),
        ("internship", {"months": 12}, True, "18000.00", None),
        ("internship", {"months": 13}, True, "18000.00", None),  # capped at 12
        ("internship", {"months": 0}, False, "0.00", "no_months"),
        # 社会保险补贴: only for a hired college graduate; 800.00 × months, at most 36
        ("social_insurance", {"months": 6, "college_graduate": True}, True, "4800.00", None),
        ("social_insurance", {"months": 40, "college_graduate": True}, True, "28800.00", None),
        ("social_insurance", {"months": 6}, False, "0.00", "not_college_graduate"),
        # 职业培训补贴 with a certificate; 一次性创业补贴 for a graduate who founded the institution
        ("vocational_training", {"training_certificate": True, "full_time": False}, True, "1000.00", None),
        ("vocational_training", {}, False, "0.00", "no_certificate"),
        ("startup", {"college_graduate": True, "founder": True}, True, "5000.00", None),
        ("startup", {"college_graduate": True}, False, "0.00", "not_founder"),
        ("startup", {"founder": True}, False, "0.00", "not_founder"),
        # the four full-time-only awards refuse a part-time worker
        ("entry_award", {"full_time": False}, False, "0.00", "not_full_time"),
        ("post_subsidy", {"months": 6, "full_time": False}, False, "0.00", "not_full_time"),
        ("skill_award", {"skill_level": "senior", "full_time": False}, False, "0.00", "not_full_time"),
        ("honour_award", {"honour_level": "city", "full_time": False}, False, "0.00", "not_full_time"),
        # 岗位补贴 300.00 × months, at most 12 per claim
        ("post_subsidy", {"months": 6}, True, "1800.00", None),
        ("post_subsidy", {"months": 12}, True, "3600.00", None),
        ("post_subsidy", {"months": 24}, True, "3600.00", None),
        # 技能等级奖励 by the 新八级工 level; 学徒工 and no level have no amount
        ("skill_award", {"skill_level": "junior"}, True, "500.00", None),
        ("skill_award", {"skill_level": "senior"}, True, "2000.00", None),
        ("skill_award", {"skill_level": "chief_technician"}, True, "8000.00", None),
        ("skill_award", {"skill_level": "apprentice"}, False, "0.00", "no_skill_level"),
        ("skill_award", {}, False, "0.00", "no_skill_level"),
        # 荣誉奖励 by the honour's level
        ("honour_award", {"honour_level": "national"}, True, "10000.00", None),
        ("honour_award", {"honour_level": "provincial"}, True, "5000.00", None),
        ("honour_award", {}, False, "0.00", "no_honour"),
    ],
)
def test_incentive_rules(kind, facts, eligible, amount, code):
    result = run(kind, **facts)
    assert result.eligible is eligible
    assert str(result.amount) == amount
    assert [r.code for r in result.reasons] == ([code] if code else [])
    assert result.steps and result.steps[0].value == calc.KINDS[kind]


@pytest.mark.parametrize(
    ("start_date", "claim_date", "eligible"),
    [
        (date(2025, 3, 1), date(2026, 3, 1), True),  # 12 months exactly on the claim day
        (date(2025, 3, 2), date(2026, 3, 1), False),  # one day short
        (date(2025, 1, 31), date(2026, 1, 31), True),
        (date(2025, 1, 31), date(2026, 1, 30), False),
        (date(2024, 2, 29), date(2025, 2, 28), True),  # a leap day start: its anniversary is 02-28
        (date(2024, 2, 29), date(2025, 2, 27), False),
    ],
)
def test_entry_award_service_boundary(start_date, claim_date, eligible):
    result = run("entry_award", claim_date=claim_date, start_date=start_date)
    assert result.eligible is eligible
    assert str(result.amount) == ("3000.00" if eligible else "0.00")
    if not eligible:
        assert result.reasons[0].code == "service_too_short" and "12 个月" in result.reasons[0].message


@pytest.mark.parametrize(
    ("listed_on", "removed_on", "listed"),
    [
        (date(2026, 3, 1), None, True),  # listed on the claim day itself
        (date(2026, 3, 2), None, False),  # listed the day after
        (date(2026, 1, 1), date(2026, 3, 1), False),  # removed on the claim day: no longer listed
        (date(2026, 1, 1), date(2026, 3, 2), True),  # removed the day after: still listed
        (date(2025, 1, 1), date(2025, 12, 31), False),  # an old, removed listing
    ],
)
@pytest.mark.parametrize("who", ["institution", "person"])
def test_blacklist_date_boundaries(who, listed_on, removed_on, listed):
    result = run("post_subsidy", months=6, **{f"{who}_listed_on": listed_on, f"{who}_removed_on": removed_on,
                                              f"{who}_listing_reason": "虐待老年人"})
    assert result.eligible is not listed
    if listed:
        assert result.reasons[0].code == "blacklisted"
        assert "虐待老年人" in result.reasons[0].message and "严重失信名单" in result.reasons[0].message
        assert ("养老机构" if who == "institution" else "本人") in result.reasons[0].message
        assert result.amount == 0
    else:
        assert str(result.amount) == "1800.00"


def test_blacklist_comes_before_every_other_rule():
    # a part-time worker of a listed institution: the listing is the reason given
    result = run("entry_award", full_time=False, institution_listed_on=date(2026, 1, 1),
                 institution_listing_reason="非法集资")
    assert [r.code for r in result.reasons] == ["blacklisted"]


def test_explanation_names_the_parameters_and_the_document():
    result = run("post_subsidy", months=6).to_dict()
    keys = [p["key"] for p in result["parameters"]]
    assert keys == ["elderly_care.post_subsidy_monthly", "elderly_care.post_subsidy_max_months"]
    assert all("吉民发〔2024〕33号" in p["source"] for p in result["parameters"])
    assert [s["label"] for s in result["steps"]] == ["申领项目", "严重失信名单", "是否专职", "申领月数", "岗位补贴"]
    assert result["steps"][-1]["formula"] == "300.00 × 6"


def test_before_the_document_no_scheme():
    result = run("post_subsidy", claim_date=date(2024, 10, 9), start_date=date(2024, 1, 1), months=6)
    assert not result.eligible and result.reasons[0].code == "no_scheme_in_force"
    assert run("post_subsidy", claim_date=date(2024, 10, 10), start_date=date(2024, 1, 1), months=6).eligible


@pytest.mark.parametrize(("facts", "field"), [({"kind": "other"}, "kind"), ({"months": -1}, "months"),
                                              ({"start_date": date(2026, 3, 2)}, "start_date")])
def test_impossible_facts_are_refused_by_field(facts, field):
    values = {"kind": "post_subsidy", "start_date": date(2025, 1, 1), **facts}
    with pytest.raises(FactRefused) as error:
        run(values.pop("kind"), **values)
    assert error.value.field == field
