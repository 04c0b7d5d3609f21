"""Reads. Every case is scoped by its region (apps.core.scoping: out of scope is a 404), every list runs through
the FilterSet (a value that does not parse is a 400)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.applicants.models import Person
from apps.core.filters import filter_or_raise, ordered
from apps.core.money import ZERO
from apps.core.money_sql import MoneySum
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.fraud.filters import FraudCaseFilter
from apps.fraud.models import Appeal, Finding, FraudCase

# A finding whose penalty stands: in force, or in force while an appeal is heard.
IN_FORCE = (FraudCase.Status.EFFECTIVE, FraudCase.Status.APPEALING)


def case_queryset(*, user) -> QuerySet[FraudCase]:
    return scope_queryset(FraudCase.objects.select_related("person", "region", "caseworker"), user)


def case_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[FraudCase]:
    return ordered(filter_or_raise(FraudCaseFilter, filters, case_queryset(user=user)), filters,
                   "-reported_on", "-id")


def case_get(*, user, pk: int) -> FraudCase:
    return get_scoped_or_404(FraudCase.objects.select_related("person", "region", "caseworker", "found_by"),
                             user, pk=pk)


def case_finding(case: FraudCase) -> Finding | None:
    return Finding.objects.select_related("determination", "found_by", "reviewed_by", "suspension_tag").filter(
        case=case).first()


def case_appeals(case: FraudCase) -> QuerySet[Appeal]:
    return Appeal.objects.filter(case=case).select_related("lodged_by", "decided_by").order_by("-lodged_on", "-id")


def person_cases(*, user, person: Person) -> QuerySet[FraudCase]:
    return case_queryset(user=user).filter(person=person).order_by("-reported_on", "-id")


# ---------------------------------------------------------------- statistics


@dataclass
class RegionRow:
    code: str
    name: str
    cases: int = 0
    in_force: int = 0
    repay: Decimal = ZERO
    fine: Decimal = ZERO


@dataclass
class Statistics:
    by_status: list[tuple[str, str, int]]
    by_region: list[RegionRow]
    total_cases: int
    repay: Decimal
    fine: Decimal
    suspended_now: int
    today: date
    totals: dict = field(default_factory=dict)


def statistics(*, user, today: date) -> Statistics:
    """Cases per status and per region, the amounts to repay and the fines of findings in force (MoneySum: exact on
    every database) and the suspensions of direct settlement running today. Four grouped queries."""
    cases = case_queryset(user=user)
    counts = dict(cases.order_by().values_list("status").annotate(n=Count("id")))
    by_status = [(value, str(label), counts.get(value, 0)) for value, label in FraudCase.Status.choices]
    regions: dict[str, RegionRow] = {}
    for row in cases.order_by().values("region_id", "region__name").annotate(
            n=Count("id"), in_force=Count("id", filter=Q(status__in=IN_FORCE))):
        regions[row["region_id"]] = RegionRow(row["region_id"], row["region__name"], row["n"], row["in_force"])
    findings = scope_queryset(Finding.objects.filter(case__status__in=IN_FORCE), user, "case__region")
    for row in findings.order_by().values("case__region_id").annotate(repay=MoneySum("repay_amount"),
                                                                     fine=MoneySum("fine_amount")):
        region = regions[row["case__region_id"]]
        region.repay, region.fine = row["repay"] or ZERO, row["fine"] or ZERO
    suspended_now = findings.filter(suspended_from__lte=today, suspended_until__gte=today).count()
    by_region = sorted(regions.values(), key=lambda r: r.code)
    return Statistics(by_status=by_status, by_region=by_region, total_cases=sum(counts.values()),
                      repay=sum((r.repay for r in by_region), ZERO), fine=sum((r.fine for r in by_region), ZERO),
                      suspended_now=suspended_now, today=today)


def headline(*, user, today: date) -> tuple[int, int]:
    """The dashboard's two figures in one query: the cases the user sees, and those whose suspension of direct
    settlement runs today (the same rule as `statistics`)."""
    figures = case_queryset(user=user).order_by().aggregate(
        cases=Count("id"), suspended=Count("id", filter=Q(
            status__in=IN_FORCE, finding__suspended_from__lte=today, finding__suspended_until__gte=today)))
    return figures["cases"], figures["suspended"]


def statistics_table(stats: Statistics) -> list[list]:
    """The statistics as one sheet for CSV/XLSX (apps.core.exports): per region, then per status."""
    rows: list[list] = [["区划代码", "区划", "案件数", "认定生效（含申诉中）", "追回金额（元）", "罚款（元）"]]
    rows += [[r.code, r.name, r.cases, r.in_force, r.repay, r.fine] for r in stats.by_region]
    rows.append(["", "合计", stats.total_cases, sum(r.in_force for r in stats.by_region), stats.repay, stats.fine])
    rows.append([])
    rows.append(["状态", "案件数"])
    rows += [[label, n] for _, label, n in stats.by_status]
    rows.append([])
    rows.append([f"{stats.today.isoformat()} 暂停医保直接结算中的人次", stats.suspended_now])
    return rows
