"""Annual subsidy claims: amount from the calculator (category × 长春市城区 × child-months / 12), the counting
rule at claim level, 普惠 certification boundaries, and the approval rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.childcare.models import Attendance, Finding, Inspection, Institution, OperatingSubsidyClaim
from apps.childcare.services import claims
from apps.core.exceptions import ApplicationError, ConflictError
from apps.eligibility.models import PolicyParameter
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory, child, publicized

pytestmark = pytest.mark.django_db
C = Institution.Category


def enrol_for_months(institution, months: int, children: int = 1):
    """`children` children each enrolled for the first `months` months of 2025."""
    end = None if months == 12 else date(2025, months + 1, 1) - timedelta(days=1)
    for _ in range(children):
        EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1), end_date=end)


@pytest.mark.parametrize(("category", "region", "months", "children", "amount"), [
    (C.PUBLIC_PARTIAL_FUNDED, "220102", 12, 1, "2400.00"),  # 长春市城区
    (C.PUBLIC_PARTIAL_FUNDED, "220183", 12, 1, "1800.00"),  # 德惠市: 长春市 but not 城区
    (C.PUBLIC_SELF_FINANCED, "220113", 12, 1, "3600.00"),  # 九台区 is 城区 (last in the list)
    (C.PUBLIC_SELF_FINANCED, "220204", 12, 1, "2400.00"),  # 吉林市
    (C.PRIVATE_INCLUSIVE, "220106", 12, 2, "7200.00"),
    (C.PRIVATE_INCLUSIVE, "220122", 12, 1, "2400.00"),  # 农安县: elsewhere
    (C.PRIVATE_INCLUSIVE, "220102", 1, 1, "300.00"),  # proration: one month
    (C.PUBLIC_PARTIAL_FUNDED, "220204", 1, 1, "150.00"),
    (C.PRIVATE_INCLUSIVE, "220204", 7, 1, "1400.00"),
    (C.PUBLIC_PARTIAL_FUNDED, "220102", 5, 1, "1000.00"),
    (C.PUBLIC_PARTIAL_FUNDED, "220204", 11, 1, "1650.00"),
    (C.OTHER, "220102", 12, 3, "0.00"),  # non-inclusive private: 0
    (C.PRIVATE_INCLUSIVE, "220102", 0, 0, "0.00"),  # nobody enrolled
])
def test_subsidy_by_category_region_and_months(caseworker, category, region, months, children, amount):
    certified = {} if category == C.OTHER else {"inclusive_certified_from": date(2024, 1, 1)}
    institution = InstitutionFactory(
        category=category, region_id=region,
        **({"inclusive_certificate_number": "", "inclusive_certified_from": None} if category == C.OTHER else certified))
    if months:
        enrol_for_months(institution, months, children)
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    assert claim.amount == Decimal(amount)
    assert claim.child_months == months * children


def test_claim_stores_the_calculator_explanation_and_parameter_versions(caseworker):
    institution = InstitutionFactory(region_id="220102")
    enrol_for_months(institution, 6)
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    [part] = claim.explanation
    assert part["calculator"] == "childcare-operating-subsidy"
    assert part["amount"] == "1800.00"
    assert "3,600.00 × 6 人·月 ÷ 12" in part["steps"][1]["formula"]
    table = PolicyParameter.objects.get(key="childcare_operating.annual_rate_table")
    threshold = PolicyParameter.objects.get(key=claims.MIN_DAYS_KEY)
    assert claim.parameter_versions["childcare_operating.annual_rate_table"] == table.pk
    assert claim.parameter_versions[claims.MIN_DAYS_KEY] == threshold.pk
    assert claim.monthly["06"] == {"children": 1, "certified": True}
    assert claim.monthly["07"]["children"] == 0


@pytest.mark.parametrize(("certified_from", "certified_to", "certified_months"), [
    (date(2025, 7, 1), None, 6),  # certified from July
    (date(2025, 7, 31), None, 6),  # valid on the last day of July: July counts
    (date(2025, 8, 1), None, 5),
    (date(2024, 1, 1), date(2025, 6, 1), 6),  # expired on 1 June: June still counts
    (date(2024, 1, 1), date(2025, 5, 31), 5),
    (date(2026, 1, 1), None, 0),
])
def test_only_months_with_valid_certification_get_the_inclusive_rate(caseworker, certified_from, certified_to,
                                                                      certified_months):
    institution = InstitutionFactory(region_id="220102", inclusive_certified_from=certified_from,
                                     inclusive_certified_to=certified_to)
    enrol_for_months(institution, 12)
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    assert claim.certified_child_months == certified_months
    assert claim.child_months == 12
    assert claim.amount == Decimal(300 * certified_months).quantize(Decimal("0.01"))
    if certified_months < 12:
        assert "uncertified_months" in claim.flags
        assert claim.explanation[-1]["reasons"][0]["code"] == "inclusive_certification_missing"


def test_child_leaving_mid_month_counts_for_that_month_only(caseworker):
    institution = InstitutionFactory(region_id="220204")
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 10), end_date=date(2025, 3, 15))
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    assert claim.child_months == 3
    assert claim.amount == Decimal("600.00")  # 2400 × 3 / 12


def test_moved_child_counts_once_per_month_across_institutions(caseworker):
    first, second = InstitutionFactory(region_id="220102"), InstitutionFactory(region_id="220102")
    kid = child()
    EnrollmentFactory(child=kid, institution=first, start_date=date(2025, 1, 1), end_date=date(2025, 3, 15))
    EnrollmentFactory(child=kid, institution=second, start_date=date(2025, 3, 16))
    a = claims.claim_compute(institution=first, year=2025, user=caseworker)
    b = claims.claim_compute(institution=second, year=2025, user=caseworker)
    assert (a.child_months, b.child_months) == (3, 9)


@pytest.mark.parametrize(("threshold", "days", "counted"), [(1, 0, 11), (1, 1, 12), (5, 4, 11), (5, 5, 12)])
def test_attendance_threshold_is_a_policy_parameter(caseworker, threshold, days, counted):
    PolicyParameter.objects.filter(key=claims.MIN_DAYS_KEY).update(value=threshold)
    institution = InstitutionFactory(region_id="220102")
    enrollment = EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    Attendance.objects.create(enrollment=enrollment, month=date(2025, 4, 1), days_present=days)
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    assert claim.child_months == counted


def test_year_before_the_scheme_is_a_claim_with_no_scheme_in_force(caseworker):
    """Issue 12 fault 6 (was: refused as parameters_missing): 2024 is before the subsidy's first version
    (2025-01-01), so the claim says "no scheme in force" — a normal, explained result of 0.00."""
    institution = InstitutionFactory(region_id="220102")
    EnrollmentFactory(institution=institution, start_date=date(2024, 1, 1))
    claim = claims.claim_compute(institution=institution, year=2024, user=caseworker)
    assert claim.amount == Decimal("0.00") and "no_scheme_in_force" in claim.flags
    (part,) = claim.explanation
    assert [r["code"] for r in part["reasons"]] == ["no_scheme_in_force"] and "起施行" in part["reasons"][0]["message"]


def test_a_gap_in_the_parameters_is_still_refused_with_a_reason(caseworker):
    PolicyParameter.objects.filter(key=claims.MIN_DAYS_KEY).update(valid_to=date(2025, 6, 30))
    with pytest.raises(ApplicationError) as error:
        claims.claim_compute(institution=InstitutionFactory(), year=2025, user=caseworker)
    assert error.value.code == "parameters_missing"


# ---------------------------------------------------------------- workflow


@pytest.fixture
def submitted(caseworker):
    institution = InstitutionFactory(region_id="220102")
    enrol_for_months(institution, 12)
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    return claims.claim_submit(claim=claim, user=caseworker)


def test_supervisor_who_did_not_submit_approves(submitted, supervisor):
    claim = claims.claim_approve(claim=publicized(submitted), user=supervisor, comment="同意")
    assert claim.status == OperatingSubsidyClaim.Status.APPROVED
    assert claim.reviewed_by == supervisor


def test_submitter_cannot_approve_even_as_supervisor(supervisor, caseworker):
    institution = InstitutionFactory(region_id="220102")
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    claim = publicized(claims.claim_submit(claim=claim, user=supervisor))
    with pytest.raises(ApplicationError) as error:
        claims.claim_approve(claim=claim, user=supervisor)
    assert error.value.code == "four_eyes"
    assert error.value.status_code == 403


def test_caseworker_cannot_approve(submitted, other_caseworker):
    with pytest.raises(ApplicationError) as error:
        claims.claim_approve(claim=publicized(submitted), user=other_caseworker)
    assert (error.value.code, error.value.status_code) == ("reviewer_required", 403)


def test_approved_claim_is_frozen(submitted, supervisor, caseworker):
    claim = claims.claim_approve(claim=publicized(submitted), user=supervisor)
    EnrollmentFactory(institution=claim.institution, start_date=date(2025, 1, 1))
    for call in (lambda: claims.claim_compute(institution=claim.institution, year=2025, user=caseworker),
                 lambda: claims.claim_submit(claim=claim, user=caseworker),
                 lambda: claims.claim_approve(claim=claim, user=supervisor),
                 lambda: claims.claim_return(claim=claim, user=supervisor, comment="再看看")):
        with pytest.raises(ConflictError):
            call()
    claim.refresh_from_db()
    assert claim.child_months == 12 and claim.status == OperatingSubsidyClaim.Status.APPROVED


def test_return_needs_a_comment_and_reopens_the_claim(submitted, supervisor, caseworker):
    with pytest.raises(ApplicationError):
        claims.claim_return(claim=submitted, user=supervisor, comment=" ")
    claim = claims.claim_return(claim=submitted, user=supervisor, comment="请补充出勤")
    assert claim.status == OperatingSubsidyClaim.Status.RETURNED
    claim = claims.claim_compute(institution=claim.institution, year=2025, user=caseworker)
    assert claims.claim_submit(claim=claim, user=caseworker).status == OperatingSubsidyClaim.Status.SUBMITTED


def test_submitted_claim_cannot_be_recomputed(submitted, caseworker):
    with pytest.raises(ConflictError):
        claims.claim_compute(institution=submitted.institution, year=2025, user=caseworker)


def test_open_serious_finding_is_flagged_and_blocks_approval_until_rectified(caseworker, supervisor):
    institution = InstitutionFactory(region_id="220102")
    enrol_for_months(institution, 12)
    inspection = Inspection.objects.create(institution=institution, kind="fire", visited_on=date(2025, 6, 1),
                                           inspector="消防")
    finding = Finding.objects.create(inspection=inspection, severity="serious", description="安全出口堵塞",
                                     rectification_deadline=date(2025, 7, 1))
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    assert "serious_finding_open" in claim.flags
    claim = publicized(claims.claim_submit(claim=claim, user=caseworker))
    with pytest.raises(ConflictError) as error:
        claims.claim_approve(claim=claim, user=supervisor)
    assert error.value.code == "serious_finding_open"
    from apps.childcare.services.institutions import finding_rectify

    finding_rectify(finding=finding, rectified_on=date(2025, 7, 1), follow_up="已清理")
    assert claims.claim_approve(claim=claim, user=supervisor).status == OperatingSubsidyClaim.Status.APPROVED


def test_suspended_institution_is_flagged_not_blocked(caseworker, supervisor):
    institution = InstitutionFactory(region_id="220102")
    enrol_for_months(institution, 12)
    Institution.objects.filter(pk=institution.pk).update(status="suspended")
    institution.refresh_from_db()
    claim = claims.claim_submit(claim=claims.claim_compute(institution=institution, year=2025, user=caseworker),
                                user=caseworker)
    assert "suspended" in claim.flags
    assert claims.claim_approve(claim=publicized(claim), user=supervisor).amount == Decimal("3600.00")


def test_future_year_is_refused(caseworker):
    with pytest.raises(ApplicationError):
        claims.claim_compute(institution=InstitutionFactory(), year=2100, user=caseworker)


# Category × certification at claim level (issue 12, fault 3): a 公办 institution is paid for every counted
# child-month whatever its 普惠 certification says; a 民办 one only for the months its certification covers.
@pytest.mark.parametrize(("category", "certified_from", "certified_to", "paid_months", "amount"), [
    (C.PUBLIC_PARTIAL_FUNDED, None, None, 12, "2400.00"),  # never certified
    (C.PUBLIC_PARTIAL_FUNDED, date(2025, 7, 1), None, 12, "2400.00"),  # certified from July
    (C.PUBLIC_PARTIAL_FUNDED, date(2024, 1, 1), date(2025, 3, 31), 12, "2400.00"),  # expired in March
    (C.PUBLIC_SELF_FINANCED, None, None, 12, "3600.00"),
    (C.PUBLIC_SELF_FINANCED, date(2025, 4, 1), None, 12, "3600.00"),
    (C.PUBLIC_SELF_FINANCED, date(2024, 1, 1), None, 12, "3600.00"),
    (C.PRIVATE_INCLUSIVE, date(2024, 1, 1), None, 12, "3600.00"),
    (C.PRIVATE_INCLUSIVE, date(2025, 4, 1), None, 9, "2700.00"),
    (C.PRIVATE_INCLUSIVE, date(2024, 1, 1), date(2025, 3, 31), 3, "900.00"),
    (C.PRIVATE_INCLUSIVE, None, None, 0, "0.00"),
    (C.OTHER, None, None, 0, "0.00"),
])
def test_public_institutions_are_paid_without_certification(caseworker, category, certified_from, certified_to,
                                                            paid_months, amount):
    institution = InstitutionFactory(category=category, region_id="220102",
                                     inclusive_certificate_number="吉普惠托〔2024〕9号" if certified_from else "",
                                     inclusive_certified_from=certified_from, inclusive_certified_to=certified_to)
    enrol_for_months(institution, 12)
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    assert claim.child_months == 12
    assert claim.amount == Decimal(amount)
    paid = sum(part["data"]["child_months"] for part in claim.explanation if Decimal(part["amount"]) > 0)
    assert paid == paid_months
    requires = category == C.PRIVATE_INCLUSIVE
    assert ("uncertified_months" in claim.flags) is (requires and paid_months < 12)
    if not requires:
        assert len(claim.explanation) == 1
