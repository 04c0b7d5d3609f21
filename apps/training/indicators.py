"""R6 indicators per program, provider, region and target group: trained, certified, employed after
training, training-to-employment rate, average wage after training, subsidy paid.

"Trained" counts enrollments that completed (and everything after completion); a dropout is not
trained. "Employed" counts trained enrollments with verified employment. Three grouped queries per
dimension, whatever the number of rows (certificates and claims are counted in their own queries so
a join cannot inflate the sums).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from apps.core.money import ZERO, round_money
from apps.core.money_sql import MoneySum
from apps.core.scoping import scope_queryset
from apps.training.models import Certificate, Enrollment, EnrollmentStatus, TargetGroup, TrainingSubsidyClaim

S = EnrollmentStatus
TRAINED = (S.COMPLETED, S.ASSESSED, S.EMPLOYMENT_VERIFIED, S.SUBSIDY_CLAIMED, S.SUBSIDY_PUBLICIZING,
           S.APPROVED, S.PAID)
HUNDREDTH = Decimal("0.01")


def rate_percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator as a percentage, half-up to 2 decimals; None when nothing to divide by."""
    if denominator == 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str  # Chinese column heading
    key: str  # the enrollment field path grouped on
    label_field: str | None  # the path of the row's label; None → `choices`
    choices: dict | None = None


DIMENSIONS = {d.name: d for d in (
    Dimension("program", "培训项目", "program_id", "program__name"),
    Dimension("provider", "培训机构", "program__provider_id", "program__provider__name"),
    Dimension("region", "区划", "region_id", "region__name"),
    Dimension("target_group", "人员类别", "target_group", None, dict(TargetGroup.choices)),
)}


@dataclass
class IndicatorRow:
    key: object
    label: str
    trained: int = 0
    certified: int = 0
    employed: int = 0
    wage_total: Decimal = ZERO
    wage_count: int = 0
    subsidy_paid: Decimal = ZERO

    @property
    def employment_rate(self) -> Decimal | None:
        return rate_percent(self.employed, self.trained)

    @property
    def average_wage(self) -> Decimal | None:
        return round_money(self.wage_total / self.wage_count) if self.wage_count else None


def indicator_rows(*, user, dimension: str = "program") -> tuple[list[IndicatorRow], IndicatorRow]:
    dim = DIMENSIONS[dimension]
    enrollments = scope_queryset(Enrollment.objects.all(), user)
    group = [dim.key] + ([dim.label_field] if dim.label_field else [])
    trained = Q(status__in=TRAINED)
    employed = trained & Q(employment_verified_at__isnull=False)
    rows: dict = {}

    def row_for(values) -> IndicatorRow:
        key = values[dim.key]
        if key not in rows:
            label = values[dim.label_field] if dim.label_field else str((dim.choices or {}).get(key, key))
            rows[key] = IndicatorRow(key=key, label=label or "—")
        return rows[key]

    for values in enrollments.values(*group).annotate(
            trained=Count("id", filter=trained), employed=Count("id", filter=employed),
            wage_total=MoneySum("monthly_wage", filter=employed),
            wage_count=Count("monthly_wage", filter=employed)).order_by(dim.key):
        row = row_for(values)
        row.trained, row.employed = values["trained"], values["employed"]
        row.wage_total, row.wage_count = values["wage_total"] or ZERO, values["wage_count"]
    certified = (scope_queryset(Certificate.objects.filter(enrollment__status__in=TRAINED), user,
                                "enrollment__region")
                 .values(*[f"enrollment__{f}" for f in group]).annotate(n=Count("enrollment", distinct=True)))
    for values in certified:
        row_for({k.removeprefix("enrollment__"): v for k, v in values.items()}).certified = values["n"]
    paid = (scope_queryset(TrainingSubsidyClaim.objects.filter(status=TrainingSubsidyClaim.Status.PAID), user, "enrollment__region")
            .values(*[f"enrollment__{f}" for f in group]).annotate(total=MoneySum("amount")))
    for values in paid:
        row_for({k.removeprefix("enrollment__"): v for k, v in values.items()}).subsidy_paid = values["total"]

    ordered = sorted(rows.values(), key=lambda r: (-r.trained, r.label))
    total = IndicatorRow(key=None, label="合计")
    for row in ordered:
        total.trained += row.trained
        total.certified += row.certified
        total.employed += row.employed
        total.wage_total += row.wage_total
        total.wage_count += row.wage_count
        total.subsidy_paid += row.subsidy_paid
    return ordered, total


EXPORT_HEADER = ["培训人数", "取证人数", "培训后就业人数", "培训后就业率(%)", "培训后平均月工资(元)", "已发放补贴(元)"]


def export_table(rows: list[IndicatorRow], total: IndicatorRow, dimension: str) -> list[list]:
    """Rows for CSV/XLSX: strings for money and rates so no float ever appears."""
    def line(row: IndicatorRow) -> list:
        rate, wage = row.employment_rate, row.average_wage
        return [row.label, row.trained, row.certified, row.employed, "" if rate is None else f"{rate}",
                "" if wage is None else f"{wage}", f"{round_money(row.subsidy_paid)}"]
    return [[DIMENSIONS[dimension].label, *EXPORT_HEADER], *[line(r) for r in rows], line(total)]
