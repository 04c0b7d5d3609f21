"""The template a caseworker downloads per import kind (issue 15): an XLSX whose first sheet has the Chinese
headers and one example row, and a notes sheet naming each column (its label, its code, whether it is
required) and how files are read. The example row is the first row of the kind's sample file in
fixtures/samples/ (the same files the README's import section and `make run` use), so there is one source.
"""

from pathlib import Path

from django.conf import settings

from apps.core.exports import xlsx_sheets_bytes
from apps.imports.limits import ImportLimits
from apps.imports.readers import iter_rows
from apps.imports.spec import RowSpec

SAMPLES_DIR = Path(settings.BASE_DIR) / "fixtures" / "samples"


def example_row(spec: RowSpec) -> list[str]:
    """The first data row of the kind's sample file, in the spec's column order; blank without a sample."""
    path = SAMPLES_DIR / f"{spec.kind}.csv"
    if not path.exists():
        return ["" for _ in spec.columns]
    with path.open("rb") as handle:
        rows = iter_rows(handle, fallback_encoding=spec.fallback_encoding)
        _, header = next(rows)
        _, first = next(rows, (0, []))
        close = getattr(rows, "close", None)  # a generator: closed before its file, never left suspended
        if close is not None:
            close()
    names = [cell.strip().lower() for cell in header]
    return [first[names.index(column.name)] if column.name in names and names.index(column.name) < len(first)
            else "" for column in spec.columns]


def import_template_xlsx(spec: RowSpec) -> bytes:
    limits = ImportLimits.from_settings()
    first = spec.columns[0]
    data = [[column.label for column in spec.columns], example_row(spec)]
    notes: list[list[str]] = [["列名", "代码", "是否必填"]]
    notes += [[column.label, column.name, "必填" if column.required else "可空"] for column in spec.columns]
    notes += [[""], ["填写说明"],
              [f"第一行为表头，可写中文列名或代码（如“{first.label}”或 {first.name}），列的顺序不限。"],
              ["从第二行起每行一条记录；第二行为示例，请替换或删除。身份证号、统一社会信用代码请以文本填写。"],
              ["可上传本 XLSX（读取第一个工作表），或 CSV：UTF-8（带或不带 BOM）或 GBK/GB18030（Excel 另存的 CSV）。"],
              ["日期写作 2025-03-01，月份写作 2025-03；金额单位为元，最多两位小数。空单元格表示“未知”。"],
              [f"每个文件最多 {limits.max_rows:,} 行；任何一行有错，整个文件都不导入，并逐行列出错误（含行号）。"]]
    widths = [max(12, len(column.label) * 2 + 4) for column in spec.columns]
    return xlsx_sheets_bytes([("导入数据", data, widths), ("填写说明", notes, [24, 24, 12])])
