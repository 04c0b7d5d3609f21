"""decisions_verify: every stored decision recomputed from its stored inputs and versions.

Clean data passes (exit 0); a tampered amount (queryset.update) and a tampered parameter version (its value
changed in place with queryset.update) are caught — exit 1, and the mismatch line names the record.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from apps.childcare.models import OperatingSubsidyClaim
from apps.childcare.services import claims as childcare_claims
from apps.eligibility.fingerprints import FingerprintTemplate, fingerprint
from apps.eligibility.models import Determination, PolicyParameter, VerificationRun
from apps.eligibility.services import determination_create
from apps.eligibility.verification import VERIFIERS
from apps.refunds.fingerprints import facts_document, facts_json
from apps.refunds.models import RefundResult
from apps.training.models import TrainingSubsidyClaim
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory
from tests.conftest import login_verified
from tests.eligibility.tamper import tamper_parameters
from tests.refunds.conftest import CASES, build_case
from tests.refunds.conftest import run_now as run_now  # noqa: F401 — fixtures of other apps' tests
from tests.training.conftest import make_enrollment, make_program, walk_to
from tests.training.conftest import occupations as occupations  # noqa: F401

pytestmark = pytest.mark.django_db

REFUND = {"facts_year": 2024, "entity_type": "enterprise", "size_class": "small", "months_paid_in_full": 12,
          "has_arrears": False, "serious_dishonesty": False, "headcount_start": 50, "headcount_end": 48,
          "contributions_paid": "12000.00"}


@pytest.fixture
def decisions(request, caseworker, supervisor):
    """One stored decision of every kind (several refund rows)."""
    occupations, run_now = request.getfixturevalue("occupations"), request.getfixturevalue("run_now")
    for case in CASES[:6]:
        build_case(case)
    run = run_now(user=supervisor)
    determination = determination_create(user=caseworker, calculator="stable-job-refund", facts=REFUND)
    institution = InstitutionFactory(region_id="220102")
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1), end_date=None)
    childcare = childcare_claims.claim_compute(institution=institution, year=2025, user=caseworker)
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "subsidy_claimed", supervisor,
                         caseworker)
    return {"run": run, "determination": determination, "childcare": childcare, "training": enrollment.claims.get()}


def verify(capsys, *args) -> tuple[int, str]:
    code = 0
    try:
        call_command("decisions_verify", *args)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().out


def test_every_kind_is_registered():
    assert set(VERIFIERS) == {"determination", "refund", "childcare_claim", "training_claim"}


def test_clean_data_passes(decisions, capsys):
    code, out = verify(capsys)
    assert code == 0, out
    assert "MISMATCH" not in out
    run = VerificationRun.objects.get()
    assert run.status == VerificationRun.Status.PASSED and run.mismatches == 0 and run.unverifiable == 0
    assert run.by_kind["refund"]["checked"] == RefundResult.objects.count() == 6
    assert {kind: figures["checked"] for kind, figures in run.by_kind.items() if kind != "refund"} == {
        "determination": 1, "childcare_claim": 1, "training_claim": 1}
    assert f"共 {run.checked} 项，不一致 0 项" in out


def test_every_decision_stores_a_fingerprint(decisions):
    assert len(decisions["determination"].fingerprint) == 64 and decisions["determination"].calculator_version
    assert len(decisions["childcare"].fingerprint) == 64 and decisions["childcare"].inputs
    assert len(decisions["training"].fingerprint) == 64 and decisions["training"].inputs
    assert all(len(f) == 64 for f in RefundResult.objects.values_list("fingerprint", flat=True))


@pytest.mark.parametrize("kind", ["refund", "determination", "childcare_claim", "training_claim"])
def test_a_tampered_amount_is_caught_and_named(decisions, capsys, kind):
    if kind == "refund":
        row = RefundResult.objects.filter(eligible=True).first()
        RefundResult.objects.filter(pk=row.pk).update(amount=row.amount + Decimal("0.01"))
        name = f"稳岗返还结果 #{row.pk}（批次 {row.run_id}，单位 {row.employer_id}）"
    elif kind == "determination":
        pk = decisions["determination"].pk
        Determination.objects.filter(pk=pk).update(amount=Decimal("99999.00"))
        name = f"测算决定 #{pk}"
    elif kind == "childcare_claim":
        pk = decisions["childcare"].pk
        OperatingSubsidyClaim.objects.filter(pk=pk).update(amount=Decimal("1.00"))
        name = f"托育补助申报 #{pk}"
    else:
        pk = decisions["training"].pk
        TrainingSubsidyClaim.objects.filter(pk=pk).update(amount=Decimal("1.00"))
        name = f"培训补贴申领 #{pk}"
    code, out = verify(capsys, "--kind", kind)
    assert code == 1
    [line] = [line for line in out.splitlines() if line.startswith("MISMATCH")]
    assert f"MISMATCH {kind} {name}" in line and "金额" in line
    assert VerificationRun.objects.get().mismatches == 1


def test_a_tampered_refund_fact_is_caught_by_the_fingerprint(decisions, capsys):
    # contributions_paid of an ineligible row: the decision does not move, the fingerprint does.
    row = RefundResult.objects.filter(eligible=False).first()
    RefundResult.objects.filter(pk=row.pk).update(contributions_paid=row.contributions_paid + 1)
    code, out = verify(capsys, "--kind", "refund")
    assert code == 1 and f"稳岗返还结果 #{row.pk}" in out and "输入指纹不符" in out


@pytest.mark.parametrize(("key", "kind"), [
    ("stable_job_refund.sme_rate", "refund"),
    ("childcare_operating.annual_rate_table", "childcare_claim"),
    ("training.subsidy_per_program", "training_claim"),
])
def test_a_tampered_parameter_version_is_caught(decisions, capsys, key, kind):
    versions = {"refund": lambda: [int(v) for v in decisions["run"].parameter_versions.values()],
                "childcare_claim": lambda: list(decisions["childcare"].parameter_versions.values()),
                "training_claim": lambda: [p["version"] for p in decisions["training"].parameter_versions]}[kind]()
    version = PolicyParameter.objects.get(pk__in=versions, key=key)
    value = version.value
    if isinstance(value, dict):  # a table: change one figure in it
        entry = next(iter(value))
        first = next(k for k, v in value[entry].items() if isinstance(v, str) and v.replace(".", "").isdigit())
        value[entry][first] = str(Decimal(value[entry][first]) + 1)
    else:
        value = str(Decimal(value) + 1)
    with tamper_parameters():  # past the frozen-version guard, as direct SQL access would
        PolicyParameter.objects.filter(pk=version.pk).update(value=value)
    code, out = verify(capsys)
    assert code == 1, out
    assert any(line.startswith(f"MISMATCH {kind} ") and "输入指纹不符" in line for line in out.splitlines())
    assert VerificationRun.objects.get().status == VerificationRun.Status.FAILED


def test_since_and_kind_narrow_the_run(decisions, capsys):
    code, out = verify(capsys, "--kind", "determination", "--since", "2999-01-01")
    assert code == 0 and "共 0 项" in out


def test_fast_refund_facts_json_is_the_canonical_document():
    facts = {"entity_type": "enterprise", "industry": "industry", "employees": None, "revenue_10k": 1234.5,
             "assets_10k": Decimal("10.00"), "months_paid_in_full": 12, "has_arrears": False,
             "serious_dishonesty": True, "headcount_start": 5, "headcount_end": 0, "contributions_paid": Decimal("0")}
    template = FingerprintTemplate(calculator_version="x", parameters={"k": {"version": "1", "value": "2"}})
    assert template.of(facts_json(**facts)) == fingerprint(
        calculator_version="x", facts=facts_document(**facts), parameters={"k": {"version": "1", "value": "2"}})


def test_dashboard_and_admin_show_the_last_run(decisions, capsys, client, supervisor, province_admin):
    verify(capsys)
    login_verified(client, supervisor)  # supervisors sign in with a second factor
    page = client.get("/")
    assert "决定核验不一致" in page.content.decode()
    login_verified(client, province_admin)
    run = VerificationRun.objects.get()
    assert client.get("/admin/eligibility/verificationrun/").status_code == 200
    assert client.get(f"/admin/eligibility/verificationrun/{run.pk}/change/").status_code == 200
