import io

import pytest
from openpyxl import Workbook

from apps.applicants.models import Person
from apps.core.demo import make_id_number
from apps.imports.models import ImportBatch, ImportIssue
from apps.imports.services import import_file
from apps.training.models import Enrollment
from tests.factories import PersonFactory
from tests.training.conftest import make_program

pytestmark = pytest.mark.django_db

HEADER = "id_number,name,phone,program_code,target_group"


def _id(n: int) -> str:
    from datetime import date

    return make_id_number("220102", date(1988, 1, 1), n, False)


def _csv(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode("utf-8")


def enrollment_import(*, user, name: str, content: bytes) -> ImportBatch:
    return import_file(kind="training_enrollments", handle=io.BytesIO(content), file_name=name, user=user,
                       source="test")


def errors(batch: ImportBatch) -> list[ImportIssue]:
    return list(ImportIssue.objects.filter(batch=batch).order_by("line", "id"))


def test_good_csv_creates_people_and_enrollments(occupations, caseworker):
    program = make_program(occupations, code="JZ-01")
    existing = PersonFactory(region_id="220102")
    content = _csv(f"{_id(1)},张三,13800000001,JZ-01,农民工", f"{existing.id_number},{existing.name},,JZ-01,unemployed")
    result = enrollment_import(user=caseworker, name="list.csv", content=content)
    assert result.status == ImportBatch.Status.SUCCEEDED, errors(result)
    assert result.rows_created == 2 and Person.objects.count() == 2  # one found, one created
    assert Enrollment.objects.filter(program=program).count() == 2
    assert Person.objects.get(id_number=_id(1)).region_id == "220102"
    assert Enrollment.objects.get(person=existing).transitions.get().to_status == "registered"


def test_bad_rows_are_all_reported_and_nothing_is_written(occupations, caseworker, other_caseworker):
    make_program(occupations, code="JZ-01")
    make_program(occupations, code="JL-01", region_id="220204")
    content = _csv(
        f"{_id(1)},张三,13800000001,JZ-01,农民工",  # good
        "220102198801010000,李四,13800000002,JZ-01,农民工",  # bad check digit
        f"{_id(3)},,139,NOPE,外星人",  # four problems
        f"{_id(1)},张三,13800000001,JZ-01,农民工",  # duplicate of line 2
        f"{_id(4)},王五,,JL-01,失业人员",  # other region's program
    )
    result = enrollment_import(user=caseworker, name="list.csv", content=content)
    assert result.status == ImportBatch.Status.REJECTED
    found = {(e.line, e.column) for e in errors(result)}
    assert found == {(3, "id_number"), (4, "name"), (4, "phone"), (4, "program_code"), (4, "target_group"),
                     (5, "id_number"), (6, "program_code")}
    assert result.error_count == 7
    duplicate = next(e for e in errors(result) if e.line == 5)
    assert "第 2 行" in duplicate.message and duplicate.value == f"{_id(1)} / JZ-01"
    reasons = {(e.line, e.column): e.message for e in errors(result)}
    assert reasons[(4, "name")] == "姓名不能为空" and "11位手机号" in reasons[(4, "phone")]
    assert "不在您的经办区划" in reasons[(6, "program_code")] and "农民工" in reasons[(4, "target_group")]
    assert all(e.message for e in errors(result))
    assert not Enrollment.objects.exists() and not Person.objects.exists()


def test_wrong_header_is_refused(caseworker):
    result = enrollment_import(user=caseworker, name="x.csv", content=b"name,id\n1,2\n")
    assert result.status == ImportBatch.Status.REJECTED
    assert {e.line for e in errors(result)} == {1} and "表头" in errors(result)[0].message
    assert any(HEADER in e.message for e in errors(result))  # the expected header is spelled out


def test_xlsx_is_read_the_same_way(occupations, caseworker):
    make_program(occupations, code="JZ-01")
    workbook = Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append([_id(7), "赵六", "13800000007", "JZ-01", "就业困难人员"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = enrollment_import(user=caseworker, name="list.xlsx", content=buffer.getvalue())
    assert result.status == ImportBatch.Status.SUCCEEDED, errors(result)
    assert Enrollment.objects.get().target_group == "employment_difficulty"


def test_already_enrolled_person_is_reported(occupations, caseworker):
    make_program(occupations, code="JZ-01")
    first = enrollment_import(user=caseworker, name="a.csv", content=_csv(f"{_id(1)},张三,,JZ-01,农民工"))
    assert first.status == ImportBatch.Status.SUCCEEDED
    result = enrollment_import(user=caseworker, name="a.csv", content=_csv(f"{_id(1)},张三,,JZ-01,农民工"))
    assert result.status == ImportBatch.Status.REJECTED
    assert [(e.line, e.column, e.message) for e in errors(result)] == [(2, "id_number", "该人员已报名此培训项目")]
    assert Enrollment.objects.count() == 1 and Person.objects.count() == 1


def test_an_import_without_a_user_finds_no_program(occupations):
    """Scoping fails closed: without a user there is no region, so no program is anyone's to enrol into."""
    make_program(occupations, code="JZ-01")
    result = enrollment_import(user=None, name="list.csv", content=_csv(f"{_id(1)},张三,13800000001,JZ-01,农民工"))
    assert result.status == ImportBatch.Status.REJECTED
    assert [(e.line, e.column) for e in errors(result)] == [(2, "program_code")]
    assert not Enrollment.objects.exists()
