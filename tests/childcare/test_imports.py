"""Attendance import: CSV and XLSX, all-or-nothing, every bad row reported with line, column, value, reason."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from apps.childcare import claims
from apps.childcare.imports import AttendanceImportError, attendance_import
from apps.childcare.models import Attendance
from apps.core.exceptions import ApplicationError
from tests.childcare.factories import EnrolmentFactory, InstitutionFactory

pytestmark = pytest.mark.django_db
HEADER = "id_number,institution_uscc,month,days_present\n"


def csv_file(text):
    return io.BytesIO((HEADER + text).encode("utf-8"))


@pytest.fixture
def enrolment():
    return EnrolmentFactory(institution=InstitutionFactory(region_id="220102"), start_date=date(2025, 1, 10),
                            end_date=date(2025, 6, 15))


def test_csv_import_creates_then_updates(caseworker, enrolment):
    kid, uscc = enrolment.child.id_number, enrolment.institution.uscc
    summary = attendance_import(user=caseworker, upload=csv_file(f"{kid},{uscc},2025-01,12\n{kid},{uscc},2025-6,8\n"),
                                filename="a.csv")
    assert (summary.created, summary.updated) == (2, 0)
    summary = attendance_import(user=caseworker, upload=csv_file(f"{kid},{uscc},2025-01,15\n"), filename="a.csv")
    assert (summary.created, summary.updated) == (0, 1)
    assert Attendance.objects.get(month=date(2025, 1, 1)).days_present == 15


def test_xlsx_import(caseworker, enrolment):
    book = Workbook()
    sheet = book.active
    sheet.append(["id_number", "institution_uscc", "month", "days_present"])
    sheet.append([enrolment.child.id_number, enrolment.institution.uscc, "2025-03", 20])
    sheet.append([enrolment.child.id_number, enrolment.institution.uscc, date(2025, 4, 1), 18.0])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert attendance_import(user=caseworker, upload=buffer, filename="出勤.xlsx").created == 2


def test_every_bad_row_is_reported_and_nothing_is_written(caseworker, enrolment):
    kid, uscc = enrolment.child.id_number, enrolment.institution.uscc
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
    with pytest.raises(AttendanceImportError) as error:
        attendance_import(user=caseworker, upload=csv_file(rows + "\n"), filename="a.csv")
    found = {(e.line, e.column) for e in error.value.errors}
    assert found == {(3, "id_number"), (4, "month"), (5, "month"), (6, "month"), (7, "institution_uscc"),
                     (8, "days_present"), (9, "days_present")}
    reasons = {e.line: e.reason for e in error.value.errors}
    assert "校验位" in reasons[3] and "YYYY-MM" in reasons[4] and "重复" in reasons[5]
    assert "不在该机构在托期内" in reasons[6] and "不在您的经办区划" in reasons[7] and "0到30" in reasons[9]
    assert [e.value for e in error.value.errors if e.line == 8] == ["abc"]
    assert Attendance.objects.count() == 0


def test_missing_header_column_and_wrong_type(caseworker):
    with pytest.raises(AttendanceImportError) as error:
        attendance_import(user=caseworker, upload=io.BytesIO(b"id_number,month\n"), filename="a.csv")
    assert {e.column for e in error.value.errors} == {"institution_uscc", "days_present"}
    with pytest.raises(ApplicationError):
        attendance_import(user=caseworker, upload=io.BytesIO(b""), filename="a.txt")


def test_gbk_csv_from_excel_is_read(caseworker, enrolment):
    text = HEADER + f"{enrolment.child.id_number},{enrolment.institution.uscc},2025-02,20\n"
    assert attendance_import(user=caseworker, upload=io.BytesIO(text.encode("gbk")), filename="a.CSV").created == 1


def test_frozen_year_refuses_attendance(caseworker, supervisor, enrolment):
    claim = claims.claim_compute(institution=enrolment.institution, year=2025, user=caseworker)
    claims.claim_submit(claim=claim, user=caseworker)
    upload = csv_file(f"{enrolment.child.id_number},{enrolment.institution.uscc},2025-02,20\n")
    with pytest.raises(AttendanceImportError) as error:
        attendance_import(user=caseworker, upload=upload, filename="a.csv")
    assert "已提交或已审核" in error.value.errors[0].reason
