"""Contributions partitioned by year on PostgreSQL (migration employers 0010; docs/scaling.md).

Reads: `partitions_list()` — each partition, its years and PostgreSQL's row estimate. Writes:
`partition_detach(year=…)` takes an old year out of the table (the partition stays as a table of its own, to
archive or drop) — refused while it can still change a decision:
- a year within the paid-in-full streak the refund facts count back (`STREAK_MONTHS` before December of the
  latest facts year), and
- a year holding any month not paid in full: `has_arrears` looks at every contribution due up to the end of the
  facts year, however old.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from apps.core.exceptions import ApplicationError, ConflictError
from apps.employers.models import Contribution
from apps.employers.refund_facts import STREAK_MONTHS

logger = logging.getLogger(__name__)
TABLE = "employers_contribution"


@dataclass(frozen=True)
class Partition:
    name: str
    bounds: str  # PostgreSQL's own words: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01'), or DEFAULT
    estimated_rows: int


def partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABLE])
        return cursor.fetchone()[0] == "p"


def partitions_list() -> list[Partition]:
    if not partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute("""SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), GREATEST(c.reltuples, 0)::bigint
                          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                          WHERE i.inhparent = %s::regclass ORDER BY c.relname""", [TABLE])
        return [Partition(*row) for row in cursor.fetchall()]


def oldest_needed_year(today: date | None = None) -> int:
    """The first year the latest refund run's streak reads: facts year P = this year − 1, streak from January of
    P − (STREAK_MONTHS / 12 − 1)."""
    today = today or timezone.localdate()
    return today.year - 1 - (STREAK_MONTHS // 12 - 1)


@transaction.atomic
def partition_detach(*, year: int, today: date | None = None) -> str:
    if not partitioned():
        raise ApplicationError("not_partitioned", "缴费记录表未按年度分区（仅 PostgreSQL 部署分区）。")
    name = f"{TABLE}_y{int(year)}"
    if name not in {p.name for p in partitions_list()}:
        raise ApplicationError("partition_not_found", f"没有 {year} 年的缴费分区（可能已经分离）。")
    first_needed = oldest_needed_year(today)
    if year >= first_needed:
        raise ConflictError("partition_in_use", f"{year} 年仍在稳岗返还连续足额缴费月数的计算范围内"
                                                f"（{first_needed} 年及以后），不能分离。")
    unpaid = (Contribution.objects.filter(period__gte=date(year, 1, 1), period__lt=date(year + 1, 1, 1))
              .annotate(paid=F("paid_employer") + F("paid_employee")).filter(paid__lt=F("amount_due")).count())
    if unpaid:
        raise ConflictError("partition_has_arrears", f"{year} 年有 {unpaid} 条未足额缴纳的记录：欠费仍计入"
                                                     "“是否欠费”的认定，不能分离。")
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE {TABLE} DETACH PARTITION "{name}"')
    logger.info("contribution partition detached", extra={"year": year, "partition": name})
    return name
