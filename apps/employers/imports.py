"""The `employers` and `contributions` import kinds for the shared import service (apps/imports).

Header (employers): uscc,name,entity_type,industry,employees,revenue_10k,assets_10k,region_code,serious_dishonesty
Header (contributions): uscc,period,insured_headcount,amount_due,paid_employer,paid_employee,late_fee

The rules of the rows are this app's: an employer is keyed by its USCC and may not be moved in from outside
the importer's region; a contribution belongs to a registered employer of the importer's region. Rows are
written through this app's bulk services. Registered from EmployersConfig.ready().
"""

from decimal import Decimal

from apps.core.scoping import prefix_covers
from apps.employers.models import Contribution, Employer
from apps.employers.services import contributions_upsert, contributions_upsert_from, employers_upsert
from apps.imports.bulk import literal, message_sql
from apps.imports.spec import (
    BulkSql,
    Column,
    Context,
    Counts,
    Issue,
    Row,
    RowSpec,
    amount,
    boolean,
    choice,
    non_negative_integer,
    period,
    records_outside_scope,
    region_code,
    text,
    uscc,
)


class EmployerSpec(RowSpec):
    kind = "employers"
    written_models = (Employer,)
    list_url_name = "employers:list"
    key_columns = ("uscc",)
    columns = (
        Column("uscc", "统一社会信用代码", uscc, required=True),
        Column("name", "单位名称", text(200), required=True),
        Column("entity_type", "单位类型", choice(Employer.EntityType.choices), required=True),
        Column("industry", "行业", choice(Employer.Industry.choices), required=True),
        Column("employees", "从业人员数", non_negative_integer),
        Column("revenue_10k", "营业收入（万元）", amount()),
        Column("assets_10k", "资产总额（万元）", amount()),
        Column("region_code", "区划代码", region_code, required=True),
        Column("serious_dishonesty", "严重失信", boolean, empty=False),
    )

    def check_chunk(self, rows: list[Row], ctx: Context) -> list[Issue]:
        return records_outside_scope(rows, ctx, model=Employer, key="uscc", noun="单位")

    def write_chunk(self, rows: list[Row], ctx: Context) -> Counts:
        data = [{**row.values, "region_id": row.values["region_code"]} for row in rows]
        created, updated, unchanged = employers_upsert(rows=data, user=ctx.user,
                                                       reason=f"文件导入（批次 {ctx.batch_id}）")
        return Counts(created, updated, unchanged)


UNKNOWN_EMPLOYER_MESSAGE = "统一社会信用代码未登记：请先导入或登记该用人单位"
OUTSIDE_SCOPE_MESSAGE = "该单位属于区划 {region}，不在您的经办范围内，不能导入其缴费记录"

# check_chunk's two refusals as one set-based query (the PostgreSQL path, apps.imports.bulk): the importer's
# scope is a region-code prefix, "" for the operator (starts_with(x, '') is true).
CONTRIBUTION_CHECK_SQL = f"""
    SELECT r.line, 'uscc', r.uscc,
           CASE WHEN e.id IS NULL THEN {literal(UNKNOWN_EMPLOYER_MESSAGE)}
                ELSE {message_sql(OUTSIDE_SCOPE_MESSAGE, region="e.region_id")} END
    FROM import_checked r LEFT JOIN {Employer._meta.db_table} e ON e.uscc = r.uscc
    WHERE e.id IS NULL OR NOT starts_with(e.region_id, %(scope)s)"""


def _write_contributions_sql(ctx: Context) -> Counts:
    return Counts(*contributions_upsert_from(table="import_rows", import_batch=ctx.batch))


class ContributionSpec(RowSpec):
    kind = "contributions"
    written_models = (Contribution,)
    key_columns = ("uscc", "period")
    bulk_sql = BulkSql(check=CONTRIBUTION_CHECK_SQL, write=_write_contributions_sql)
    columns = (
        Column("uscc", "统一社会信用代码", uscc, required=True),
        Column("period", "所属期", period, required=True),
        Column("insured_headcount", "参保人数", non_negative_integer, required=True),
        Column("amount_due", "应缴金额", amount(), required=True),
        Column("paid_employer", "单位实缴", amount(), required=True),
        Column("paid_employee", "个人实缴", amount(), required=True),
        # No late fee charged is the common case; an empty cell is 0.00 (documented in README).
        Column("late_fee", "滞纳金", amount(), empty=Decimal("0.00")),
    )

    def _employers(self, ctx: Context, codes: set[str]) -> dict[str, tuple[int, str] | None]:
        """uscc → (employer id, region) for the file's employers, looked up once per run (one query per
        chunk for the codes not seen yet). Bounded by the number of distinct employers in the file."""
        cache: dict = ctx.cache.setdefault("employers", {})
        missing = codes - cache.keys()
        if missing:
            found = {code: (pk, region) for code, pk, region in
                     Employer.objects.filter(uscc__in=missing).values_list("uscc", "pk", "region_id")}
            for code in missing:
                cache[code] = found.get(code)
        return cache

    def check_chunk(self, rows: list[Row], ctx: Context) -> list[Issue]:
        employers = self._employers(ctx, {row.values["uscc"] for row in rows})
        issues = []
        for row in rows:
            code = row.values["uscc"]
            known = employers[code]
            if known is None:
                issues.append(Issue(row.line, "uscc", code, UNKNOWN_EMPLOYER_MESSAGE))
            elif not prefix_covers(ctx.scope_prefix, known[1]):
                issues.append(Issue(row.line, "uscc", code, OUTSIDE_SCOPE_MESSAGE.format(region=known[1])))
        return issues

    def write_chunk(self, rows: list[Row], ctx: Context) -> Counts:
        employers = self._employers(ctx, {row.values["uscc"] for row in rows})
        # Pass 2 writes only rows pass 1 accepted: every employer is known by then.
        ids = {code: found[0] for code, found in employers.items() if found is not None}
        data = [{**row.values, "employer_id": ids[row.values["uscc"]]} for row in rows]
        return Counts(*contributions_upsert(rows=data, import_batch=ctx.batch))
