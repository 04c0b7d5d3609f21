"""A run over the hand-checked data set: one row per employer, the expected decisions, reconciliation,
idempotent chunks with constant query counts, the official-run rule, approval and freezing."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.core.exceptions import ApplicationError
from apps.refunds.explain import result_explain
from apps.refunds.models import RefundChunk, RefundResult, RefundRun
from apps.refunds.selectors import official_run_for, run_diff, run_summary
from apps.refunds.services import chunk_compute, run_approve, run_finalize, run_reject
from tests.factories import UserFactory
from tests.refund_review import approve, publicize
from tests.refunds.conftest import CASES, EXPECTED_ELIGIBLE, EXPECTED_TOTAL, YEAR

pytestmark = pytest.mark.django_db


def test_hand_checked_run_gives_every_expected_row(dataset, caseworker, run_now):
    run = run_now(user=caseworker, region_code="220102", chunk_size=7)
    assert run.status == RefundRun.Status.COMPUTED, run.failure
    rows = {r.employer_id: r for r in RefundResult.objects.filter(run=run)}
    assert len(rows) == len(CASES) == run.employers_expected == run.rows_written
    for case in CASES:
        row = rows[dataset[case.key].pk]
        assert row.decision == case.decision, case.key
        assert row.reasons == case.reasons, case.key
        assert row.size_class == case.size_class, case.key
        assert row.rate == (Decimal(case.rate) if case.rate else None), case.key
        assert row.contributions_paid == Decimal(case.contributions_paid), case.key
        assert row.amount == Decimal(case.amount), case.key
        assert row.months_paid_in_full == case.months, case.key
    assert run.eligible_count == EXPECTED_ELIGIBLE
    assert run.total_amount == EXPECTED_TOTAL


def test_every_reason_code_and_the_summary(dataset, caseworker, run_now):
    run = run_now(user=caseworker, region_code="220102")
    summary = run_summary(run=run)
    counts = {r["code"]: r["count"] for r in summary["by_reason"]}
    assert counts == {"insufficient_months": 4, "arrears": 3, "layoff_rate_exceeded": 5, "serious_dishonesty": 2,
                      "entity_type_not_covered": 1}
    assert summary["amount"] == EXPECTED_TOTAL and summary["eligible"] == EXPECTED_ELIGIBLE


def test_a_city_run_covers_its_districts_only(dataset, supervisor, run_now):
    run = run_now(user=supervisor, region_code="220100")
    assert run.employers_expected == len(CASES)
    assert not RefundResult.objects.filter(run=run, employer=dataset["other_city"]).exists()


def test_rows_keep_parameter_versions_and_the_explanation_is_regenerated_identically(dataset, caseworker,
                                                                                      run_now):
    run = run_now(user=caseworker, region_code="220102")
    row = RefundResult.objects.get(run=run, employer=dataset["law_firm_large"])
    assert str(run.parameter_versions["stable_job_refund.sme_rate"]) in row.parameter_versions.split(",")
    explanation = result_explain(row)
    assert explanation.refund.amount == row.amount == Decimal("7200.00")
    assert [s.label for s in explanation.refund.steps][-1] == "返还金额"


def test_rerunning_a_done_or_a_half_done_chunk_writes_no_duplicates_and_the_same_amounts(dataset, caseworker,
                                                                                         run_now):
    run = run_now(user=caseworker, region_code="220102", chunk_size=5)
    before = sorted(RefundResult.objects.filter(run=run).values_list("employer_id", "amount"))
    chunk = run.chunks.order_by("lo_id").first()
    assert chunk_compute(chunk_id=chunk.pk) is False  # redelivered after success: a no-op
    # A chunk whose worker died after writing is "running" again: it is redone, not duplicated.
    RefundRun.objects.filter(pk=run.pk).update(status=RefundRun.Status.COMPUTING)
    RefundChunk.objects.filter(pk=chunk.pk).update(status=RefundChunk.Status.RUNNING)
    assert chunk_compute(chunk_id=chunk.pk) is True
    after = sorted(RefundResult.objects.filter(run=run).values_list("employer_id", "amount"))
    assert after == before
    assert RefundRun.objects.get(pk=run.pk).status == RefundRun.Status.COMPUTED


def test_a_chunk_runs_a_fixed_number_of_queries_whatever_its_size(dataset, caseworker, run_now):
    """No per-employer query in the hot path: 3 employers or 20, the same handful of statements."""
    run = run_now(user=caseworker, region_code="220102", chunk_size=3)
    counts = []
    small = run.chunks.order_by("lo_id").first()
    big_run = run_now(user=caseworker, region_code="220102", chunk_size=20, dry_run=True)
    big = big_run.chunks.order_by("lo_id").first()
    for target, owner in ((small, run), (big, big_run)):
        RefundRun.objects.filter(pk=owner.pk).update(status=RefundRun.Status.COMPUTING)
        RefundChunk.objects.filter(pk=target.pk).update(status=RefundChunk.Status.PENDING)
        with CaptureQueriesContext(connection) as captured:
            chunk_compute(chunk_id=target.pk)
        counts.append(len(captured))
    # 9 for the chunk itself (mark running, lock, delete, facts, write, mark done…) + 7 to finalize the run.
    assert counts[0] == counts[1] <= 16, counts


def test_reconciliation_refuses_computed_when_rows_are_missing(dataset, caseworker, run_now):
    run = run_now(user=caseworker, region_code="220102")
    RefundRun.objects.filter(pk=run.pk).update(status=RefundRun.Status.COMPUTING)
    RefundResult.objects.filter(run=run, employer=dataset["baseline"]).delete()
    run = run_finalize(run_id=run.pk)
    assert run.status == RefundRun.Status.FAILED
    assert "应计算" in run.failure


def test_second_official_run_is_a_conflict_unless_the_first_was_rejected(dataset, caseworker, supervisor,
                                                                         run_now):
    first = run_now(user=caseworker, region_code="220102")
    with pytest.raises(ApplicationError) as error:
        run_now(user=caseworker, region_code="220102")
    assert error.value.code == "run_exists" and error.value.status_code == 409
    with pytest.raises(ApplicationError):  # a city run would pay the district twice
        run_now(user=supervisor, region_code="220100")
    run_now(user=caseworker, region_code="220102", dry_run=True)  # what-if runs are not limited
    run_reject(run_id=first.pk, user=supervisor, comment="数据有误，重新计算")
    second = run_now(user=caseworker, region_code="220102")
    assert second.status == RefundRun.Status.COMPUTED


def test_the_database_itself_allows_one_official_run_per_year_and_region(caseworker):
    RefundRun.objects.create(year=YEAR, region_id="220102", started_by=caseworker, chunk_size=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        RefundRun.objects.create(year=YEAR, region_id="220102", started_by=caseworker, chunk_size=10)
    RefundRun.objects.create(year=YEAR, region_id="220102", started_by=caseworker, chunk_size=10, is_official=False)


def test_a_run_outside_the_users_region_is_refused(caseworker):
    with pytest.raises(ApplicationError) as error:
        from apps.refunds.services import run_start

        run_start(user=caseworker, year=YEAR, region_code="220204")
    assert error.value.code == "region_out_of_scope" and error.value.status_code == 403


def test_approval_needs_a_supervisor_who_did_not_start_the_run(dataset, supervisor, caseworker, run_now):
    run = publicize(run_now(user=supervisor, region_code="220102"))
    with pytest.raises(ApplicationError) as error:
        run_approve(run_id=run.pk, user=supervisor)
    assert error.value.code == "four_eyes" and error.value.status_code == 403
    with pytest.raises(ApplicationError) as error:
        run_approve(run_id=run.pk, user=caseworker)
    assert (error.value.code, error.value.status_code) == ("reviewer_required", 403)
    other = UserFactory(username="sup2", role="supervisor", region_id="220100")
    run = run_approve(run_id=run.pk, user=other, comment="同意")
    assert run.status == RefundRun.Status.APPROVED and run.decided_by == other
    assert [h.status for h in run.history.order_by("history_date")] == [
        "created", "computing", "computed", "first_reviewed", "publicizing", "approved"]


def test_an_approved_run_is_frozen(dataset, supervisor, caseworker, run_now):
    run = approve(run_now(user=caseworker, region_code="220102"), approver=supervisor)
    chunk = run.chunks.first()
    RefundChunk.objects.filter(pk=chunk.pk).update(status=RefundChunk.Status.PENDING)
    assert chunk_compute(chunk_id=chunk.pk) is False  # services refuse to write into an approved run
    with pytest.raises(ApplicationError):
        run_reject(run_id=run.pk, user=supervisor, comment="改主意")
    if connection.vendor == "postgresql":  # and the database refuses any change to its rows
        with pytest.raises(IntegrityError), transaction.atomic():
            RefundResult.objects.filter(run=run).update(amount=0)


def test_what_if_run_overrides_a_rate_and_is_diffed_against_the_official_run(dataset, caseworker, run_now):
    official = run_now(user=caseworker, region_code="220102")
    what_if = run_now(user=caseworker, region_code="220102", dry_run=True,
                      overrides={"stable_job_refund.sme_rate": "70",
                                 "stable_job_refund.small_employer_max_layoff_rate": "25"})
    assert what_if.parameter_versions["stable_job_refund.sme_rate"].startswith("override:")
    assert official_run_for(what_if) == official
    diff = run_diff(run=what_if, base=official)
    # 25% lets the 30→23 employer (23.3%) through; the 3→2 individual business (33%) still fails.
    assert diff["changes"]["newly_eligible"]["count"] == 1
    assert diff["changes"]["no_longer_eligible"]["count"] == 0
    sme_rows = [c for c in CASES if c.decision == "eligible" and c.rate == "60.00"]
    assert diff["changes"]["amount_changed"]["count"] == len(sme_rows)
    newly = Decimal("12000.00") * Decimal("0.70")
    assert diff["cost_change"] == sum(Decimal(c.amount) / 6 for c in sme_rows) + newly
    assert diff["new_total"] == what_if.total_amount


def test_overrides_are_for_dry_runs_only(dataset, caseworker, run_now):
    with pytest.raises(ApplicationError) as error:
        run_now(user=caseworker, region_code="220102", overrides={"stable_job_refund.sme_rate": "70"})
    assert error.value.code == "overrides_need_dry_run"


def test_a_region_without_employers_computes_an_empty_run(caseworker, run_now):
    run = run_now(user=caseworker, region_code="220102")
    assert (run.status, run.employers_expected, run.rows_written) == (RefundRun.Status.COMPUTED, 0, 0)
