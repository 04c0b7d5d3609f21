"""The services: the target group read from the status tags on the application date, the stored decision (steps and
parameter versions), field errors, region scope; four eyes on the review; only an eligible application may be
approved; the subsidy claim from the paid periods (half-up once), a period claimed once, a returned claim frees them."""

from datetime import date
from decimal import Decimal

import pytest

from apps.applicants.models import StatusTag
from apps.core.exceptions import ApplicationError, ConflictError, NotFoundError
from apps.core.review import FOUR_EYES_CODE, REVIEWER_CODE, ReviewRefused
from apps.eligibility.models import PolicyParameter
from apps.startup_loans import services
from apps.startup_loans.models import LoanApplication, RepaymentPeriod, SubsidyClaim
from tests.factories import PersonFactory
from tests.startup_loans.conftest import DAY, approved_application, make_application, schedule, target_person

pytestmark = pytest.mark.django_db


def test_application_stores_the_decision_with_parameter_versions(caseworker):
    application = make_application(caseworker)
    assert application.reference == f"CDB220102{application.pk:06d}"
    assert application.eligible and application.guaranteed_amount == Decimal("200000.00")
    assert application.interest_subsidy_share == Decimal("50") and application.target_groups == ["migrant_worker"]
    determination = application.determination
    keys = set(PolicyParameter.objects.filter(pk__in=determination.parameter_versions).values_list("key", flat=True))
    assert keys == {"startup_loans.max_amount_per_person", "startup_loans.interest_subsidy_share",
                    "startup_loans.max_term_months"}
    assert [s["label"] for s in determination.result["steps"]][0] == "扶持对象身份"
    assert determination.fingerprint


@pytest.mark.parametrize(
    ("tag", "since", "until", "eligible"),
    [
        (StatusTag.Tag.UNEMPLOYED_GRADUATE, date(2025, 6, 1), None, True),
        (StatusTag.Tag.EMPLOYMENT_DIFFICULTY, DAY, None, True),  # from the application day itself
        (StatusTag.Tag.POSTNATAL_WOMAN, date(2026, 3, 2), None, False),  # from the day after
        (StatusTag.Tag.UNEMPLOYED, date(2025, 1, 1), date(2026, 2, 28), False),  # ended the day before
        (StatusTag.Tag.UNEMPLOYED, date(2025, 1, 1), DAY, True),  # ends on the day: still valid
        (StatusTag.Tag.FLEXIBLE_EMPLOYMENT, date(2025, 1, 1), None, False),  # not a target group
        (None, None, None, False),
    ],
)
def test_target_group_from_the_status_tags_on_the_application_date(caseworker, tag, since, until, eligible):
    person = target_person(tag=tag, since=since, until=until)
    application = make_application(caseworker, person=person)
    assert application.eligible is eligible
    if not eligible:
        assert application.guaranteed_amount == Decimal("0.00")
        assert "not_target_group" in [r["code"] for r in application.determination.result["reasons"]]


def test_amount_over_the_cap_is_capped(caseworker):
    application = make_application(caseworker, amount_requested=Decimal("300000.01"))
    assert application.eligible and application.guaranteed_amount == Decimal("300000.00")
    assert application.determination.result["data"]["capped"] is True


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"business_uscc": "91220101MA0Y3XXXX1"}, "business_uscc", "invalid_uscc"),
        ({"business_name": "  "}, "business_name", "required"),
        ({"lender_bank": ""}, "lender_bank", "required"),
        ({"amount_requested": Decimal("0")}, "amount_requested", "invalid_amount"),
        ({"amount_requested": Decimal("100.001")}, "amount_requested", "invalid_amount"),
        ({"term_months": 0}, "term_months", "invalid_term"),
        ({"application_date": date(2099, 1, 1)}, "application_date", "invalid_date"),
    ],
)
def test_field_errors(caseworker, overrides, field, code):
    with pytest.raises(ApplicationError) as error:
        make_application(caseworker, **overrides)
    assert error.value.code == code and field in error.value.fields
    assert not LoanApplication.objects.exists()


def test_a_valid_uscc_is_stored_compact(caseworker):
    from tests.factories import EmployerFactory

    uscc = EmployerFactory.build().uscc
    assert make_application(caseworker, business_uscc=uscc.lower()).business_uscc == uscc


def test_person_of_another_region_is_not_found(caseworker):
    with pytest.raises(NotFoundError):
        make_application(caseworker, person=target_person(region_id="220204"))


def test_maker_cannot_approve_own_application(caseworker, supervisor):
    application = make_application(supervisor, person=target_person())
    with pytest.raises(ReviewRefused) as error:
        services.application_review(application=application, user=supervisor, action="approve")
    assert error.value.code == FOUR_EYES_CODE


def test_caseworker_is_not_a_reviewer(caseworker, other_caseworker, supervisor):
    application = make_application(supervisor, person=target_person())
    with pytest.raises(ReviewRefused) as error:
        services.application_review(application=application, user=caseworker, action="approve")
    assert error.value.code == REVIEWER_CODE


def test_reviewer_of_another_region_gets_404(caseworker, db):
    from apps.accounts.models import User
    from tests.factories import UserFactory

    jilin_city = UserFactory(username="sup_jl_city", role=User.Role.SUPERVISOR, region_id="220200")
    with pytest.raises(NotFoundError):
        services.application_review(application=make_application(caseworker), user=jilin_city, action="approve")


def test_only_an_eligible_application_may_be_approved(caseworker, supervisor):
    application = make_application(caseworker, term_months=37)
    with pytest.raises(ConflictError) as error:
        services.application_review(application=application, user=supervisor, action="approve")
    assert error.value.code == "not_eligible" and "超过最长期限" in error.value.message
    returned = services.application_review(application=application, user=supervisor, action="reject", note="期限过长")
    assert returned.status == LoanApplication.Status.REJECTED and returned.reviewed_by == supervisor


def test_reject_needs_a_reason(caseworker, supervisor):
    with pytest.raises(ApplicationError) as error:
        services.application_review(application=make_application(caseworker), user=supervisor, action="reject")
    assert error.value.code == "reason_required"


def test_update_decides_again_and_only_while_submitted(caseworker, supervisor):
    application = make_application(caseworker)
    first = application.determination_id
    updated = services.application_update(application=application, user=caseworker,
                                          data=services.ApplicationInput(DAY, "新名称", Decimal("350000.00"), 24, "银行"))
    assert updated.guaranteed_amount == Decimal("300000.00") and updated.determination_id != first
    services.application_review(application=updated, user=supervisor, action="approve")
    with pytest.raises(ConflictError):
        services.application_update(application=updated, user=caseworker,
                                    data=services.ApplicationInput(DAY, "x", Decimal("1.00"), 1, "银行"))


def test_claim_from_paid_periods_rounds_once(caseworker, supervisor):
    application = approved_application(caseworker, supervisor)
    schedule(application, paid=(1, 2, 3), interest="0.01")
    claim = services.claim_create(application=application, user=caseworker)
    # 3 × 0.01 × 50% = 0.015 → 0.02 (rounded per period it would be 0.03)
    assert claim.amount == Decimal("0.02") and claim.periods_count == 3 and claim.interest_total == Decimal("0.03")
    assert claim.explanation["periods"] == [1, 2, 3]
    assert claim.explanation["parameters"][0]["key"] == "startup_loans.interest_subsidy_share"
    assert set(RepaymentPeriod.objects.filter(claim=claim).values_list("period", flat=True)) == {1, 2, 3}
    with pytest.raises(ConflictError) as error:  # nothing left: a period is claimed once
        services.claim_create(application=application, user=caseworker)
    assert error.value.code == "nothing_to_claim"


def test_claim_needs_an_approved_loan(caseworker):
    application = make_application(caseworker)
    schedule(application)
    with pytest.raises(ConflictError) as error:
        services.claim_create(application=application, user=caseworker)
    assert error.value.code == "not_approved"


def test_claim_four_eyes_and_a_returned_claim_frees_its_periods(caseworker, supervisor, province_admin):
    application = approved_application(caseworker, supervisor)
    schedule(application, paid=(1, 2))
    claim = services.claim_create(application=application, user=supervisor)
    with pytest.raises(ReviewRefused) as error:
        services.claim_review(claim=claim, user=supervisor, action="approve")
    assert error.value.code == FOUR_EYES_CODE
    services.claim_review(claim=claim, user=province_admin, action="reject", note="利息与银行回单不符")
    assert not RepaymentPeriod.objects.filter(claim__isnull=False).exists()
    again = services.claim_create(application=application, user=caseworker)
    assert again.amount == Decimal("583.33")  # 2 × 583.33 × 50% = 583.33
    services.claim_review(claim=again, user=supervisor, action="approve")
    assert SubsidyClaim.objects.get(pk=again.pk).status == SubsidyClaim.Status.APPROVED


def test_claim_uses_the_share_version_stored_with_the_decision(caseworker, supervisor):
    """The loan's terms: the share version its Determination used, named in the claim's explanation."""
    application = approved_application(caseworker, supervisor)
    schedule(application, paid=(1,), interest="1000.00")
    claim = services.claim_create(application=application, user=caseworker)
    assert claim.amount == Decimal("500.00")
    share = PolicyParameter.objects.get(key="startup_loans.interest_subsidy_share")
    assert claim.explanation["parameters"][0]["version"] == share.pk
    assert share.pk in application.determination.parameter_versions


def test_person_without_region_access_cannot_claim(caseworker, other_caseworker, supervisor):
    application = approved_application(caseworker, supervisor)
    schedule(application)
    with pytest.raises(NotFoundError):
        services.claim_create(application=application, user=other_caseworker)


def test_unused_person_factory_is_not_a_target(caseworker):
    assert not make_application(caseworker, person=PersonFactory()).eligible
