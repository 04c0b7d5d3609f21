from datetime import timedelta

import pytest
from django.urls import reverse

from apps.core.exceptions import ApplicationError, ConflictError
from apps.gig import selectors, services
from apps.gig.models import Placement, Posting
from tests.gig.conftest import START, make_broker, make_posting, make_worker
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db


def test_broker_must_be_registered_at_a_township_or_village(caseworker, villages):
    with pytest.raises(ApplicationError) as error:
        make_broker(caseworker, region="220102")
    assert error.value.code == "broker_region_level"
    assert make_broker(caseworker, region="220102001").status == "active"


def test_broker_outside_the_region_is_refused(caseworker, villages):
    with pytest.raises(ApplicationError) as error:
        make_broker(caseworker, region="220204100")
    assert error.value.code == "region_out_of_scope"


def test_a_posting_has_exactly_one_poster(caseworker, villages):
    broker = make_broker(caseworker)
    posting = make_posting(caseworker, broker=broker)
    assert posting.employer_id is None and posting.status == "open"
    with pytest.raises(ApplicationError) as error:
        services.posting_create(posting=Posting(title="x", trade="loader", pay=1, headcount=1, region_id="220102",
                                                address="x", start_date=START, end_date=START), user=caseworker)
    assert error.value.code == "poster_required"


def test_headcount_cannot_be_exceeded_and_a_no_show_frees_the_place(caseworker):
    posting = make_posting(caseworker, headcount=1)
    first, second = make_worker(caseworker), make_worker(caseworker)
    placement = services.placement_create(posting=posting, availability=first, start_date=START, user=caseworker)
    posting.refresh_from_db()
    assert posting.status == "full"
    with pytest.raises(ConflictError) as error:
        services.placement_create(posting=posting, availability=second, start_date=START, user=caseworker)
    assert error.value.code == "posting_not_open"
    services.follow_up_record(placement=placement, visited_on=START, outcome="no_show", pay_received=False,
                              user=caseworker)
    posting.refresh_from_db()
    assert posting.status == "open"
    services.placement_create(posting=posting, availability=second, start_date=START, user=caseworker)
    assert Placement.objects.filter(posting=posting).exclude(outcome="no_show").count() == 1


def test_a_placement_needs_a_match_and_a_start_inside_the_work_days(caseworker):
    posting = make_posting(caseworker)
    cleaner = make_worker(caseworker, trades=("cleaner",))
    with pytest.raises(ApplicationError) as error:
        services.placement_create(posting=posting, availability=cleaner, start_date=START, user=caseworker)
    assert error.value.code == "not_a_match" and "工种不符" in error.value.message
    worker = make_worker(caseworker)
    with pytest.raises(ApplicationError) as error:
        services.placement_create(posting=posting, availability=worker, start_date=START + timedelta(days=5),
                                  user=caseworker)
    assert error.value.code == "start_outside_posting"


def test_follow_up_is_copied_onto_the_placement(caseworker, villages):
    broker = make_broker(caseworker)
    posting = make_posting(caseworker)
    placement = services.placement_create(posting=posting, availability=make_worker(caseworker), start_date=START,
                                          user=caseworker, broker=broker)
    services.follow_up_record(placement=placement, visited_on=START + timedelta(days=1), outcome="on_job",
                              pay_received=True, user=caseworker)
    placement.refresh_from_db()
    assert (placement.outcome, placement.pay_received) == ("on_job", True)
    with pytest.raises(ApplicationError) as error:
        services.follow_up_record(placement=placement, visited_on=START - timedelta(days=1), outcome="on_job",
                                  pay_received=True, user=caseworker)
    assert error.value.code == "visit_before_start"
    row = selectors.broker_performance(user=caseworker).get(pk=broker.pk)
    assert (row.placed, row.on_job, row.paid, row.active_postings) == (1, 1, 1, 0)


def test_matches_for_a_posting_and_for_a_worker(caseworker, other_caseworker):
    posting = make_posting(caseworker)
    near = make_worker(caseworker, region="220102")
    related = make_worker(caseworker, trades=("construction_helper",))
    make_worker(caseworker, trades=("cleaner",))
    make_worker(caseworker, start=START + timedelta(days=5))  # starts the day after the work ends
    make_worker(other_caseworker, region="220204")  # out of the caseworker's region
    found = selectors.posting_matches(user=caseworker, posting=posting)
    assert [c.record.pk for c in found] == [near.pk, related.pk]
    assert [c.record.pk for c in selectors.availability_matches(user=caseworker, availability=near)] == [posting.pk]


def test_the_posting_page_reads_a_constant_number_of_queries(caseworker, client_for):
    posting = make_posting(caseworker, headcount=50)
    web = client_for(caseworker)
    url = reverse("gig:posting-detail", args=[posting.pk])

    def add(n):
        for _ in range(n):
            worker = make_worker(caseworker, trades=("bricklayer", "carpenter"))
            if Placement.objects.count() < 3:
                services.placement_create(posting=posting, availability=worker, start_date=START, user=caseworker)
            make_worker(caseworker, trades=("construction_helper",))

    response = assert_queries_constant(lambda: web.get(url), add, n=3)
    assert response.status_code == 200
    assert response.content.decode().count('class="match-row"') == 3 * 3 * 2 - 3


