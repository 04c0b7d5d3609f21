"""R6: no training subsidy without verified employment; one claim per person, occupation and level;
amounts only from the parameter table via the calculator, with the explanation stored."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apps.core.exceptions import ApplicationError, ConflictError
from apps.eligibility.models import PolicyParameter
from apps.training import services
from apps.training.models import Certificate, TrainingSubsidyClaim
from tests.training.conftest import first_reviewer, make_enrollment, make_program, publicized, walk_to

pytestmark = pytest.mark.django_db


def _table_amount(key: str, entry: str) -> Decimal:
    row = PolicyParameter.objects.filter(key=key, region_id="220000").order_by("-valid_from").first()
    return Decimal(row.value[entry]["amount"])


def test_training_claim_amount_comes_from_parameters_with_explanation(occupations, caseworker, supervisor):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "subsidy_claimed", supervisor,
                         caseworker)
    claim = enrollment.claims.get()
    assert claim.kind == "training" and claim.level == "junior"
    assert claim.amount == _table_amount("training.subsidy_per_program", "domestic_service")
    assert claim.explanation["calculator"] == "training-subsidy"
    assert {p["key"] for p in claim.parameter_versions} == {"training.subsidy_per_program",
                                                            "training.assessment_subsidy_per_level"}
    assert all(isinstance(p["version"], int) for p in claim.parameter_versions)


def test_no_training_subsidy_without_verified_employment(occupations, caseworker):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "assessed", caseworker)
    with pytest.raises(ApplicationError) as error:
        services.subsidy_claim_create(enrollment=enrollment, user=caseworker, kind="training")
    assert error.value.code == "employment_not_verified"
    assert not TrainingSubsidyClaim.objects.exists()


def test_person_cannot_claim_twice_for_same_occupation_and_level(occupations, caseworker, supervisor):
    first = walk_to(make_enrollment(make_program(occupations), caseworker), "paid", supervisor, caseworker)
    again = make_enrollment(make_program(occupations, name="家政服务员初级班（二期）"), caseworker, person=first.person)
    again = walk_to(again, "employment_verified", supervisor, caseworker)
    with pytest.raises(ConflictError) as error:
        services.enrollment_transition(enrollment=again, action="claim_subsidy", user=caseworker)
    assert error.value.code == "subsidy_already_claimed"
    assert "不能重复申领" in error.value.message
    again.refresh_from_db()
    assert again.status == "employment_verified"


def test_same_person_other_level_may_claim(occupations, caseworker, supervisor):
    first = walk_to(make_enrollment(make_program(occupations), caseworker), "paid", supervisor, caseworker)
    higher = make_enrollment(make_program(occupations, target_level="intermediate"), caseworker, person=first.person)
    higher = walk_to(higher, "subsidy_claimed", supervisor, caseworker)
    assert higher.claims.get().level == "intermediate"


def test_database_refuses_a_second_claim_too(occupations, caseworker, supervisor):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "subsidy_claimed", supervisor,
                         caseworker)
    claim = enrollment.claims.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingSubsidyClaim.objects.create(enrollment=enrollment, person=claim.person, occupation=claim.occupation,
                                    level=claim.level, kind=claim.kind, amount=Decimal("1.00"), explanation={},
                                    claimed_by=caseworker)


def test_rejected_claim_frees_the_slot(occupations, caseworker, supervisor):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "subsidy_claimed", supervisor,
                         caseworker)
    enrollment = services.enrollment_transition(enrollment=enrollment, action="reject", user=supervisor)
    assert enrollment.status == "employment_verified"
    assert enrollment.claims.get().status == "rejected"
    enrollment = services.enrollment_transition(enrollment=enrollment, action="claim_subsidy", user=caseworker)
    assert enrollment.claims.filter(status="claimed").count() == 1


def test_paid_claim_records_the_decisions(occupations, caseworker, supervisor):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "paid", supervisor, caseworker)
    claim = enrollment.claims.get()
    assert claim.status == "paid" and claim.approved_by == supervisor and claim.paid_at is not None
    assert claim.reviewed_by == first_reviewer() and claim.reviewed_at is not None and claim.publicity_ends_on


def test_program_outside_the_parameter_table_is_not_subsidised(occupations, caseworker, supervisor):
    program = make_program(occupations, subsidy_key="not_in_table")
    enrollment = walk_to(make_enrollment(program, caseworker), "employment_verified", supervisor, caseworker)
    with pytest.raises(ApplicationError) as error:
        services.enrollment_transition(enrollment=enrollment, action="claim_subsidy", user=caseworker)
    assert error.value.code == "not_subsidised"
    assert "未列入补贴目录" in error.value.message


def test_assessment_subsidy_after_a_certificate(occupations, caseworker, supervisor):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "assessed", caseworker)
    certificate = enrollment.certificates.get()
    claim = services.subsidy_claim_create(enrollment=enrollment, user=caseworker, kind="assessment",
                                          certificate=certificate)
    assert claim.amount == _table_amount("training.assessment_subsidy_per_level", "junior")
    with pytest.raises(ConflictError):
        services.subsidy_claim_create(enrollment=enrollment, user=caseworker, kind="assessment",
                                      certificate=certificate)
    services.claim_decide(claim=publicized(claim), user=supervisor, decision="approve")
    assert services.claim_decide(claim=claim, user=supervisor, decision="pay").status == "paid"


def test_operating_licence_pays_no_assessment_subsidy(occupations, caseworker):
    program = make_program(occupations, occupation="ELE-01", dual_certificate=True, subsidy_key="low_voltage_electrician",
                           second_certificate_name="低压电工特种作业操作证", second_certificate_issuer="应急管理部门")
    enrollment = walk_to(make_enrollment(program, caseworker), "assessed", caseworker)
    licence = services.certificate_add(enrollment=enrollment, user=caseworker, data={
        "kind": Certificate.Kind.OPERATING_LICENCE, "number": "T2201001", "issued_on": "2026-05-20",
        "issuer": "吉林省应急管理厅"})
    with pytest.raises(ApplicationError) as error:
        services.subsidy_claim_create(enrollment=enrollment, user=caseworker, kind="assessment", certificate=licence)
    assert error.value.code == "no_certificate"


def test_licence_only_on_dual_certificate_programs(occupations, caseworker):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "assessed", caseworker)
    with pytest.raises(ApplicationError) as error:
        services.certificate_add(enrollment=enrollment, user=caseworker, data={
            "kind": "operating_licence", "number": "T1", "issued_on": "2026-05-20", "issuer": "应急管理厅"})
    assert "kind" in error.value.fields


def test_program_amount_is_a_new_parameter_version(occupations):
    from datetime import date

    row = services.program_subsidy_amount_set(subsidy_key="forklift", name="叉车司机培训", amount=Decimal("900.00"),
                                              valid_from=date(2026, 7, 1), region_code="220000",
                                              source_title="测试文件")
    assert row.value["forklift"]["amount"] == "900.00"
    assert "domestic_service" in row.value  # other programs carried over
    old = PolicyParameter.objects.get(key="training.subsidy_per_program", region_id="220000",
                                      valid_from=date(2025, 1, 1))
    assert old.valid_to == date(2026, 6, 30)


def test_claim_decisions_are_a_lifecycle_with_stable_codes(occupations, caseworker, supervisor):
    """publish / approve / reject / pay on an assessment claim: reviewers only, in order, unknown decisions
    refused."""
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "assessed", supervisor, caseworker)
    claim = services.subsidy_claim_create(enrollment=enrollment, user=caseworker, kind="assessment",
                                          certificate=enrollment.certificates.get())
    with pytest.raises(ApplicationError) as error:
        services.claim_decide(claim=claim, user=caseworker, decision="approve")
    assert (error.value.code, error.value.status_code) == ("reviewer_required", 403)
    with pytest.raises(ApplicationError) as error:
        services.claim_decide(claim=claim, user=supervisor, decision="teleport")
    assert error.value.code == "unknown_action"
    with pytest.raises(ConflictError) as error:
        services.claim_decide(claim=claim, user=supervisor, decision="pay")
    assert error.value.code == "transition_not_allowed" and "已申领" in error.value.message
    with pytest.raises(ConflictError) as error:  # 复核 only after 初审 and 公示
        services.claim_decide(claim=claim, user=supervisor, decision="approve")
    assert error.value.code == "claim_not_publicized" and "已申领" in error.value.message
    claim.refresh_from_db()
    assert claim.status == "claimed" and claim.approved_by is None
    published = services.claim_decide(claim=claim, user=supervisor, decision="publish")
    assert (published.status, published.reviewed_by) == ("publicizing", supervisor)
    assert published.history.first().history_change_reason == "初审通过并公示"
    published.refresh_from_db()
    approved = services.claim_decide(claim=published, user=first_reviewer(), decision="approve",
                                     today=published.publicity_ends_on + timedelta(days=1))
    assert (approved.status, approved.approved_by) == ("approved", first_reviewer()) and approved.approved_at
    assert approved.history.first().history_change_reason == "复核通过"
