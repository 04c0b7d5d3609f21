"""The `applicants` import kind for the shared import service (apps/imports).

Header: id_number,name,phone,hukou_type,hukou_region_code,region_code,address,status_tags

The rules are this app's: one person per ID number, registered in the importer's region (a hukou region may be
anywhere), status tags as `灵活就业:2024-03-01;低保:2023-01-01~2025-12-31`. Rows are written through
people_upsert (derived fields, history, duplicate flags). Registered from ApplicantsConfig.ready().
"""

import re
from datetime import date

from apps.applicants.models import Person, StatusTag
from apps.applicants.services import people_upsert
from apps.imports.spec import (
    CellError,
    Column,
    Context,
    Counts,
    Issue,
    Row,
    RowSpec,
    choice,
    id_number,
    known_region,
    phone,
    records_outside_scope,
    region_code,
    text,
)

TAG_ENTRY = re.compile(r"^\s*([^:：]+)\s*[:：]\s*(\d{4}-\d{2}-\d{2})\s*(?:~\s*(\d{4}-\d{2}-\d{2})\s*)?$")


def status_tags(value: str, ctx: Context) -> tuple:
    """灵活就业:2024-03-01;低保:2023-01-01~2025-12-31 → ((tag, since, until), …)."""
    parse_tag = choice(StatusTag.Tag.choices)
    tags = []
    for entry in filter(None, (part.strip() for part in re.split(r"[;；]", value))):
        match = TAG_ENTRY.match(entry)
        if not match:
            raise CellError(f"“{entry}”格式应为 身份类别:起始日期 或 身份类别:起始日期~终止日期，"
                            "多个用分号分隔，例如 灵活就业:2024-03-01;低保:2023-01-01~2025-12-31")
        try:
            tag = parse_tag(match.group(1).strip(), ctx)
        except CellError as error:
            raise CellError(f"“{match.group(1)}”不是有效的身份类别") from error
        if tag in StatusTag.DECIDED_ELSEWHERE:
            raise CellError(f"“{StatusTag.Tag(tag).label}”由相关业务的决定开具和终止（如骗保认定生效），不能导入")
        try:
            since = date.fromisoformat(match.group(2))
            until = date.fromisoformat(match.group(3)) if match.group(3) else None
        except ValueError as error:
            raise CellError(f"“{entry}”中的日期无效") from error
        if until and until < since:
            raise CellError(f"“{entry}”的终止日期早于起始日期")
        tags.append((tag, since, until))
    return tuple(tags)


class ApplicantSpec(RowSpec):
    kind = "applicants"
    written_models = (Person,)
    list_url_name = "applicants:list"
    key_columns = ("id_number",)
    columns = (
        Column("id_number", "身份证号", id_number, required=True),
        Column("name", "姓名", text(50), required=True),
        Column("phone", "联系电话", phone, empty=""),
        Column("hukou_type", "户籍性质", choice(Person.HukouType.choices), empty=""),
        Column("hukou_region_code", "户籍地区划代码", known_region),
        Column("region_code", "居住地区划代码", region_code, required=True),
        Column("address", "居住地址", text(200), empty=""),
        Column("status_tags", "身份标签", status_tags, empty=()),
    )

    def check_chunk(self, rows: list[Row], ctx: Context) -> list[Issue]:
        return records_outside_scope(rows, ctx, model=Person, key="id_number", noun="人员")

    def write_chunk(self, rows: list[Row], ctx: Context) -> Counts:
        data = [{**row.values, "region_id": row.values["region_code"],
                 "hukou_region_id": row.values["hukou_region_code"]} for row in rows]
        return Counts(*people_upsert(rows=data, user=ctx.user, reason=f"文件导入（批次 {ctx.batch_id}）"))
