"""The 2025 social-worker indicators per region (吉民发〔2024〕33号 二(四)10: "到２０２５年，推动实现每千名老年人、每百张
养老机构床位均拥有１名社会工作者").

Social workers = staff in post (no 离职日期) with the 社会工作者 qualification, counted once per staff row. Per 1,000
older people = social workers × `older_people_per_social_worker` ÷ older people served; per 100 beds likewise with
`beds_per_social_worker`; both half-up to 2 decimals, compared with `elderly_care.social_worker_target` (1). The
parameters are those in force on `on` for each region. Two grouped queries whatever the number of institutions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from apps.core.scoping import scope_queryset
from apps.eldercare.models import Institution, StaffMember
from apps.eligibility.parameters import parameter_snapshot

HUNDREDTH = Decimal("0.01")
PROVINCE = "220000"


def ratio(workers: int, per: int, base: int) -> Decimal | None:
    """workers per `per` units of `base`, half-up to 2 decimals; None when there is no base."""
    if base == 0:
        return None
    return (Decimal(workers) * per / Decimal(base)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass
class IndicatorRow:
    region_code: str
    label: str
    institutions: int = 0
    beds: int = 0
    older_people: int = 0
    social_workers: int = 0
    per_thousand_older: Decimal | None = None
    per_hundred_beds: Decimal | None = None
    target: Decimal = Decimal(1)
    older_met: bool = False
    beds_met: bool = False

    def compute(self, per_older: int, per_beds: int, target: Decimal) -> IndicatorRow:
        self.per_thousand_older = ratio(self.social_workers, per_older, self.older_people)
        self.per_hundred_beds = ratio(self.social_workers, per_beds, self.beds)
        self.target = target
        self.older_met = self.per_thousand_older is not None and self.per_thousand_older >= target
        self.beds_met = self.per_hundred_beds is not None and self.per_hundred_beds >= target
        return self


def _targets(region_code: str, on: date) -> tuple[int, int, Decimal]:
    params = parameter_snapshot(as_of=on, region_code=region_code)
    return (int(params.get("elderly_care.older_people_per_social_worker").value),
            int(params.get("elderly_care.beds_per_social_worker").value),
            Decimal(params.get("elderly_care.social_worker_target").value))


def indicator_rows(*, user, on: date | None = None) -> tuple[list[IndicatorRow], IndicatorRow]:
    """One row per region with institutions (the user's scope), and the total."""
    on = on or timezone.localdate()
    institutions = (scope_queryset(Institution.objects.all(), user).values("region_id", "region__name")
                    .annotate(count=Count("id"), beds=Sum("beds"), older=Sum("older_people_served"))
                    .order_by("region_id"))
    workers = dict(scope_queryset(StaffMember.objects.filter(end_date__isnull=True, social_worker_qualified=True),
                                  user).values("region_id").annotate(n=Count("id")).values_list("region_id", "n"))
    rows, total = [], IndicatorRow(region_code="", label="合计")
    targets: dict[str, tuple[int, int, Decimal]] = {}
    for item in institutions:
        code = item["region_id"]
        row = IndicatorRow(region_code=code, label=item["region__name"], institutions=item["count"],
                           beds=item["beds"] or 0, older_people=item["older"] or 0, social_workers=workers.get(code, 0))
        targets[code] = _targets(code, on)
        rows.append(row.compute(*targets[code]))
        total.institutions += row.institutions
        total.beds += row.beds
        total.older_people += row.older_people
        total.social_workers += row.social_workers
    total.compute(*(next(iter(targets.values())) if len(set(targets.values())) == 1 else _targets(PROVINCE, on)))
    return rows, total


HEADER = ["区划代码", "区划", "养老机构数", "床位数（张）", "服务老年人数（人）", "社会工作者（名）", "每千名老年人社会工作者（名）",
          "每百张床位社会工作者（名）", "2025年目标（名）", "每千名老年人是否达标", "每百张床位是否达标"]


def export_table(rows: list[IndicatorRow], total: IndicatorRow) -> list[list]:
    """The page's table for apps.core.exports (numbers stay numbers; no data: blank)."""
    def line(row: IndicatorRow) -> list:
        return [row.region_code, row.label, row.institutions, row.beds, row.older_people, row.social_workers,
                row.per_thousand_older if row.per_thousand_older is not None else "",
                row.per_hundred_beds if row.per_hundred_beds is not None else "", row.target,
                "达标" if row.older_met else "未达标", "达标" if row.beds_met else "未达标"]
    return [HEADER, *(line(row) for row in rows), line(total)]
