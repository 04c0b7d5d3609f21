"""Reads. Every list is scoped (apps.core.scoping) and filtered by its FilterSet; details are 404 outside the
region. The match lists read their candidates in a fixed number of queries, whatever their number."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from apps.core.filters import filter_or_raise
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.core.validators import normalize_id_number
from apps.gig import matching
from apps.gig.filters import AvailabilityFilter, BrokerFilter, PlacementFilter, PostingFilter
from apps.gig.models import (
    Availability,
    AvailabilityTrade,
    Broker,
    FollowUp,
    Placement,
    Posting,
    related_trades,
)
from apps.gig.services import need_of, offer_of

# A match page ranks at most this many candidates (the nearest by start date); enough for a 零工 market's day.
MATCH_CANDIDATES = 500


def broker_list(*, user, filters=None) -> QuerySet[Broker]:
    queryset = scope_queryset(Broker.objects.select_related("person", "region"), user)
    return filter_or_raise(BrokerFilter, filters, queryset)


def broker_get(*, user, pk) -> Broker:
    return get_scoped_or_404(Broker.objects.select_related("person", "region"), user, pk=pk)


def active_brokers(*, user) -> QuerySet[Broker]:
    return broker_list(user=user).filter(status=Broker.Status.ACTIVE)


def posting_list(*, user, filters=None) -> QuerySet[Posting]:
    taken = (Placement.objects.filter(posting=OuterRef("pk")).exclude(outcome=Placement.State.NO_SHOW)
             .values("posting").annotate(n=Count("pk")).values("n"))
    queryset = scope_queryset(Posting.objects.select_related("employer", "broker__person", "region"), user).annotate(
        taken=Coalesce(Subquery(taken, output_field=IntegerField()), Value(0)))
    return filter_or_raise(PostingFilter, filters, queryset)


def posting_get(*, user, pk) -> Posting:
    return get_scoped_or_404(posting_list(user=user), user, pk=pk)


def _availabilities(user) -> QuerySet[Availability]:
    return scope_queryset(Availability.objects.select_related("person", "region").prefetch_related(
        Prefetch("trades", queryset=AvailabilityTrade.objects.order_by("trade"))), user)


def availability_list(*, user, filters=None) -> QuerySet[Availability]:
    return filter_or_raise(AvailabilityFilter, filters, _availabilities(user))


def availability_get(*, user, pk) -> Availability:
    return get_scoped_or_404(_availabilities(user), user, pk=pk)


def person_open_availability(*, user, id_number: str) -> Availability | None:
    try:
        number = normalize_id_number(id_number)
    except Exception:  # noqa: BLE001 — a malformed number has no registration
        return None
    return _availabilities(user).filter(person__id_number=number, status=Availability.Status.OPEN).first()


def placement_list(*, user, filters=None) -> QuerySet[Placement]:
    queryset = scope_queryset(Placement.objects.select_related(
        "posting__region", "availability__person", "broker__person").prefetch_related(
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("-visited_on", "-id"))), user, "posting__region")
    return filter_or_raise(PlacementFilter, filters, queryset)


def placement_get(*, user, pk) -> Placement:
    return get_scoped_or_404(placement_list(user=user), user, "posting__region", pk=pk)


# --- Matching ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    match: matching.Match
    record: Any  # the Availability (for a posting) or the Posting (for a worker)


def posting_matches(*, user, posting: Posting) -> list[Candidate]:
    """The open registrations of the user's region that match the posting, best first, each explained.
    Three queries: the candidates, their trades and nothing per row."""
    rows = list(_availabilities(user).filter(
        status=Availability.Status.OPEN, trades__trade__in=related_trades(posting.trade),
        available_from__lte=posting.end_date, available_to__gte=posting.start_date,
    ).exclude(placements__posting=posting).distinct().order_by("available_from", "id")[:MATCH_CANDIDATES])
    by_key = {row.pk: row for row in rows}
    return [Candidate(m, by_key[m.key]) for m in matching.rank(need_of(posting), (offer_of(r) for r in rows))]


def availability_matches(*, user, availability: Availability) -> list[Candidate]:
    """The 招募中 postings of the user's region this worker matches, best first; none for a stopped registration."""
    if availability.status != Availability.Status.OPEN:
        return []
    trades = availability.trade_codes
    wanted = sorted({related for trade in trades for related in related_trades(trade)})
    rows = list(posting_list(user=user).filter(
        status=Posting.Status.OPEN, trade__in=wanted, start_date__lte=availability.available_to,
        end_date__gte=availability.available_from,
    ).exclude(placements__availability=availability).order_by("start_date", "id")[:MATCH_CANDIDATES])
    offer = offer_of(availability, trades)
    found = []
    for row in rows:
        match = matching.evaluate(need_of(row), matching.Offer(
            key=row.pk, trades=offer.trades, region_code=offer.region_code, start=offer.start, end=offer.end,
            expected_pay=offer.expected_pay, pay_unit=offer.pay_unit))
        if match.matched:
            found.append(Candidate(match, row))
    return sorted(found, key=lambda c: c.match.sort_key)


# --- Broker performance ------------------------------------------------------------------------------------------

def _count(model, relation: str, **conditions):
    inner = (model.objects.filter(**{relation: OuterRef("pk")}, **conditions).values(relation)
             .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def broker_performance(*, user, filters=None) -> QuerySet[Broker]:
    """Per broker: placements, their latest follow-up outcomes, pay received, and 招募中 postings."""
    S = Placement.State
    return broker_list(user=user, filters=filters).annotate(
        placed=_count(Placement, "broker"),
        pending=_count(Placement, "broker", outcome=S.PENDING),
        on_job=_count(Placement, "broker", outcome=S.ON_JOB),
        ended=_count(Placement, "broker", outcome=S.ENDED),
        no_show=_count(Placement, "broker", outcome=S.NO_SHOW),
        paid=_count(Placement, "broker", pay_received=True),
        active_postings=_count(Posting, "broker", status=Posting.Status.OPEN),
    )


PERFORMANCE_COLUMNS = [("姓名", "name"), ("服务区划", "region"), ("状态", "status"), ("撮合上岗", "placed"),
                       ("待回访", "pending"), ("在岗", "on_job"), ("已结束", "ended"), ("未到岗", "no_show"),
                       ("已收到报酬", "paid"), ("招募中岗位", "active_postings")]


def performance_table(brokers) -> list[list]:
    """The export: a header row and one row per broker (numbers stay numbers)."""
    rows: list[list] = [[label for label, _key in PERFORMANCE_COLUMNS]]
    for b in brokers:
        rows.append([b.person.name, b.region.name, b.get_status_display(), b.placed, b.pending, b.on_job, b.ended,
                     b.no_show, b.paid, b.active_postings])
    return rows


def status_counts(*, user) -> dict[str, int]:
    return dict(scope_queryset(Posting.objects.all(), user).values_list("status").annotate(n=Count("pk"))
                .values_list("status", "n"))

