"""Bulk enrolment import (CSV or XLSX), all-or-nothing.

Header: id_number,name,phone,program_code,target_group. Every bad row is reported with its line,
column, value and a Chinese reason, and nothing is written unless every row is good. Persons are
found or created by ID number. Small and self-contained on purpose: a shared import service may
replace the parsing later; the validation and the write stay here.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.scoping import scope_queryset
from apps.core.validators import validate_id_number
from apps.training.models import Enrollment, Program, TargetGroup

HEADER = ["id_number", "name", "phone", "program_code", "target_group"]
# One class is a few dozen trainees; a province-wide list a few thousand. Beyond this, split the file.
MAX_ROWS = 5000
PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
TARGET_GROUPS = {**{key: key for key in TargetGroup.values}, **{str(label): key for key, label in TargetGroup.choices}}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    persons_created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(name: str, content: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        return [["" if cell is None else str(cell).strip() for cell in row]
                for row in sheet.iter_rows(values_only=True)]
    text = content.decode("utf-8-sig")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def enrollment_import(*, user, name: str, content: bytes) -> ImportResult:
    from apps.applicants.services import person_get_or_create
    from apps.training.services import enrollment_register

    result = ImportResult()
    try:
        rows = read_rows(name, content)
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError) as error:
        result.errors.append(RowError(1, "", "", f"无法读取文件，请上传 UTF-8 编码的 CSV 或 XLSX：{error}"))
        return result
    rows = [row for row in rows if any(row)]
    if not rows or [c.lower() for c in rows[0][:len(HEADER)]] != HEADER:
        result.errors.append(RowError(1, "", ",".join(rows[0]) if rows else "", f"表头应为：{','.join(HEADER)}"))
        return result
    if len(rows) - 1 > MAX_ROWS:
        result.errors.append(RowError(1, "", str(len(rows) - 1), f"一次最多导入 {MAX_ROWS} 行，请拆分文件"))
        return result

    codes = {row[3] for row in rows[1:] if len(row) > 3}
    programs = {p.code: p for p in scope_queryset(Program.objects.filter(code__in=codes), user)}
    enrolled = set(Enrollment.objects.filter(program__code__in=codes).values_list(
        "person__id_number", "program__code"))
    seen: dict[tuple, int] = {}
    good = []
    for line, raw in enumerate(rows[1:], start=2):
        row = dict(zip(HEADER, [*raw, *[""] * len(HEADER)], strict=False))
        errors_before = len(result.errors)

        def bad(column: str, reason: str, row=row, line=line) -> None:
            result.errors.append(RowError(line, column, row[column], reason))

        id_number = row["id_number"].upper()
        try:
            validate_id_number(id_number)
        except ValidationError as error:
            bad("id_number", error.messages[0])
        if not row["name"]:
            bad("name", "姓名不能为空")
        if row["phone"] and not PHONE.match(row["phone"]):
            bad("phone", "联系电话格式不正确（11位手机号或带区号的固定电话）")
        program = programs.get(row["program_code"])
        if program is None:
            bad("program_code", "培训项目编号不存在或不在您的经办区划内")
        target_group = TARGET_GROUPS.get(row["target_group"])
        if target_group is None:
            bad("target_group", f"人员类别应为：{'、'.join(str(label) for _, label in TargetGroup.choices)}")
        key = (id_number, row["program_code"])
        if key in enrolled:
            bad("id_number", "该人员已报名此培训项目")
        elif key in seen:
            bad("id_number", f"与第 {seen[key]} 行重复")
        seen.setdefault(key, line)
        if len(result.errors) == errors_before:
            good.append((row, id_number, program, target_group))
    if result.errors:
        return result

    with transaction.atomic():
        for row, id_number, program, target_group in good:
            person, created = person_get_or_create(id_number=id_number, defaults={
                "name": row["name"], "phone": row["phone"], "region_id": program.region_id})
            enrollment_register(person=person, program=program, target_group=target_group, phone=row["phone"],
                                user=user)
            result.created += 1
            result.persons_created += int(created)
    return result
