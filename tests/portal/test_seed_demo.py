import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.applicants.models import Person
from apps.core.validators import validate_id_number, validate_uscc
from apps.employers.models import Contribution, Employer

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_valid():
    call_command("seed_demo")
    counts = (User.objects.count(), Person.objects.count(), Employer.objects.count(), Contribution.objects.count())
    call_command("seed_demo")
    assert counts == (User.objects.count(), Person.objects.count(), Employer.objects.count(),
                      Contribution.objects.count())
    assert set(User.objects.values_list("role", flat=True)) == {"caseworker", "supervisor", "administrator",
                                                                 "integration", "auditor"}
    for person in Person.objects.all()[:50]:
        validate_id_number(person.id_number)
        assert person.birth_date.strftime("%Y%m%d") == person.id_number[6:14]
    for employer in Employer.objects.all()[:50]:
        validate_uscc(employer.uscc)
    assert Person.objects.filter(region__code__startswith="2201").exists()
    assert Person.objects.exclude(region__code__startswith="2201").exists()


def test_every_decision_of_the_demo_recomputes_to_what_was_stored(capsys):
    """Issue 12: decisions_verify passes on the demo data (it once found the demo's uncertified 民办 claim parts
    recomputed as certified, because the certification fact was not among the stored inputs)."""
    call_command("seed_demo")
    capsys.readouterr()
    call_command("decisions_verify", "--in-process")
    out = capsys.readouterr().out
    assert "不一致 0 项" in out and "MISMATCH" not in out
    assert "托育补助申报 0 项" not in out  # the demo's claims were checked, not skipped


def test_the_seeded_province_run_can_be_approved_by_a_demo_account(django_capture_on_commit_callbacks):
    """Issue 15: `admin` starts the demo's province run, so four eyes need another province-level reviewer;
    without one nobody could walk the approval in `make run`."""
    from apps.refunds.models import RefundRun
    from apps.refunds.services.runs import run_approve
    from tests.refund_review import publicize

    with django_capture_on_commit_callbacks(execute=True):  # the run is computed when its start commits
        call_command("seed_demo")
    run = RefundRun.objects.get(region_id="220000", is_official=True)
    assert run.status == RefundRun.Status.COMPUTED
    publicize(run)  # 初审 and 公示 by another reviewer, window passed: the 复核 is supervisor_jl's
    approved = run_approve(run_id=run.pk, user=User.objects.get(username="supervisor_jl"), comment="演示审核")
    assert approved.status == RefundRun.Status.APPROVED
