"""python manage.py seed_benchmark --employers N --months 24 [--year Y]

A synthetic data set for the refund benchmark, written by set-based SQL on PostgreSQL (two INSERT … SELECT
statements over generate_series; seconds, not minutes, for a million employers). Values derive from the
employer id by integer hashing, so a seed is reproducible. Synthetic USCCs are unique but carry no valid
check digit — this is benchmark data, never demo data (see `seed_demo` for that).

Contributions cover the `months` months ending with December of the facts year P = Y − 1. Roughly: 4% of
employers short-pay one month of P, 2% owe a month of the year before (arrears), 8% shed staff (some past
the limit), 0.5% are on the dishonesty list, 10% have unknown employee counts and 30% unknown revenue.
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from apps.core.models import Region

EMPLOYERS_SQL = """
INSERT INTO employers_employer (created_at, updated_at, uscc, name, entity_type, industry, employees, revenue_10k,
                                assets_10k, region_id, serious_dishonesty, dishonesty_source, contact_name,
                                contact_phone, address)
SELECT now(), now(),
       'B' || %(tag)s || lpad(g::text, 9, '0'),
       '基准测试单位' || g || '号',
       (ARRAY['enterprise','enterprise','enterprise','enterprise','enterprise','enterprise','enterprise',
              'enterprise','enterprise','social_org','law_firm','accounting_firm','individual_business',
              'foundation','social_service_org','public_institution'])[1 + (h %% 160) / 10],
       (ARRAY['industry','construction','wholesale','retail','transport','warehousing','postal','hospitality',
              'telecom','software','real_estate','property_management','leasing','agriculture','other'])
           [1 + (h / 7) %% 15],
       CASE WHEN h %% 10 = 0 THEN NULL WHEN h %% 100 = 1 THEN 1500 ELSE 1 + (h / 11) %% 400 END,
       CASE WHEN h %% 10 < 3 THEN NULL ELSE ((h / 13) %% 60000)::numeric END,
       CASE WHEN h %% 10 < 5 THEN NULL ELSE ((h / 17) %% 150000)::numeric END,
       (%(regions)s::text[])[1 + g %% %(region_count)s],
       h %% 200 = 7, '', '', '', ''
FROM (SELECT g, ((g * 2654435761) %% 4294967291)::bigint AS h
      FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g) s
"""

# One row per employer and month; headcount drops for some employers during P; a few short payments.
CONTRIBUTIONS_SQL = """
INSERT INTO employers_contribution (employer_id, period, insured_headcount, amount_due, paid_employer,
                                    paid_employee, late_fee)
SELECT e.id, m.period, hc, due,
       CASE WHEN short THEN round(due * 0.5, 2) ELSE round(due * 0.7, 2) END,
       due - round(due * 0.7, 2),
       CASE WHEN h %% 97 = 3 THEN 12.34 ELSE 0 END
FROM (SELECT id, ((id * 2654435761) %% 4294967291)::bigint AS h FROM employers_employer
      WHERE id > %(after)s) e
CROSS JOIN LATERAL (
    SELECT (%(december)s::date - make_interval(months => k))::date AS period, k,
           GREATEST(1, 5 + (e.h / 11) %% 60
                       - CASE WHEN e.h %% 25 < 2 AND k < 12 THEN (12 - k) * (1 + e.h %% 3) / 3 ELSE 0 END) AS hc
    FROM generate_series(0, %(months)s - 1) AS k
) m
CROSS JOIN LATERAL (
    SELECT round(m.hc * 31.5, 2) AS due,
           (e.h %% 50 = 4 AND m.k = (e.h / 50) %% 12) OR (e.h %% 50 = 9 AND m.k = 12 + (e.h / 50) %% 12) AS short
) d
"""


class Command(BaseCommand):
    help = "生成稳岗返还基准测试数据（仅 PostgreSQL）"

    def add_arguments(self, parser):
        parser.add_argument("--employers", type=int, required=True)
        parser.add_argument("--months", type=int, default=24)
        parser.add_argument("--year", type=int, default=2025, help="返还年度 Y；缴费截至 Y−1 年12月")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_benchmark 需要 PostgreSQL（DATABASE_URL）")
        count, months = options["employers"], options["months"]
        regions = list(Region.objects.filter(level=Region.Level.COUNTY).values_list("code", flat=True))
        if not regions:
            raise CommandError("没有县区级区划：请先 migrate")
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                # Generated rows reference employers generated in the same transaction: skip the per-row
                # foreign-key triggers (superuser only; LOCAL ends with the transaction).
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM employers_employer")
            after = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM employers_employer WHERE uscc LIKE 'B%%'")
            first = cursor.fetchone()[0] + 1
            cursor.execute(EMPLOYERS_SQL, {"tag": "22BENCH"[: 18 - 10], "first": first, "last": first + count - 1,
                                           "regions": regions, "region_count": len(regions)})
            seeded = time.monotonic()
            cursor.execute(CONTRIBUTIONS_SQL, {"after": after, "months": months,
                                               "december": date(options["year"] - 1, 12, 1)})
            rows = cursor.rowcount
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE employers_employer")
            cursor.execute("ANALYZE employers_contribution")
        self.stdout.write(f"已生成 {count} 家单位（{seeded - started:.1f} 秒）、{rows} 条缴费记录，"
                          f"共 {time.monotonic() - started:.1f} 秒")
