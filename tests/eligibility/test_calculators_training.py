from datetime import date

import pytest

from apps.eligibility.calculators.training import TrainingFacts, calculate

END = date(2025, 6, 30)


def course(
    program="domestic_service", completed=True, evidence=("labour_contract",), level="junior", end=END
):
    return TrainingFacts(
        program=program,
        training_end_date=end,
        training_completed=completed,
        verified_employment_evidence=frozenset(evidence),
        certificate_level=level,
    )


@pytest.mark.parametrize(
    ("facts", "training", "assessment", "codes"),
    [
        (course(), "1200.00", "1000.00", []),
        (course(evidence=("service_agreement",)), "1200.00", "1000.00", []),
        (course(evidence=("wage_statement",), level="senior"), "1200.00", "2000.00", []),
        (course(program="elderly_care", level="intermediate"), "1500.00", "1500.00", []),
        (course(level="special_skill"), "1200.00", "500.00", []),
        # Training subsidy waits for the employment check; the assessment subsidy does not.
        (course(evidence=()), "0.00", "1000.00", ["employment_not_verified"]),
        # Assessment subsidy waits for a certificate; the training subsidy does not.
        (course(level=None), "1200.00", "0.00", ["no_certificate"]),
        (course(completed=False, level=None), "0.00", "0.00", ["training_not_completed", "no_certificate"]),
        (course(program="piano"), "0.00", "1000.00", ["program_not_listed"]),
        (course(level="chief_technician"), "1200.00", "0.00", ["certificate_level_not_subsidised"]),
        (course(evidence=(), level=None), "0.00", "0.00", ["employment_not_verified", "no_certificate"]),
    ],
)
def test_training_subsidies(snapshot, facts, training, assessment, codes):
    result = calculate(facts, snapshot(END))
    assert str(result.data["training_subsidy"]) == training
    assert str(result.data["assessment_subsidy"]) == assessment
    assert result.amount == result.data["training_subsidy"] + result.data["assessment_subsidy"]
    assert [r.code for r in result.reasons] == codes
    assert result.eligible is (result.amount > 0)


def test_amounts_come_from_parameters(snapshot):
    params = snapshot(
        END,
        training__subsidy_per_program={"domestic_service": {"name": "家政", "amount": "800.50"}},
        training__assessment_subsidy_per_level={"junior": {"name": "初级工", "amount": "300"}},
    )
    result = calculate(course(), params)
    assert str(result.amount) == "1100.50"
    assert result.steps[-1].formula == "800.50 + 300.00"


def test_demo_amounts_not_in_force_before_2025(snapshot):
    # Issue 12 fault 6: before the first version is "no scheme in force", not a missing parameter.
    result = calculate(course(end=date(2024, 12, 31)), snapshot(date(2024, 12, 31)))
    assert not result.eligible and [r.code for r in result.reasons] == ["no_scheme_in_force"]


@pytest.mark.parametrize("changes", [{"evidence": ("selfie",)}, {"level": "grandmaster"}])
def test_unknown_codes_are_errors(snapshot, changes):
    with pytest.raises(ValueError):
        calculate(course(**changes), snapshot(END))
