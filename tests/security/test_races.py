"""Races that paid twice, with real concurrency: threads with their own database connections start the same
write at the same instant (a barrier). PostgreSQL only — an in-memory SQLite test database is one connection,
and SQLite runs one writer at a time anyway (apps.core.locks takes its write lock before the check).

Each test runs several rounds and counts what the database ended up with; the figures are printed
(`-s`) for the report: rounds run, duplicates found."""

import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from apps.child_welfare import services as cw_services
from apps.child_welfare.models import Case, Visit
from apps.core.exceptions import ConflictError
from apps.refunds.models import RefundRun
from apps.refunds.services import run_start
from tests.child_welfare.conftest import child_id, report
from tests.concurrency import postgresql_only, race  # noqa: F401 (postgresql_only: a fixture)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]


def _unexpected(outcomes, allowed=(ConflictError,)):
    return [error for _, error in outcomes if error is not None and not isinstance(error, allowed)]


def test_a_city_run_and_a_district_run_started_at_the_same_instant_one_succeeds():
    admin = UserFactory(username="race_admin", role="administrator", region_id="220000")
    # Years whose scheme is in force (the refund parameters start in facts year 2023): a run for an earlier
    # year is refused before any overlap check (no_scheme_in_force), which races nothing.
    years = range(2024, date.today().year + 2)
    duplicates = 0
    for year in years:
        outcomes = race(lambda y=year: run_start(user=admin, year=y, region_code="220100"),
                        lambda y=year: run_start(user=admin, year=y, region_code="220102"))
        assert not _unexpected(outcomes), outcomes
        runs = RefundRun.objects.filter(year=year, is_official=True).count()
        duplicates += runs - 1
        assert runs == 1, f"{year}: {runs} official runs cover 南关区"
    print(f"\nrefund runs: {len(years)} races, {duplicates} duplicates")


def test_three_simultaneous_reports_of_the_same_child_open_one_case(caseworker):
    rounds, duplicates = 4, 0
    for round_ in range(rounds):
        number = child_id()
        if round_ % 2:  # the child already registered, or new to the register
            report(caseworker, name="先登记")
            number = Case.objects.latest("id").child.id_number
            Case.objects.filter(child__id_number=number).update(status="closed")

        def call(number=number):
            return cw_services.case_report(user=caseworker, child_id_number=number, child_name="王小华",
                                           region_code="220102", referral_source="school")

        outcomes = race(call, call, call)
        assert not _unexpected(outcomes), outcomes
        opened = Case.objects.filter(child__id_number=number).exclude(status="closed").count()
        duplicates += opened - 1
        assert opened == 1
        assert sum(1 for _, error in outcomes if isinstance(error, ConflictError)) == 2
        assert all(error.code == "open_case_exists" and error.status_code == 409
                   for _, error in outcomes if error is not None)
    print(f"\ncase reports: {rounds} races of 3, {duplicates} duplicates")


def test_a_visit_form_posted_twice_at_the_same_instant_records_one_visit(caseworker):
    case = report(caseworker)
    url = reverse("child_welfare:visit-add", args=[case.pk])
    rounds, duplicates = 4, 0
    for _ in range(rounds):
        before = Visit.objects.filter(case=case).count()
        page = Client()
        page.force_login(caseworker)
        token = page.get(url).content.decode().split('name="form_token" value="')[1][:36]
        data = {"visited_on": date.today().isoformat(), "visitors": "王经办", "child_seen": "on",
                "findings": "状况良好", "form_token": token}

        def post(data=data):
            browser = Client()
            browser.force_login(caseworker)
            return browser.post(url, data).status_code

        outcomes = race(post, post)
        assert [status for status, _ in outcomes] == [302, 302], outcomes
        recorded = Visit.objects.filter(case=case).count() - before
        duplicates += recorded - 1
        assert recorded == 1
    print(f"\nvisit forms: {rounds} races of 2, {duplicates} duplicates")


def test_api_posts_with_one_idempotency_key_at_the_same_instant_create_once(caseworker):
    """Four clients retry one visit with the same Idempotency-Key at once: one visit, four identical answers
    (the unique (user, key) index makes the three latecomers wait, then replay the first response)."""
    from rest_framework.test import APIClient

    from apps.core.api.idempotency import HEADER

    case = report(caseworker)
    rounds, duplicates, replays = 4, 0, 0
    for round_ in range(rounds):
        before = Visit.objects.filter(case=case).count()
        body = {"case": case.pk, "visited_on": date.today().isoformat(), "visitors": f"王经办{round_}",
                "child_seen": True, "findings": "状况良好"}

        def post(body=body, key=f"race-{round_}"):
            api = APIClient()
            api.force_authenticate(caseworker)
            response = api.post("/api/v1/child-welfare/visits/", body, format="json", headers={HEADER: key})
            return response.status_code, response.json(), response.has_header("Idempotent-Replayed")

        outcomes = race(post, post, post, post)
        assert not _unexpected(outcomes, allowed=()), outcomes
        answers = [result for result, _ in outcomes]
        assert {(status, json.dumps(body, sort_keys=True)) for status, body, _ in answers} == {
            (201, json.dumps(answers[0][1], sort_keys=True))}
        replays += sum(1 for *_, replayed in answers if replayed)
        recorded = Visit.objects.filter(case=case).count() - before
        duplicates += recorded - 1
        assert recorded == 1
    print(f"\nidempotency keys: {rounds} races of 4, {duplicates} duplicates, {replays} replays")
