from decimal import Decimal

from apps.employers.models import Employer
from apps.imports.spec import (
    Column,
    Context,
    Counts,
    Issue,
    Row,
    RowSpec,
    amount,
    non_negative_integer,
    period,
    uscc,
)


class ContributionSpec(RowSpec):
    kind = "contributions"
    key_columns = ("uscc", "period")
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
                issues.append(Issue(row.line, "uscc", code, "统一社会信用代码未登记：请先导入或登记该用人单位"))
            elif not known[1].startswith(ctx.scope_prefix):
                issues.append(Issue(row.line, "uscc", code,
                                    f"该单位属于区划 {known[1]}，不在您的经办范围内，不能导入其缴费记录"))
        return issues

    def write_chunk(self, rows: list[Row], ctx: Context) -> Counts:
        from apps.employers.services import contributions_upsert

        employers = self._employers(ctx, {row.values["uscc"] for row in rows})
        data = [{**row.values, "employer_id": employers[row.values["uscc"]][0]} for row in rows]
        return Counts(*contributions_upsert(rows=data, import_batch=ctx.batch))
