"""Issue 13, hole 4: a valid 身份证号 is never refused for its birthplace code.

python-stdnum's cn.ric checks the birthplace code against the years it was in force (南关区 220102 from
1983), so everyone born in Changchun before 1983 was refused. Every number whose date and check digit are
valid is accepted; a code the table does not know for that year is recorded (birthplace_known=False).
The numbers below are built by hand (birthplace + date + sequence + check digit), never through the
validator under test, for every decade from 1930 to 2020 in every region of the fixture.
"""

import csv
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from stdnum.cn import ric

from apps.applicants.models import Person
from apps.applicants.services import person_save
from apps.core.validators import id_number_facts, validate_id_number
from apps.imports.models import ImportBatch, ImportIssue
from apps.imports.services import import_file
from tests.imports.helpers import APPLICANT_HEADER, csv_file

REGIONS = [row["code"] for row in csv.DictReader((Path(settings.BASE_DIR) / "fixtures/regions_jilin.csv").open())]
DECADES = list(range(1930, 2021, 10))


def raw_id(place: str, birth: date, sequence: int = 1) -> str:
    body = f"{place}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def ids_of_every_decade() -> list[tuple[str, date, str]]:
    return [(code, date(year, 6, 15), raw_id(code, date(year, 6, 15), i % 900 + 1))
            for i, (code, year) in enumerate((c, y) for c in REGIONS for y in DECADES)]


def test_the_fixture_has_every_region_and_the_old_numbers_were_refused_by_the_library():
    assert len(REGIONS) == 70
    assert not ric.is_valid(raw_id("220102", date(1960, 3, 1)))  # the cause: stdnum's validity periods


@pytest.mark.parametrize("decade", DECADES)
def test_validator_accepts_every_region_in_every_decade(decade):
    refused = []
    for code in REGIONS:
        number = raw_id(code, date(decade, 6, 15))
        try:
            assert validate_id_number(number) == number
        except Exception as error:  # noqa: BLE001 — collect them all, report the list
            refused.append((code, repr(error)))
    assert refused == []


def test_facts_record_a_birthplace_the_table_does_not_know_for_that_year():
    old = id_number_facts(raw_id("220102", date(1960, 3, 1)))
    assert (old.birth_date, old.birthplace_code, old.birthplace_known) == (date(1960, 3, 1), "220102", False)
    new = id_number_facts(raw_id("220102", date(1990, 3, 1)))
    assert (new.birthplace_code, new.birthplace_known) == ("220102", True)
    unknown = id_number_facts(raw_id("229999", date(1990, 3, 1)))  # no such code at all
    assert (unknown.birthplace_code, unknown.birthplace_known) == ("229999", False)


@pytest.mark.parametrize(("number", "code"), [
    (raw_id("220102", date(1960, 3, 1))[:-1] + ("0" if raw_id("220102", date(1960, 3, 1))[-1] != "0" else "1"),
     "invalid_checksum"),
    ("22010219590230001" + ric.calc_check_digit("220102195902300010"), "invalid_component"),  # 30 February
])
def test_a_bad_check_digit_or_date_of_an_old_number_is_still_refused(number, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert error.value.code == code


@pytest.mark.django_db
def test_person_service_registers_every_region_in_every_decade(province_admin):
    for code, birth, number in ids_of_every_decade():
        person = person_save(person=Person(id_number=number, name="老住户", region_id="220102"), user=province_admin)
        assert (person.birth_date, person.birthplace_code) == (birth, code)
    assert Person.objects.count() == len(REGIONS) * len(DECADES)
    nanguan_1960 = Person.objects.get(birthplace_code="220102", birth_date=date(1960, 6, 15))
    nanguan_1990 = Person.objects.get(birthplace_code="220102", birth_date=date(1990, 6, 15))
    assert (nanguan_1960.birthplace_known, nanguan_1990.birthplace_known) == (False, True)


@pytest.mark.django_db
def test_applicants_import_accepts_every_region_in_every_decade():
    rows = [f"{number},老住户,,,,220102,," for _, _, number in ids_of_every_decade()]
    batch = import_file(kind="applicants", handle=csv_file(APPLICANT_HEADER, *rows), file_name="people.csv",
                        user=None)
    assert batch.status == ImportBatch.Status.SUCCEEDED, list(ImportIssue.objects.values_list("message", flat=True)[:5])
    assert batch.rows_created == len(REGIONS) * len(DECADES)


@pytest.mark.django_db
def test_api_registers_every_region_in_every_decade(api_for, province_admin):
    api = api_for(province_admin)
    for code, birth, number in ids_of_every_decade():
        response = api.post("/api/v1/applicants/", {"id_number": number, "name": "老住户", "region_code": "220102"},
                            format="json")
        assert response.status_code == 201, (code, birth, response.json())
        assert (response.json()["birth_date"], response.json()["birthplace_code"]) == (birth.isoformat(), code)
