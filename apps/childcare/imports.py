"""Monthly attendance import (CSV or XLSX), all-or-nothing, every bad row reported.

Header: id_number,institution_uscc,month,days_present   (month as YYYY-MM)

Small and self-contained on purpose: when the shared import service (apps/imports) lands, `read_rows`
is the part it replaces; `attendance_import` keeps the rules.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.applicants.models import Person
from apps.childcare.counting import month_bounds
from apps.childcare.models import Attendance, Enrolment, Institution, SubsidyClaim
from apps.childcare.services import attendance_problem
from apps.core.exceptions import ApplicationError
from apps.core.scoping import scope_queryset
from apps.core.validators import validate_id_number, validate_uscc

HEADER = ("id_number", "institution_uscc", "month", "days_present")
# One file is read into memory whole (it must be, to be all-or-nothing); 20,000 rows is a year of a
# large city's monthly reports and a few MB.
MAX_ROWS = 20_000
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"第{self.line}行 {self.column}「{self.value}」：{self.reason}"


class AttendanceImportError(ApplicationError):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        shown = [str(e) for e in errors[:200]]
        super().__init__("import_invalid", f"文件中有 {len(errors)} 处错误，未导入任何数据，请修改后重新上传",
                         {"file": shown})

    def as_list(self) -> list[dict]:
        return [asdict(e) for e in self.errors]


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    created: int
    updated: int


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value:%Y-%m}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(upload, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number as the user sees it, {column: text}) for every non-empty data row."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # noqa: BLE001 — any unreadable workbook is the same user error
            raise ApplicationError("unreadable_file", "无法读取 XLSX 文件，请确认文件未损坏") from error
        rows = ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True))
    elif filename.lower().endswith(".csv"):
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")  # Excel on Chinese Windows saves CSV as GBK
        rows = ([c.strip() for c in row] for row in csv.reader(io.StringIO(text)))
    else:
        raise ApplicationError("unsupported_file", "仅支持 CSV 或 XLSX 文件", {"file": ["仅支持 CSV 或 XLSX 文件"]})
    header = next(rows, None)
    header = [h.strip().lower() for h in header or []]
    missing = [name for name in HEADER if name not in header]
    if missing:
        raise AttendanceImportError([RowError(1, name, "", "表头缺少该列") for name in missing])
    index = {name: header.index(name) for name in HEADER}
    for line, row in enumerate(rows, start=2):
        if not any(row):
            continue
        yield line, {name: (row[i] if i < len(row) else "") for name, i in index.items()}


def _parse(line: int, row: dict, errors: list[RowError]) -> tuple | None:
    before = len(errors)
    try:
        id_number = validate_id_number(row["id_number"])
    except ValidationError as error:
        errors.append(RowError(line, "id_number", row["id_number"], error.messages[0]))
        id_number = None
    try:
        uscc = validate_uscc(row["institution_uscc"])
    except ValidationError as error:
        errors.append(RowError(line, "institution_uscc", row["institution_uscc"], error.messages[0]))
        uscc = None
    match = MONTH_PATTERN.match(row["month"])
    month = None
    if match and 1 <= int(match.group(2)) <= 12:
        month = date(int(match.group(1)), int(match.group(2)), 1)
    else:
        errors.append(RowError(line, "month", row["month"], "月份格式应为 YYYY-MM，例如 2025-03"))
    days = row["days_present"]
    if not re.fullmatch(r"\d{1,2}", days):
        errors.append(RowError(line, "days_present", days, "出勤天数应为0到31的整数"))
    if len(errors) > before:
        return None
    return id_number, uscc, month, int(days)


def attendance_import(*, user, upload, filename: str) -> ImportSummary:
    """Validate every row; write nothing unless all rows are good. Institutions outside the user's region
    are reported exactly like unknown ones."""
    errors: list[RowError] = []
    parsed: list[tuple[int, dict, tuple]] = []
    for line, row in read_rows(upload, filename):
        if len(parsed) + len(errors) >= MAX_ROWS:
            raise ApplicationError("too_many_rows", f"单个文件最多 {MAX_ROWS} 行，请拆分后上传")
        values = _parse(line, row, errors)
        if values is not None:
            parsed.append((line, row, values))
    if not parsed and not errors:
        raise ApplicationError("empty_file", "文件中没有数据行", {"file": ["文件中没有数据行"]})

    people = dict(Person.objects.filter(id_number__in={v[0] for _l, _r, v in parsed}).values_list("id_number", "id"))
    institutions = {i.uscc: i for i in scope_queryset(Institution.objects.all(), user)
                    .filter(uscc__in={v[1] for _l, _r, v in parsed})}
    enrolments: dict[tuple, list[Enrolment]] = {}
    for enrolment in Enrolment.objects.filter(child_id__in=people.values(),
                                              institution_id__in=[i.pk for i in institutions.values()]):
        enrolments.setdefault((enrolment.child_id, enrolment.institution_id), []).append(enrolment)
    frozen: dict[int, set[int]] = {}
    for institution_id, year in SubsidyClaim.objects.filter(institution__in=institutions.values()).exclude(
            status__in=SubsidyClaim.EDITABLE).values_list("institution_id", "year"):
        frozen.setdefault(institution_id, set()).add(year)

    seen: dict[tuple, int] = {}
    good: list[tuple[Enrolment, date, int]] = []
    for line, row, (id_number, uscc, month, days) in parsed:
        child_id, institution = people.get(id_number), institutions.get(uscc)
        if child_id is None:
            errors.append(RowError(line, "id_number", row["id_number"], "人员库中无此身份证号"))
        if institution is None:
            errors.append(RowError(line, "institution_uscc", row["institution_uscc"], "托育机构不存在或不在您的经办区划"))
        if child_id is None or institution is None:
            continue
        key = (id_number, uscc, month)
        if key in seen:
            errors.append(RowError(line, "month", row["month"], f"与第{seen[key]}行重复（同一婴幼儿、机构、月份）"))
            continue
        seen[key] = line
        candidates = [e for e in enrolments.get((child_id, institution.pk), [])
                      if e.covers(*month_bounds(month.year, month.month))] or enrolments.get((child_id, institution.pk), [])
        if not candidates:
            errors.append(RowError(line, "id_number", row["id_number"], f"该婴幼儿没有在{institution.name}的入托记录"))
            continue
        enrolment = max(candidates, key=lambda e: e.start_date)
        problem = attendance_problem(enrolment=enrolment, month=month, days_present=days,
                                     frozen_years=frozen.get(institution.pk, set()))
        if problem:
            column = "days_present" if "天数" in problem else "month"
            errors.append(RowError(line, column, row[column], problem))
            continue
        good.append((enrolment, month, days))
    if errors:
        raise AttendanceImportError(sorted(errors, key=lambda e: (e.line, HEADER.index(e.column))))
    return _write(good)


@transaction.atomic
def _write(rows: list[tuple[Enrolment, date, int]]) -> ImportSummary:
    existing = {(a.enrolment_id, a.month): a for a in Attendance.objects.select_for_update().filter(
        enrolment_id__in={e.pk for e, _m, _d in rows}, month__in={m for _e, m, _d in rows})}
    new, changed = [], []
    for enrolment, month, days in rows:
        current = existing.get((enrolment.pk, month))
        if current is None:
            new.append(Attendance(enrolment=enrolment, month=month, days_present=days))
        elif current.days_present != days:
            current.days_present = days
            changed.append(current)
    if new:
        bulk_create_with_history(new, Attendance, batch_size=1000)
    if changed:
        bulk_update_with_history(changed, Attendance, ["days_present"], batch_size=1000)
    return ImportSummary(rows=len(rows), created=len(new), updated=len(changed))
