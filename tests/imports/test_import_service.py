"""The import service: every bad row reported, nothing written on error, re-import is a no-op."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from apps.employers.models import Contribution, Employer
from apps.imports.models import ImportBatch, ImportIssue
from apps.imports.reports import error_report_csv_lines, error_report_xlsx
from apps.imports.services import import_file, spec_for
from apps.imports.specs import SPECS
from tests.factories import EmployerFactory
from tests.imports.helpers import (
    CONTRIBUTION_HEADER,
    EMPLOYER_HEADER,
    bad_check_digit,
    csv_file,
    employer_row,
    uscc,
    xlsx_file,
)

pytestmark = pytest.mark.django_db


def run(kind, handle, user=None):
    return import_file(kind=kind, handle=handle, file_name=f"{kind}.csv", user=user, source="test")


def issues(batch):
    return list(ImportIssue.objects.filter(batch=batch).order_by("line", "id").values_list("line", "column", "message"))


def test_good_employers_file_imports_and_reimport_changes_nothing():
    handle = csv_file(EMPLOYER_HEADER, employer_row(1), employer_row(2, employees=""))
    batch = run("employers", handle)
    assert batch.status == ImportBatch.Status.SUCCEEDED, issues(batch)
    assert (batch.rows_total, batch.rows_created, batch.rows_updated) == (2, 2, 0)
    employer = Employer.objects.get(uscc=uscc(1))
    assert employer.revenue_10k == Decimal("1200.50") and employer.assets_10k is None
    assert Employer.objects.get(uscc=uscc(2)).employees is None  # empty cell = unknown, not 0
    assert employer.history.count() == 1

    again = run("employers", csv_file(EMPLOYER_HEADER, employer_row(1), employer_row(2, employees="")))
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 2)
    assert Employer.objects.get(uscc=uscc(1)).history.count() == 1


def test_changed_row_updates_with_history():
    run("employers", csv_file(EMPLOYER_HEADER, employer_row(1)))
    batch = run("employers", csv_file(EMPLOYER_HEADER, employer_row(1, name="改名后的单位有限公司")))
    assert (batch.rows_created, batch.rows_updated) == (0, 1)
    employer = Employer.objects.get(uscc=uscc(1))
    assert employer.name == "改名后的单位有限公司"
    assert employer.history.count() == 2


def test_bom_and_chinese_labels_are_accepted():
    row = f"{uscc(3)},标签单位,律师事务所,其他未列明行业,3,,,220102,是"
    batch = run("employers", csv_file(EMPLOYER_HEADER, row, bom=True))
    assert batch.status == ImportBatch.Status.SUCCEEDED, issues(batch)
    employer = Employer.objects.get(uscc=uscc(3))
    assert (employer.entity_type, employer.industry, employer.serious_dishonesty) == ("law_firm", "other", True)


def test_xlsx_file_imports_with_numeric_cells():
    batch = run("employers", xlsx_file(EMPLOYER_HEADER, [uscc(4), "表格单位", "enterprise", "retail", 12, 300.5, None,
                                                          220102, 0]))
    assert batch.status == ImportBatch.Status.SUCCEEDED, issues(batch)
    employer = Employer.objects.get(uscc=uscc(4))
    assert employer.employees == 12 and employer.revenue_10k == Decimal("300.50")


def test_wrong_header_is_reported_and_nothing_imported():
    batch = run("employers", csv_file("uscc,name,kind", employer_row(1)))
    assert batch.status == ImportBatch.Status.REJECTED
    messages = " ".join(m for _, _, m in issues(batch))
    assert "表头缺少列" in messages and "entity_type" in messages and "表头有未知的列：kind" in messages
    assert not Employer.objects.exists()


def test_every_bad_row_is_reported_and_nothing_is_written():
    rows = [
        employer_row(1),                                                            # line 2: good
        f"{bad_check_digit(uscc(2))},坏单位,enterprise,industry,5,,,220102,0",         # 3: check digit
        f"{uscc(3)},负数单位,enterprise,industry,-5,,,220102,0",                       # 4: negative employees
        f"{uscc(4)},区划单位,enterprise,industry,5,,,999999,0",                        # 5: unknown region
        f"{uscc(5)},类型单位,company,industry,5,1.234,,220102,maybe",                  # 6: three problems
        employer_row(1),                                                            # 7: duplicate key
        f"{uscc(6)},,enterprise,industry,5,,,220102,0",                                # 8: name missing
    ]
    batch = run("employers", csv_file(EMPLOYER_HEADER, *rows))
    assert batch.status == ImportBatch.Status.REJECTED
    found = issues(batch)
    assert {line for line, _, _ in found} == {3, 4, 5, 6, 7, 8}
    assert (3, "uscc", "统一社会信用代码：统一社会信用代码校验位错误") in found
    assert (4, "employees", "从业人员数：不能为负数") in found
    assert any(line == 5 and "区划代码不存在" in m for line, _, m in found)
    assert {column for line, column, _ in found if line == 6} == {"entity_type", "revenue_10k", "serious_dishonesty"}
    assert any(line == 7 and "重复" in m for line, _, m in found)
    assert (8, "name", "单位名称不能为空") in found
    assert batch.error_count == len(found) == 8
    assert not Employer.objects.exists()  # the good row was not written either


def chinese_header(kind: str, header: str) -> str:
    labels = {column.name: column.label for column in spec_for(kind).columns}
    return ",".join(labels[name] for name in header.split(","))


@pytest.mark.parametrize(("encoding", "bom", "labels"), [
    ("utf-8", False, False), ("utf-8", True, False), ("utf-8", False, True), ("utf-8", True, True),
    ("gbk", False, False), ("gbk", False, True), ("gb18030", False, True),
])
def test_utf8_with_or_without_bom_gbk_and_gb18030_with_codes_or_chinese_headers(encoding, bom, labels):
    """Issue 15: every kind takes UTF-8 (with or without a BOM) and GBK/GB18030, its header in codes or in the
    Chinese labels of the downloadable template; the rows come out the same."""
    header = chinese_header("employers", EMPLOYER_HEADER) if labels else EMPLOYER_HEADER
    handle = csv_file(header, employer_row(1, name="吉林汇通商贸有限公司"), bom=bom, encoding=encoding)
    batch = run("employers", handle)
    assert batch.status == ImportBatch.Status.SUCCEEDED, issues(batch)
    assert list(Employer.objects.values_list("name", flat=True)) == ["吉林汇通商贸有限公司"]


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_kind_reads_gbk_with_chinese_headers(kind):
    """The header and the encoding pass for every registered kind (its rows may still need records that
    this test does not create, so only line 1 is checked)."""
    columns = spec_for(kind).columns
    header = ",".join(column.label for column in columns)
    batch = run(kind, csv_file(header, ",".join("张" for _ in columns), encoding="gbk"))
    assert not [issue for issue in issues(batch) if issue[0] == 1], issues(batch)
    assert "编码" not in batch.message


def test_a_header_in_neither_codes_nor_labels_names_both():
    batch = run("employers", csv_file("uscc,单位名称X", employer_row(1)))
    messages = " ".join(message for _, _, message in issues(batch))
    assert batch.status == ImportBatch.Status.REJECTED and "单位名称X" in messages
    assert "统一社会信用代码（uscc）" not in messages  # present: only the missing ones are named
    assert "或中文：" in messages


def test_a_file_in_neither_encoding_is_an_encoding_error():
    batch = run("employers", io.BytesIO(EMPLOYER_HEADER.encode() + b"\n\xff\xfe\xfd,\x81\x30\n"))
    assert batch.status == ImportBatch.Status.REJECTED
    (line, _, message), = issues(batch)
    assert "不是 UTF-8" in message and "GB18030" in message
    assert not Employer.objects.exists()


def test_empty_and_header_only_files_are_rejected():
    import io

    assert run("employers", io.BytesIO(b"")).status == ImportBatch.Status.REJECTED
    batch = run("employers", csv_file(EMPLOYER_HEADER))
    assert batch.status == ImportBatch.Status.REJECTED and "没有数据行" in batch.message


def test_caseworker_cannot_import_another_region(caseworker):
    other = EmployerFactory(region_id="220204")
    rows = [employer_row(1, region="220204"),
            f"{other.uscc},接管单位,enterprise,industry,5,,,220102,0"]
    batch = run("employers", csv_file(EMPLOYER_HEADER, *rows), user=caseworker)
    found = issues(batch)
    assert any(line == 2 and "不在您的经办范围" in m for line, _, m in found)
    assert any(line == 3 and "已登记在区划 220204" in m for line, _, m in found)
    assert Employer.objects.count() == 1
    assert batch.created_by == caseworker and batch.scope_prefix == "220102"



def test_user_without_a_region_may_not_import(db):
    from apps.core.exceptions import ApplicationError
    from tests.factories import UserFactory

    with pytest.raises(ApplicationError) as caught:
        run("employers", csv_file(EMPLOYER_HEADER, employer_row(1)), user=UserFactory(region_id=None))
    assert caught.value.code == "permission_denied"
    assert not ImportBatch.objects.exists() and not Employer.objects.exists()


def test_every_kind_is_registered_by_the_app_that_owns_its_rows():
    from apps.imports.specs import SPECS

    owners = {kind: type(spec).__module__ for kind, spec in SPECS.items()}
    assert owners == {"employers": "apps.employers.imports", "contributions": "apps.employers.imports",
                      "applicants": "apps.applicants.imports", "attendance": "apps.childcare.attendance_import",
                      "training_enrollments": "apps.training.imports", "payment_returns": "apps.payments.imports",
                      "startup_loan_repayments": "apps.startup_loans.imports"}

# --- Contributions ----------------------------------------------------------------------------------------

def contribution_row(code, period="2025-01", headcount="30", due="3000.00", employer="2100.00", employee="900.00",
                     late=""):
    return f"{code},{period},{headcount},{due},{employer},{employee},{late}"


def test_contributions_import_links_batch_and_reimport_is_noop():
    employer = EmployerFactory()
    handle = csv_file(CONTRIBUTION_HEADER, contribution_row(employer.uscc, "2025-01"),
                      contribution_row(employer.uscc, "2025-02", late="12.5"))
    batch = run("contributions", handle)
    assert batch.status == ImportBatch.Status.SUCCEEDED, issues(batch)
    rows = list(Contribution.objects.order_by("period"))
    assert [r.period for r in rows] == [date(2025, 1, 1), date(2025, 2, 1)]
    assert rows[0].late_fee == Decimal("0.00") and rows[1].late_fee == Decimal("12.50")
    assert {r.import_batch_id for r in rows} == {batch.pk}
    assert all(isinstance(r.amount_due, Decimal) for r in rows)

    again = run("contributions", csv_file(CONTRIBUTION_HEADER, contribution_row(employer.uscc, "2025-01"),
                                          contribution_row(employer.uscc, "2025-02", late="12.5")))
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 2)
    assert set(Contribution.objects.values_list("import_batch_id", flat=True)) == {batch.pk}

    changed = run("contributions", csv_file(CONTRIBUTION_HEADER, contribution_row(employer.uscc, "2025-01",
                                                                                  employer="2000.00")))
    assert (changed.rows_created, changed.rows_updated) == (0, 1)
    assert Contribution.objects.get(period=date(2025, 1, 1)).import_batch_id == changed.pk


def test_bad_contribution_rows_are_all_reported():
    employer = EmployerFactory()
    rows = [
        contribution_row(employer.uscc, "2025-13"),                  # 2: bad month
        contribution_row(employer.uscc, "2025/01"),                  # 3: bad format
        contribution_row(employer.uscc, "2025-03", due="-10"),       # 4: negative amount
        contribution_row(employer.uscc, "2025-04", employee="1.005"),  # 5: three decimals
        contribution_row(uscc(99), "2025-05"),                       # 6: unknown employer
        contribution_row(employer.uscc, "2025-06"),                  # 7: good
        contribution_row(employer.uscc, "2025-06"),                  # 8: duplicate (employer, period)
        contribution_row(employer.uscc, "2025-07", headcount="x"),   # 9: not an integer
    ]
    batch = run("contributions", csv_file(CONTRIBUTION_HEADER, *rows))
    found = issues(batch)
    by_line = {line: (column, message) for line, column, message in found}
    assert set(by_line) == {2, 3, 4, 5, 6, 8, 9}
    assert by_line[2] == ("period", "所属期：所属期的月份应在 01 到 12 之间")
    assert by_line[3][0] == "period" and "YYYY-MM" in by_line[3][1]
    assert by_line[4] == ("amount_due", "应缴金额：金额不能为负数")
    assert by_line[5] == ("paid_employee", "个人实缴：金额最多保留两位小数")
    assert by_line[6] == ("uscc", "统一社会信用代码未登记：请先导入或登记该用人单位")
    assert "重复" in by_line[8][1]
    assert by_line[9][0] == "insured_headcount"
    assert not Contribution.objects.exists()


def test_contribution_of_employer_in_other_region_is_refused(caseworker):
    other = EmployerFactory(region_id="220204")
    batch = run("contributions", csv_file(CONTRIBUTION_HEADER, contribution_row(other.uscc)), user=caseworker)
    assert batch.status == ImportBatch.Status.REJECTED
    assert "不在您的经办范围" in issues(batch)[0][2]


def test_write_happens_in_chunks_across_many_rows(settings, monkeypatch):
    from apps.imports import services

    monkeypatch.setattr(services, "CHUNK_ROWS", 7)
    employer = EmployerFactory()
    months = [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in range(30)]
    batch = run("contributions", csv_file(CONTRIBUTION_HEADER, *[contribution_row(employer.uscc, m) for m in months]))
    assert batch.rows_created == 30 and Contribution.objects.count() == 30


# --- Reports and the command ---------------------------------------------------------------------------------

def test_error_report_csv_and_xlsx_hold_every_issue():
    batch = run("employers", csv_file(EMPLOYER_HEADER, f"{bad_check_digit(uscc(1))},x,enterprise,industry,,,,220102,0",
                                      f"{uscc(2)},y,enterprise,industry,-1,,,220102,0"))
    text = "".join(error_report_csv_lines(batch))
    assert text.startswith("\ufeff行号,列,内容,原因")
    assert "校验位错误" in text and "不能为负数" in text
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(error_report_xlsx(batch))).active
    assert sheet.max_row == 3


def test_management_command_prints_every_error_and_fails(tmp_path, capsys):
    path = tmp_path / "employers.csv"
    path.write_text("\n".join([EMPLOYER_HEADER, f"{bad_check_digit(uscc(1))},x,enterprise,industry,,,,220102,0",
                               f"{uscc(2)},y,enterprise,industry,-1,,,220102,0"]), encoding="utf-8")
    report = tmp_path / "errors.csv"
    with pytest.raises(CommandError, match="发现 2 处错误"):
        call_command("import_employers", str(path), "--error-report", str(report))
    err = capsys.readouterr().err
    assert "校验位错误" in err and "不能为负数" in err
    assert report.read_text(encoding="utf-8-sig").count("\n") == 3


def test_management_commands_import_good_files(tmp_path, capsys):
    employers = tmp_path / "e.csv"
    employers.write_text("\n".join([EMPLOYER_HEADER, employer_row(1)]), encoding="utf-8-sig")
    call_command("import_employers", str(employers))
    contributions = tmp_path / "c.csv"
    contributions.write_text("\n".join([CONTRIBUTION_HEADER, contribution_row(uscc(1))]), encoding="utf-8")
    call_command("import_contributions", str(contributions))
    assert "导入成功" in capsys.readouterr().out
    assert Contribution.objects.count() == 1


def test_sample_files_in_fixtures_import_cleanly():
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "fixtures" / "samples"
    for kind in ("employers", "contributions", "applicants"):
        for suffix in ("csv", "xlsx"):
            path = samples / f"{kind}.{suffix}"
            if not path.exists():
                continue
            with path.open("rb") as handle:
                batch = import_file(kind=kind, handle=handle, file_name=path.name)
            assert batch.status == ImportBatch.Status.SUCCEEDED, (path, issues(batch))


def test_every_import_kind_has_a_registered_spec():
    from apps.imports.services import spec_for
    from apps.imports.spec import RowSpec
    from apps.imports.specs import register

    assert {kind: spec_for(kind).kind for kind in ImportBatch.Kind.values} == {k: k for k in ImportBatch.Kind.values}

    class Impostor(RowSpec):
        kind = "attendance"

    with pytest.raises(ValueError, match="already registered"):
        register(Impostor())


def test_the_error_report_carries_formula_cells_as_text():
    from openpyxl import load_workbook

    from tests.core.test_formula_injection import PAYLOADS

    payloads = [p for p in PAYLOADS if not p[0].isspace()]
    rows = [f'{uscc(i)},导入测试单位{i},enterprise,industry,"{p.replace(chr(34), chr(34) * 2)}",,,220102,0'
            for i, p in enumerate(payloads, start=1)]
    batch = run("employers", csv_file(EMPLOYER_HEADER, *rows))
    assert batch.status == ImportBatch.Status.REJECTED
    report = list(csv.reader(io.StringIO("".join(error_report_csv_lines(batch)).lstrip("\ufeff"), newline="")))
    assert [row[2] for row in report[1:]] == ["'" + p for p in payloads]
    sheet = load_workbook(io.BytesIO(error_report_xlsx(batch))).active
    cells = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ["'" + p for p in payloads]
    assert {cell.data_type for cell in cells} == {"s"}


def _employer_cells(serial: int) -> list:
    return [uscc(serial), f"表格单位{serial}", "enterprise", "retail", 12, 300.5, None, "220102", "否"]


@pytest.mark.parametrize("declared", ["A1:I3", "A1:C3", "A1"])
def test_xlsx_whose_declared_dimension_is_smaller_than_its_data_imports_every_row(declared):
    from tests.imports.helpers import shrink_dimension

    handle = shrink_dimension(xlsx_file(EMPLOYER_HEADER, *[_employer_cells(i) for i in range(1, 26)]), declared)
    batch = run("employers", handle)
    assert batch.status == ImportBatch.Status.SUCCEEDED, issues(batch)
    assert (batch.rows_total, batch.rows_created) == (25, 25)
    assert Employer.objects.count() == 25 and Employer.objects.get(uscc=uscc(25)).region_id == "220102"


def test_a_second_read_that_sees_fewer_rows_fails_the_batch_and_writes_nothing(monkeypatch):
    from apps.imports import services

    real = services.iter_rows
    reads = []

    def flaky(handle, **kwargs):
        reads.append(1)
        rows = real(handle, **kwargs)
        if len(reads) == 1:
            yield from rows
        else:  # the second pass loses the last row
            yield from list(rows)[:-1]

    monkeypatch.setattr(services, "iter_rows", flaky)
    batch = run("employers", csv_file(EMPLOYER_HEADER, employer_row(1), employer_row(2), employer_row(3)))
    assert batch.status == ImportBatch.Status.FAILED and "行数" in batch.message
    assert not Employer.objects.exists()
