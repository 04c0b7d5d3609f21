from datetime import date

import pytest

from apps.applicants.models import DuplicateCandidate, Person, StatusTag
from apps.imports.models import ImportBatch, ImportIssue
from apps.imports.services import import_file
from tests.factories import PersonFactory
from tests.imports.helpers import APPLICANT_HEADER, bad_check_digit, csv_file, person_id

pytestmark = pytest.mark.django_db


def run(handle, user=None):
    return import_file(kind="applicants", handle=handle, file_name="people.csv", user=user)


def test_people_import_derives_facts_upserts_tags_and_is_idempotent():
    number = person_id(1, female=True)
    row = f"{number},李秀英,13900000001,农村,220102,220102,南关区某街1号,灵活就业:2024-03-01;低保:2023-01-01~2025-12-31"
    batch = run(csv_file(APPLICANT_HEADER, row))
    assert batch.status == ImportBatch.Status.SUCCEEDED, list(ImportIssue.objects.values_list("message", flat=True))
    person = Person.objects.get(id_number=number)
    assert (person.birth_date, person.sex, person.id_last4, person.hukou_type) == (date(1988, 4, 9), "F",
                                                                                    number[-4:], "rural")
    tags = {(t.tag, t.until) for t in StatusTag.objects.filter(person=person)}
    assert tags == {("flexible_employment", None), ("minimum_living", date(2025, 12, 31))}

    again = run(csv_file(APPLICANT_HEADER, row))
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 1)
    assert Person.objects.count() == 1 and StatusTag.objects.count() == 2


def test_existing_person_is_found_not_duplicated():
    existing = PersonFactory()
    batch = run(csv_file(APPLICANT_HEADER, f"{existing.id_number},{existing.name},,,,220102,,"))
    assert batch.rows_created == 0 and Person.objects.count() == 1


def test_possible_duplicate_without_id_match_is_listed():
    first = PersonFactory(name="王伟", phone="13911112222")
    other_number = person_id(77)  # same birth date 1988-04-09 is not first's: build one that matches
    first.birth_date = date(1988, 4, 9)
    first.save()
    run(csv_file(APPLICANT_HEADER, f"{other_number},王伟,13911112222,,,220102,,"))
    candidate = DuplicateCandidate.objects.get()
    assert candidate.other_id == first.pk and candidate.status == "open"


def test_bad_applicant_rows_are_reported():
    rows = [f"{bad_check_digit(person_id(1))},甲,,,,220102,,",
            f"{person_id(2)},乙,abc,城里,,220102,,",
            f"{person_id(3)},丙,,,,220102,,灵活就业2024-01-01",
            f"{person_id(4)},丁,,,,220102,,未知类别:2024-01-01"]
    batch = run(csv_file(APPLICANT_HEADER, *rows))
    found = list(ImportIssue.objects.filter(batch=batch).values_list("line", "column"))
    assert set(found) == {(2, "id_number"), (3, "phone"), (3, "hukou_type"), (4, "status_tags"), (5, "status_tags")}
    assert not Person.objects.exists()


def test_caseworker_cannot_overwrite_a_person_registered_in_another_region(caseworker):
    elsewhere = PersonFactory(region_id="220204", name="船营原名")
    batch = run(csv_file(APPLICANT_HEADER, f"{elsewhere.id_number},改名,,,,220102,,"), user=caseworker)
    found = [(i.line, i.column, i.message) for i in ImportIssue.objects.filter(batch=batch)]
    assert found == [(2, "id_number", "该人员已登记在区划 220204，不在您的经办范围内，不能修改")]
    elsewhere.refresh_from_db()
    assert (elsewhere.name, elsewhere.region_id) == ("船营原名", "220204")
