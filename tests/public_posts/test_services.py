"""Services of 公益性岗位: the 就业困难 check, the places, the tenure limit, exits, renewals to retirement, the
monthly run (chunked, idempotent on rerun and resume, four eyes)."""

from datetime import date
from decimal import Decimal

import pytest

from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.models import Region
from apps.core.review import ReviewRefused
from apps.public_posts import services
from apps.public_posts.models import Placement, PublicPost, SubsidyLine, SubsidyRun
from tests.factories import PersonFactory, UserFactory
from tests.public_posts.conftest import difficult_person, make_post

pytestmark = pytest.mark.django_db

START, END = date(2026, 3, 1), date(2027, 2, 28)


def place(post, user, person=None, start=START, end=END, **kwargs):
    return services.placement_create(post=post, person=person or difficult_person(), start_date=start,
                                     agreed_end_date=end, user=user, **kwargs)


def test_post_takes_the_employer_name(post):
    assert post.employer_name == post.employer.name and post.created_by is not None


def test_post_without_employer_needs_a_name(caseworker):
    with pytest.raises(ApplicationError) as error:
        services.post_save(post=PublicPost(name="保洁", post_type="cleaning_greening", region_id="220102", places=1,
                                           start_date=START), user=caseworker)
    assert error.value.code == "employer_required" and "employer_name" in error.value.fields


def test_post_outside_the_region_is_refused(caseworker):
    with pytest.raises(ApplicationError) as error:
        make_post(caseworker, region_id="220204")
    assert error.value.code == "region_out_of_scope"


@pytest.mark.parametrize(
    ("since", "until", "placed"),
    [
        (date(2026, 3, 1), None, True),  # tag from the start day itself
        (date(2025, 1, 1), date(2026, 3, 1), True),  # tag ending on the start day
        (date(2026, 3, 2), None, False),  # tag from the day after
        (date(2025, 1, 1), date(2026, 2, 28), False),  # tag ended the day before
    ],
)
def test_employment_difficulty_must_be_valid_on_the_start_date(post, caseworker, since, until, placed):
    person = difficult_person(since=since, until=until)
    if placed:
        assert place(post, caseworker, person).status == Placement.Status.ACTIVE
        return
    with pytest.raises(ApplicationError) as error:
        place(post, caseworker, person)
    assert error.value.code == "not_employment_difficulty"
    assert "未被认定为就业困难人员" in error.value.message and "person" in error.value.fields


def test_a_person_without_the_tag_is_refused(post, caseworker):
    with pytest.raises(ApplicationError) as error:
        place(post, caseworker, PersonFactory())
    assert error.value.code == "not_employment_difficulty"


def test_places_cannot_be_overfilled_and_an_exit_frees_one(post, caseworker):
    first = place(post, caseworker)
    place(post, caseworker)
    with pytest.raises(ConflictError) as error:
        place(post, caseworker)
    assert error.value.code == "post_full"
    services.placement_exit(placement=first, user=caseworker, exit_date=date(2026, 5, 10), reason="found_job")
    assert place(post, caseworker).status == Placement.Status.ACTIVE


def test_one_active_placement_per_person(caseworker):
    person = difficult_person()
    place(make_post(caseworker), caseworker, person)
    with pytest.raises(ConflictError) as error:
        place(make_post(caseworker), caseworker, person)
    assert error.value.code == "already_placed"


def test_closed_post_takes_no_one(post, caseworker):
    services.post_set_status(post=post, user=caseworker, status=PublicPost.Status.CLOSED)
    with pytest.raises(ConflictError) as error:
        place(post, caseworker)
    assert error.value.code == "post_closed"


@pytest.mark.parametrize(("end", "ok"), [(date(2029, 2, 28), True), (date(2029, 3, 1), False)])
def test_agreed_end_within_the_tenure_limit(post, caseworker, end, ok):
    if ok:
        assert place(post, caseworker, end=end).agreed_end_date == end
        return
    with pytest.raises(ApplicationError) as error:
        place(post, caseworker, end=end)
    assert error.value.code == "tenure_limit_exceeded" and "36 个月" in error.value.message


def test_exit_dates(post, caseworker):
    placement = place(post, caseworker)
    for day in (date(2026, 2, 28), date(2027, 3, 1)):
        with pytest.raises(ApplicationError):
            services.placement_exit(placement=placement, user=caseworker, exit_date=day, reason="resigned")
    done = services.placement_exit(placement=placement, user=caseworker, exit_date=END, reason="term_ended")
    assert done.status == Placement.Status.EXITED and done.exit_date == END
    with pytest.raises(ConflictError):
        services.placement_exit(placement=done, user=caseworker, exit_date=END, reason="term_ended")


def test_renewal_within_the_limit(post, caseworker):
    placement = place(post, caseworker)
    renewed = services.placement_renew(placement=placement, user=caseworker, new_end_date=date(2029, 2, 28))
    assert renewed.agreed_end_date == date(2029, 2, 28) and not renewed.extended_to_retirement
    assert renewed.renewals.get().previous_end_date == END
    with pytest.raises(ApplicationError) as error:
        services.placement_renew(placement=renewed, user=caseworker, new_end_date=date(2029, 3, 1))
    assert error.value.code == "tenure_limit_exceeded" and "未登记法定退休日期" in error.value.message


@pytest.mark.parametrize(
    ("retirement", "new_end", "code"),
    [
        # renewal starts 2029-03-01; within 5 years of retirement from retirement − 5 years
        (date(2034, 3, 1), date(2030, 12, 31), None),  # exactly 5 years: may extend
        (date(2034, 3, 1), date(2034, 3, 1), None),  # up to the retirement date itself
        (date(2034, 3, 1), date(2034, 3, 2), "beyond_retirement"),
        (date(2034, 3, 2), date(2030, 12, 31), "tenure_limit_exceeded"),  # one day more than 5 years
    ],
)
def test_renewal_past_the_limit_only_near_retirement(post, caseworker, retirement, new_end, code):
    placement = place(post, caseworker, end=date(2029, 2, 28), statutory_retirement_date=retirement)
    if code is None:
        renewed = services.placement_renew(placement=placement, user=caseworker, new_end_date=new_end)
        assert renewed.extended_to_retirement and renewed.renewals.get().to_retirement
        return
    with pytest.raises(ApplicationError) as error:
        services.placement_renew(placement=placement, user=caseworker, new_end_date=new_end)
    assert error.value.code == code and "new_end_date" in error.value.fields


def test_near_retirement_years_is_a_parameter(post, caseworker):
    from apps.eligibility.models import PolicyParameter

    PolicyParameter.objects.filter(key="public_posts.near_retirement_years").update(value=6)
    placement = place(post, caseworker, end=date(2029, 2, 28), statutory_retirement_date=date(2035, 3, 1))
    assert services.placement_renew(placement=placement, user=caseworker,
                                    new_end_date=date(2030, 12, 31)).extended_to_retirement


# ------------------------------------------------------------------ runs


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rev_nanguan", role="supervisor", region_id="220102", is_staff=True)


def _month_of_placements(post, caseworker):
    whole = place(post, caseworker, start=date(2026, 1, 1), end=date(2026, 12, 31))
    mid = place(post, caseworker, start=date(2026, 3, 16), end=date(2026, 12, 31))
    return whole, mid


def test_run_computes_every_placement_of_the_month(caseworker, start_run):
    post = make_post(caseworker, places=5)
    whole, mid = _month_of_placements(post, caseworker)
    left = place(post, caseworker, start=date(2026, 1, 1), end=date(2026, 12, 31))
    services.placement_exit(placement=left, user=caseworker, exit_date=date(2026, 3, 10), reason="found_job")
    before = place(post, caseworker, start=date(2026, 1, 1), end=date(2026, 12, 31))
    services.placement_exit(placement=before, user=caseworker, exit_date=date(2026, 2, 27), reason="resigned")
    make_post(caseworker, places=1, region_id="220102")  # an empty post changes nothing
    run = start_run(user=caseworker, region=Region.objects.get(pk="220102"), month=date(2026, 3, 9))
    run.refresh_from_db()
    assert run.month == date(2026, 3, 1) and run.status == SubsidyRun.Status.COMPUTED
    amounts = {line.placement_id: (line.days_in_post, str(line.amount)) for line in run.lines.all()}
    assert amounts == {whole.pk: (31, "2750.00"), mid.pk: (16, "1419.35"), left.pk: (10, "887.10")}
    assert run.total_amount == Decimal("5056.45") and run.placements_done == run.placements_total == 3
    assert run.percent == 100


def test_a_city_run_takes_its_counties(caseworker, supervisor, start_run):
    post = make_post(caseworker)
    place(post, caseworker)
    run = start_run(user=supervisor, region=Region.objects.get(pk="220100"), month=date(2026, 4, 1))
    run.refresh_from_db()
    assert run.lines.count() == 1


def test_one_run_per_region_and_month(caseworker):
    region = Region.objects.get(pk="220102")
    services.run_start(user=caseworker, region=region, month=date(2026, 3, 1))
    with pytest.raises(ConflictError) as error:
        services.run_start(user=caseworker, region=region, month=date(2026, 3, 20))
    assert error.value.code == "run_exists"


def test_rerun_and_resume_create_no_duplicates(caseworker, monkeypatch):
    post = make_post(caseworker, places=5)
    placements = [place(post, caseworker, start=date(2026, 1, 1), end=date(2026, 12, 31)) for _ in range(5)]
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    monkeypatch.setattr(services, "_enqueue", lambda run_id: None)  # the worker dies before it starts
    run = services.run_start(user=caseworker, region=Region.objects.get(pk="220102"), month=date(2026, 3, 1))
    assert services.chunk_compute(run_id=run.pk) is True  # one chunk, then the worker is lost
    run.refresh_from_db()
    assert (run.status, run.placements_done, run.placements_total, run.percent) == ("computing", 2, 5, 40)
    # A redelivered message recomputes the same placements: the unique (run, placement) keeps one line each.
    SubsidyLine.objects.filter(run=run).delete()
    services.run_compute(run_id=run.pk)
    services.run_compute(run_id=run.pk)  # a second delivery after the end: nothing happens
    run.refresh_from_db()
    assert run.status == "computed" and run.lines.count() == 5
    assert sorted(run.lines.values_list("placement_id", flat=True)) == sorted(p.pk for p in placements)
    assert run.total_amount == Decimal("13750.00")


def test_the_unique_index_refuses_a_duplicate_line(caseworker, start_run):
    from django.db import IntegrityError, transaction

    post = make_post(caseworker)
    place(post, caseworker)
    run = start_run(user=caseworker, region=Region.objects.get(pk="220102"), month=date(2026, 3, 1))
    line = run.lines.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyLine.objects.create(run=run, placement=line.placement, person=line.person, days_in_post=31,
                                   days_in_month=31, amount=Decimal("1.00"))


def test_four_eyes_and_reject_needs_a_reason(caseworker, reviewer, start_run):
    post = make_post(caseworker)
    place(post, caseworker)
    run = start_run(user=reviewer, region=Region.objects.get(pk="220102"), month=date(2026, 3, 1))
    with pytest.raises(ReviewRefused) as error:
        services.run_review(run=run, user=caseworker, action="approve")
    assert error.value.code == "reviewer_required"
    with pytest.raises(ReviewRefused) as error:
        services.run_review(run=run, user=reviewer, action="approve")
    assert error.value.code == "four_eyes"
    other = UserFactory(username="rev2", role="supervisor", region_id="220100")
    with pytest.raises(ApplicationError) as error:
        services.run_review(run=run, user=other, action="reject", note=" ")
    assert error.value.code == "reason_required"
    approved = services.run_review(run=run, user=other, action="approve", note="核对无误")
    assert approved.status == "approved" and approved.reviewed_by == other
    with pytest.raises(ConflictError):
        services.run_review(run=approved, user=other, action="reject", note="晚了")


def test_a_rejected_run_may_be_started_again(caseworker, reviewer, start_run):
    region = Region.objects.get(pk="220102")
    run = start_run(user=caseworker, region=region, month=date(2026, 3, 1))
    services.run_review(run=run, user=reviewer, action="reject", note="离岗日期待核实")
    assert services.run_start(user=caseworker, region=region, month=date(2026, 3, 1)).pk != run.pk


def test_a_missing_parameter_fails_the_run_and_resume_finishes_it(caseworker, start_run, django_capture_on_commit_callbacks):
    from apps.eligibility.models import PolicyParameter

    post = make_post(caseworker)
    place(post, caseworker)
    saved = list(PolicyParameter.objects.filter(key="public_posts.post_subsidy_monthly").values())
    PolicyParameter.objects.filter(key="public_posts.post_subsidy_monthly").delete()
    run = start_run(user=caseworker, region=Region.objects.get(pk="220102"), month=date(2026, 3, 1))
    run.refresh_from_db()
    assert run.status == "failed" and "public_posts.post_subsidy_monthly" in run.error
    PolicyParameter.objects.bulk_create([PolicyParameter(**row) for row in saved])
    with django_capture_on_commit_callbacks(execute=True):
        services.run_resume(run=run, user=caseworker)
    run.refresh_from_db()
    assert run.status == "computed" and run.lines.count() == 1
