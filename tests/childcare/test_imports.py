"""Attendance import (the shared import service's `attendance` kind): CSV and XLSX, all-or-nothing, every bad
row reported with line, column, value, reason."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from apps.childcare.models import Attendance
from apps.childcare.services import claims
from apps.imports.models import ImportBatch, ImportIssue
from apps.imports.services import import_file
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory

pytestmark = pytest.mark.django_db
HEADER = "id_number,institution_uscc,month,days_present\n"


def csv_file(text):
    return io.BytesIO((HEADER + text).encode("utf-8"))


def attendance_import(user, handle, name="a.csv"):
    return import_file(kind="attendance", handle=handle, file_name=name, user=user, source="test")


def issues(batch):
    return list(ImportIssue.objects.filter(batch=batch).order_by("line", "id"))


@pytest.fixture
def enrollment():
    return EnrollmentFactory(institution=InstitutionFactory(region_id="220102"), start_date=date(2025, 1, 10),
                            end_date=date(2025, 6, 15))


def test_csv_import_creates_then_updates(caseworker, enrollment):
    kid, uscc = enrollment.child.id_number, enrollment.institution.uscc
    batch = attendance_import(caseworker, csv_file(f"{kid},{uscc},2025-01,12\n{kid},{uscc},2025-6,8\n"))
    assert batch.status == ImportBatch.Status.SUCCEEDED, issues(batch)
    assert (batch.rows_created, batch.rows_updated) == (2, 0)
    batch = attendance_import(caseworker, csv_file(f"{kid},{uscc},2025-01,15\n{kid},{uscc},2025-06,8\n"))
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (0, 1, 1)
    assert Attendance.objects.get(month=date(2025, 1, 1)).days_present == 15
    assert Attendance.objects.get(month=date(2025, 6, 1)).history.count() == 1  # unchanged: not rewritten


def test_reimporting_the_same_file_changes_nothing(caseworker, enrollment):
    text = f"{enrollment.child.id_number},{enrollment.institution.uscc},2025-02,20\n"
    assert attendance_import(caseworker, csv_file(text)).rows_created == 1
    batch = attendance_import(caseworker, csv_file(text))
    assert (batch.status, batch.rows_created, batch.rows_updated, batch.rows_unchanged) == ("succeeded", 0, 0, 1)
    assert Attendance.objects.count() == 1


def test_xlsx_import(caseworker, enrollment):
    book = Workbook()
    sheet = book.active
    sheet.append(["id_number", "institution_uscc", "month", "days_present"])
    sheet.append([enrollment.child.id_number, enrollment.institution.uscc, "2025-03", 20])
    sheet.append([enrollment.child.id_number, enrollment.institution.uscc, date(2025, 4, 1), 18.0])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    batch = attendance_import(caseworker, buffer, "出勤.xlsx")
    assert batch.rows_created == 2, issues(batch)
    assert set(Attendance.objects.values_list("month", "days_present")) == {(date(2025, 3, 1), 20),
                                                                             (date(2025, 4, 1), 18)}


def test_every_bad_row_is_reported_and_nothing_is_written(caseworker, enrollment):
    kid, uscc = enrollment.child.id_number, enrollment.institution.uscc
    outsider = InstitutionFactory(region_id="220204")
    rows = "\n".join([
        f"{kid},{uscc},2025-02,20",  # line 2: good
        f"{kid[:-1]}{'1' if kid[-1] != '1' else '2'},{uscc},2025-02,20",  # 3: bad check digit
        f"{kid},{uscc},2025/03,20",  # 4: bad month format
        f"{kid},{uscc},2025-02,40",  # 5: duplicate of line 2
        f"{kid},{uscc},2025-07,5",  # 6: after leaving
        f"{kid},{outsider.uscc},2025-02,5",  # 7: another region's institution
        f"{kid},{uscc},2025-03,abc",  # 8: not a number
        f"{kid},{uscc},2025-04,31",  # 9: April has 30 days
    ])
    batch = attendance_import(caseworker, csv_file(rows + "\n"))
    assert batch.status == ImportBatch.Status.REJECTED
    found = issues(batch)
    assert {(e.line, e.column) for e in found} == {(3, "id_number"), (4, "month"), (5, "month"), (6, "month"),
                                                   (7, "institution_uscc"), (8, "days_present"), (9, "days_present")}
    assert batch.error_count == len(found) == 7
    reasons = {e.line: e.message for e in found}
    assert "校验位" in reasons[3] and "YYYY-MM" in reasons[4] and "与第 2 行重复" in reasons[5]
    assert "不在该机构在托期内" in reasons[6] and "不在您的经办区划" in reasons[7] and "0到30" in reasons[9]
    assert [e.value for e in found if e.line == 8] == ["abc"]
    assert [e.value for e in found if e.line == 4] == ["2025/03"]
    assert Attendance.objects.count() == 0


def test_missing_header_column_and_empty_file(caseworker):
    batch = attendance_import(caseworker, io.BytesIO(b"id_number,month\n"))
    assert batch.status == ImportBatch.Status.REJECTED
    header_problem = issues(batch)[0]
    assert header_problem.line == 1 and "institution_uscc" in header_problem.message
    assert "days_present" in header_problem.message
    batch = attendance_import(caseworker, io.BytesIO(b""), "a.txt")
    assert batch.status == ImportBatch.Status.REJECTED and "文件为空" in issues(batch)[0].message


def test_gbk_csv_from_excel_is_read(caseworker, enrollment):
    text = HEADER + f"{enrollment.child.id_number},{enrollment.institution.uscc},2025-02,20\n"
    batch = attendance_import(caseworker, io.BytesIO(text.encode("gbk")), "a.CSV")
    assert batch.rows_created == 1, issues(batch)


def test_frozen_year_refuses_attendance(caseworker, supervisor, enrollment):
    claim = claims.claim_compute(institution=enrollment.institution, year=2025, user=caseworker)
    claims.claim_submit(claim=claim, user=caseworker)
    batch = attendance_import(caseworker, csv_file(f"{enrollment.child.id_number},{enrollment.institution.uscc},2025-02,20\n"))
    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e.line, e.column) for e in issues(batch)] == [(2, "month")]
    assert "已提交或已审核" in issues(batch)[0].message
    assert Attendance.objects.count() == 0


def test_unknown_child_and_child_not_enrolled_there(caseworker, enrollment):
    other = InstitutionFactory(region_id="220102")
    stranger = EnrollmentFactory(institution=other, start_date=date(2025, 1, 1)).child.id_number
    from apps.core.demo import make_id_number

    unknown = make_id_number("220102", date(2023, 5, 5), 77, False)
    batch = attendance_import(caseworker, csv_file(f"{unknown},{other.uscc},2025-02,20\n"
                                                   f"{stranger},{enrollment.institution.uscc},2025-02,20\n"))
    reasons = {(e.line, e.column): e.message for e in issues(batch)}
    assert reasons == {(2, "id_number"): "人员库中无此身份证号",
                       (3, "id_number"): f"该婴幼儿没有在{enrollment.institution.name}的入托记录"}
