"""Fault 1 of issue 12, the proof: the same refund, childcare-claim and training-claim fixtures give
byte-identical exports on every database.

A fixed, deterministic fixture (a generated population of ordinary employers, childcare institutions with
children enrolled, trainees walked to a paid subsidy) goes through the real services — a refund run, claim
computation and approval — and the real CSV exports. The bytes are compared with golden files committed
under tests/decisions/golden/. CI runs the suite on SQLite and on PostgreSQL, so both databases are held
to the same bytes.

Normalised (run-time values, not decisions), and only these:
* refunds: `parameter_versions` holds PolicyParameter row ids, which depend on the database's sequences;
  each id is replaced by the version's key and valid_from date.
* childcare: `审核时间` is the approval's wall-clock time; replaced by "<审核时间>".
Everything else — names, codes, every amount and fact — is compared as exported.

Regenerate (after a conscious change of a decision): UPDATE_GOLDEN=1 pytest tests/decisions/test_golden_exports.py
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from apps.accounts.models import User
from apps.childcare.disbursement_export import disbursement_response
from apps.childcare.models import Institution, OperatingSubsidyClaim
from apps.childcare.services import claims as childcare_claims
from apps.core.demo import make_uscc
from apps.core.exports import csv_bytes
from apps.eligibility.models import PolicyParameter
from apps.refunds import exports as refund_exports
from apps.training.indicators import export_table, indicator_rows
from apps.training.models import Enrollment
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory, publicized
from tests.decisions.population import YEAR, build_population
from tests.factories import UserFactory
from tests.training.conftest import make_enrollment, make_program, walk_to

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture
def people(db):
    caseworker = UserFactory(username="golden_caseworker", last_name="金", first_name="经办", role=User.Role.CASEWORKER,
                             region_id="220102")
    reviewer = UserFactory(username="golden_reviewer", last_name="金", first_name="审核", role=User.Role.SUPERVISOR,
                           region_id="220100", is_staff=True)
    return caseworker, reviewer


def _check(name: str, content: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
    assert path.exists(), f"no golden file {path}: run with UPDATE_GOLDEN=1 once, review it, commit it"
    expected = path.read_bytes()
    if content != expected:
        got, want = content.decode().splitlines(), expected.decode().splitlines()
        differing = [(n, g, w) for n, (g, w) in enumerate(zip(got, want, strict=False)) if g != w]
        pytest.fail(f"{name}: {len(differing)} of {len(want)} lines differ (and {len(got)} vs {len(want)} lines); "
                    f"first: {differing[:3]}")


def _version_label(pk: str, labels: dict[int, str]) -> str:
    override = pk.startswith("o")
    label = labels[int(pk.removeprefix("o"))]
    return f"override:{label}" if override else label


def _normalise_refund_csv(content: bytes) -> bytes:
    labels = {p.pk: f"{p.key}@{p.valid_from}" for p in PolicyParameter.objects.all()}
    rows = list(csv.reader(io.StringIO(content.decode())))
    column = rows[0].index("parameter_versions")
    for row in rows[1:]:
        row[column] = ",".join(_version_label(pk, labels) for pk in row[column].split(",") if pk)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def test_refund_run_export_is_the_golden_file(people, run_now):
    caseworker, _ = people
    build_population(120)
    run = run_now(user=caseworker, year=YEAR, region_code="220102")
    assert run.status == run.Status.COMPUTED, run.failure
    content = "".join(refund_exports.csv_lines(run)).encode()
    _check("refund_run.csv", _normalise_refund_csv(content))


def _institution(n: int) -> Institution:
    # 民办普惠 with a certificate: the category whose subsidy no other fault of issue 12 changes.
    return InstitutionFactory(name=f"金样托育园{n:02d}", uscc=make_uscc("220102", 7_100_000 + n, "52"),
                              region_id=("220102", "220104", "220183", "220204")[n % 4],
                              category=Institution.Category.PRIVATE_INCLUSIVE,
                              inclusive_certified_from=date(2024, 1, 1))


def test_childcare_disbursement_export_is_the_golden_file(people, django_capture_on_commit_callbacks):
    caseworker, reviewer = people
    claims = []
    for n in range(12):
        institution = _institution(n)
        for child in range(n % 5 + 1):
            months = (n * 7 + child * 5) % 12 + 1
            end = None if months == 12 else date(2025, months + 1, 1) - timedelta(days=1)
            EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1), end_date=end)
        claim = childcare_claims.claim_compute(institution=institution, year=2025, user=caseworker)
        claim = childcare_claims.claim_submit(claim=claim, user=caseworker)
        claims.append(childcare_claims.claim_approve(claim=publicized(claim), user=reviewer, comment="金样"))
    approved = list(OperatingSubsidyClaim.objects.filter(pk__in=[c.pk for c in claims])
                    .select_related("institution__region", "reviewed_by").order_by("institution__uscc"))
    response = disbursement_response(approved, "csv", 2025)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = rows[0].index("审核时间")
    for row in rows[1:-1]:  # the last line is the total
        row[column] = "<审核时间>"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    _check("childcare_disbursement.csv", out.getvalue().encode("utf-8-sig"))  # the export's byte-order mark kept


def test_training_subsidy_export_is_the_golden_file(people, occupations):
    caseworker, reviewer = people
    programs = [make_program(occupations, name="金样家政班"),
                make_program(occupations, name="金样养老班", occupation="ELD-01", subsidy_key="elderly_care")]
    for n in range(9):
        enrollment = make_enrollment(programs[n % 2], caseworker)
        walk_to(enrollment, ("paid", "employment_verified", "assessed", "paid")[n % 4], reviewer, caseworker)
        # ordinary wages with fen: the average is a sum of money divided by a count
        Enrollment.objects.filter(pk=enrollment.pk, monthly_wage__isnull=False).update(
            monthly_wage=Decimal("3000.01") + Decimal(n * n * 51737).scaleb(-2))
    rows, total = indicator_rows(user=reviewer, dimension="program")
    _check("training_indicators.csv", csv_bytes(export_table(rows, total, "program"), bom=False))
