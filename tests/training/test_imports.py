import io

import pytest
from openpyxl import Workbook

from apps.applicants.models import Person
from apps.core.demo import make_id_number
from apps.training.imports import enrollment_import
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


def test_good_csv_creates_people_and_enrollments(occupations, caseworker):
    program = make_program(occupations, code="JZ-01")
    existing = PersonFactory(region_id="220102")
    content = _csv(f"{_id(1)},张三,13800000001,JZ-01,农民工", f"{existing.id_number},{existing.name},,JZ-01,unemployed")
    result = enrollment_import(user=caseworker, name="list.csv", content=content)
    assert result.ok, result.errors
    assert (result.created, result.persons_created) == (2, 1)
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
    found = {(e.line, e.column) for e in result.errors}
    assert found == {(3, "id_number"), (4, "name"), (4, "phone"), (4, "program_code"), (4, "target_group"),
                     (5, "id_number"), (6, "program_code")}
    duplicate = next(e for e in result.errors if e.line == 5)
    assert "第 2 行" in duplicate.reason and duplicate.value == _id(1)
    assert all(e.reason for e in result.errors)
    assert not Enrollment.objects.exists() and not Person.objects.exists()


def test_wrong_header_is_refused(caseworker):
    result = enrollment_import(user=caseworker, name="x.csv", content=b"name,id\n1,2\n")
    assert [e.line for e in result.errors] == [1] and "表头" in result.errors[0].reason


def test_xlsx_is_read_the_same_way(occupations, caseworker):
    make_program(occupations, code="JZ-01")
    workbook = Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append([_id(7), "赵六", "13800000007", "JZ-01", "就业困难人员"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = enrollment_import(user=caseworker, name="list.xlsx", content=buffer.getvalue())
    assert result.ok and Enrollment.objects.get().target_group == "employment_difficulty"


def test_already_enrolled_person_is_reported(occupations, caseworker):
    make_program(occupations, code="JZ-01")
    assert enrollment_import(user=caseworker, name="a.csv", content=_csv(f"{_id(1)},张三,,JZ-01,农民工")).ok
    result = enrollment_import(user=caseworker, name="a.csv", content=_csv(f"{_id(1)},张三,,JZ-01,农民工"))
    assert result.errors[0].reason == "该人员已报名此培训项目"
