from apps.employers.models import Employer
from apps.imports.spec import (
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
    records_outside_scope,
    region_code,
    text,
    uscc,
)


class EmployerSpec(RowSpec):
    kind = "employers"
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
        from apps.employers.services import employers_upsert

        data = [{**row.values, "region_id": row.values["region_code"]} for row in rows]
        created, updated, unchanged = employers_upsert(rows=data, user=ctx.user,
                                                       reason=f"文件导入（批次 {ctx.batch.pk}）")
        return Counts(created, updated, unchanged)
