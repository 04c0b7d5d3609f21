"""Admin goes through the services; the batch task on a real worker; the demo seed is idempotent."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.childcare.models import ClaimRun, Enrollment, Institution, OperatingSubsidyClaim
from apps.childcare.services import claim_runs, claims
from apps.core.validators import validate_id_number, validate_uscc
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory
from tests.factories import UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, role="administrator", region_id="220000")


@pytest.mark.django_db
def test_admin_pages_load(client_for, superuser):
    enrollment = EnrollmentFactory()
    claim = claims.claim_compute(institution=enrollment.institution, year=2025, user=superuser)
    client = client_for(superuser)
    for name in ["institution", "staffmember", "inspection", "finding", "enrollment", "attendance", "operatingsubsidyclaim",
                 "claimrun"]:
        assert client.get(reverse(f"admin:childcare_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:childcare_institution_change", args=[enrollment.institution_id])).status_code == 200
    assert client.get(reverse("admin:childcare_operatingsubsidyclaim_change", args=[claim.pk])).status_code == 200


@pytest.mark.django_db
def test_admin_enrollment_save_refuses_overlap_through_the_service(client_for, superuser):
    existing = EnrollmentFactory(start_date=date(2025, 1, 1))
    other = InstitutionFactory()
    response = client_for(superuser).post(reverse("admin:childcare_enrollment_add"), {
        "child": existing.child_id, "institution": other.pk, "age_group": "toddler", "start_date": "2025-05-01",
        "guardians-TOTAL_FORMS": 0, "guardians-INITIAL_FORMS": 0}, follow=True)
    assert "只能在一家机构在托" in response.content.decode()
    assert Enrollment.objects.count() == 1


@pytest.mark.django_db
def test_admin_claim_actions_use_the_workflow(client_for, superuser, caseworker):
    place = InstitutionFactory()
    claim = claims.claim_submit(claim=claims.claim_compute(institution=place, year=2025, user=caseworker),
                                user=caseworker)
    # 初审 → 公示 → 复核 (the approve now needs the published claim past its window, by a second reviewer)
    client_for(superuser).post(reverse("admin:childcare_operatingsubsidyclaim_changelist"),
                               {"action": "publish", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.status == OperatingSubsidyClaim.Status.PUBLICIZING and claim.first_reviewed_by == superuser
    client_for(superuser).post(reverse("admin:childcare_operatingsubsidyclaim_changelist"),
                               {"action": "approve", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.status == OperatingSubsidyClaim.Status.PUBLICIZING  # the first reviewer may not 复核 too
    # another first reviewer, and the window passed: the superuser's 复核 goes through
    OperatingSubsidyClaim.objects.filter(pk=claim.pk).update(
        first_reviewed_by=UserFactory(username="first", role="administrator", region_id="220000"),
        publicity_ends_on=date(2000, 1, 1))
    client_for(superuser).post(reverse("admin:childcare_operatingsubsidyclaim_changelist"),
                               {"action": "approve", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.status == OperatingSubsidyClaim.Status.APPROVED


@pytest.mark.django_db
def test_run_is_idempotent_and_skips_frozen_claims(supervisor, caseworker):
    first = InstitutionFactory(region_id="220102")
    second = InstitutionFactory(region_id="220104")
    for place in (first, second):
        EnrollmentFactory(institution=place, start_date=date(2025, 1, 1))
    claims.claim_submit(claim=claims.claim_compute(institution=first, year=2025, user=caseworker), user=caseworker)
    run = ClaimRun.objects.create(year=2025, region_id="220100", created_by=supervisor)
    run = claim_runs.claim_run_execute(run_id=run.pk)
    assert (run.status, run.total, run.computed, run.skipped) == ("done", 2, 1, 1)
    assert claim_runs.claim_run_execute(run_id=run.pk).computed == 1  # a finished run is not redone
    assert OperatingSubsidyClaim.objects.count() == 2


@pytest.mark.celery_worker
def test_compute_all_runs_on_a_real_worker(celery_worker_process, supervisor):
    from tests.childcare.conftest import ensure_childcare_parameters

    ensure_childcare_parameters()
    for region in ("220102", "220103", "220104"):
        EnrollmentFactory(institution=InstitutionFactory(region_id=region), start_date=date(2025, 3, 1))
    run = claim_runs.claim_run_start(user=supervisor, year=2025)  # autocommit: on_commit sends at once
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (ClaimRun.Status.DONE, ClaimRun.Status.FAILED):
            break
        time.sleep(0.5)
    assert run.status == ClaimRun.Status.DONE, run.message
    assert (run.total, run.computed) == (3, 3)
    assert sorted(OperatingSubsidyClaim.objects.values_list("child_months", flat=True)) == [10, 10, 10]


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_valid():
    call_command("seed_demo")
    counts = (Institution.objects.count(), Enrollment.objects.count(), OperatingSubsidyClaim.objects.count())
    call_command("seed_demo")
    assert counts == (Institution.objects.count(), Enrollment.objects.count(), OperatingSubsidyClaim.objects.count())
    assert counts[0] >= 10 and counts[1] > 100
    for institution in Institution.objects.all():
        validate_uscc(institution.uscc)
    for enrollment in Enrollment.objects.select_related("child")[:50]:
        validate_id_number(enrollment.child.id_number)
    assert OperatingSubsidyClaim.objects.filter(status="approved").exists()
    assert Institution.objects.filter(region__code__startswith="2202").exists()


@pytest.mark.django_db
def test_demo_public_institution_is_paid_for_its_uncertified_months():
    """Issue 12, fault 3: the demo's 南关区自由大路社区嵌入式托育点 (自收自支类公办, certificate from 2025-04-01)
    lost its January–March child-months (30) to the 普惠 gate; a 公办 institution needs no certification."""
    call_command("seed_demo")
    claim = OperatingSubsidyClaim.objects.get(institution__name="南关区自由大路社区嵌入式托育点", year=2025)
    paid = sum(part["data"]["child_months"] for part in claim.explanation if Decimal(part["amount"]) > 0)
    assert (claim.child_months, paid) == (158, 158)  # 128 before the fix: 30 child-months lost
    assert claim.amount == Decimal("47400.00")  # 3,600 × 158 ÷ 12 (38,400.00 before)
    for claim in OperatingSubsidyClaim.objects.exclude(institution__category__in=["private_inclusive", "other"]):
        paid = sum(part["data"]["child_months"] for part in claim.explanation if Decimal(part["amount"]) > 0)
        assert paid == claim.child_months, claim.institution.name
