from datetime import date

import pytest
from django.urls import reverse

from apps.applicants.models import DuplicateCandidate, HouseholdMember, Person, StatusTag
from apps.applicants.selectors import person_children
from apps.applicants.services import duplicate_merge, household_add_member, person_save
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.models import AccessLog
from tests.factories import EnrollmentFactory, PersonFactory, StatusTagFactory
from tests.imports.helpers import person_id
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db


def test_person_save_derives_facts_from_id_number():
    person = person_save(person=Person(id_number=person_id(5, female=True).lower(), name="赵敏", region_id="220102"))
    assert person.sex == "F" and person.birth_date.isoformat() == "1988-04-09"
    assert person.id_last4 == person.id_number[-4:] and person.birthplace_code == "220102"


def test_duplicate_id_number_is_a_conflict():
    existing = PersonFactory()
    with pytest.raises(ConflictError):
        person_save(person=Person(id_number=existing.id_number, name="另一个", region_id="220102"))


def test_caseworker_cannot_register_in_other_region(caseworker):
    with pytest.raises(ApplicationError, match="经办范围"):
        person_save(person=Person(id_number=person_id(6), name="钱", region_id="220204"), user=caseworker)


def test_household_children_and_merge_of_duplicates(caseworker):
    parent = PersonFactory()
    child = PersonFactory(birth=parent.birth_date.replace(year=2024))
    household_add_member(person=parent, member=child, relation=HouseholdMember.Relation.CHILD)
    assert person_children(person=parent) == [child]
    assert person_children(person=child) == []

    twin = PersonFactory(name=parent.name, phone="13800000000")
    parent.phone = "13800000000"
    parent.save()
    StatusTagFactory(person=twin, tag=StatusTag.Tag.MINIMUM_LIVING)
    EnrollmentFactory(person=twin)
    candidate = DuplicateCandidate.objects.create(person=twin, other=parent, other_id_number=parent.id_number)
    duplicate_merge(candidate=candidate, keep=parent, user=caseworker)
    assert not Person.objects.filter(pk=twin.pk).exists()
    assert parent.status_tags.filter(tag="minimum_living").exists() and parent.enrollments.count() == 1
    candidate.refresh_from_db()
    assert candidate.status == "merged" and candidate.resolved_by == caseworker


def test_new_entry_with_same_name_birth_and_phone_is_flagged():
    first = person_save(person=Person(id_number=person_id(10), name="孙立", phone="13700000000", region_id="220102"))
    second = person_save(person=Person(id_number=person_id(11), name="孙立", phone="13700000000", region_id="220102"))
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.person, candidate.other) == (second, first)


# --- Search, list, detail ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query_of", [
    lambda p: p.id_number,                                   # full ID
    lambda p: p.id_number[-4:],                              # last four
    lambda p: f"{p.id_number[:4]}**********{p.id_number[-4:]}",  # masked, as the list shows it
    lambda p: p.name[:2],                                    # name prefix
])
def test_api_search_finds_person(api_for, caseworker, query_of):
    target = PersonFactory(name="欧阳娜娜")
    PersonFactory(name="李四")
    results = api_for(caseworker).get("/api/v1/applicants/", {"q": query_of(target)}).json()["results"]
    assert [r["id"] for r in results] == [target.pk]
    assert "*" in results[0]["id_number"]  # lists are masked


def test_list_page_has_no_n_plus_one(client_for, caseworker):
    client = client_for(caseworker)
    # session, user, user's region, count, page, open-duplicates count, the user's saved filters — none per row
    # (5 people and 15)
    response = assert_queries_constant(lambda: client.get(reverse("applicants:list"), {"ordering": "-birth_date"}),
                                       PersonFactory.create_batch, n=5, exactly=7)
    assert response.status_code == 200 and response.content.decode().count("applicants/") >= 15


def test_api_list_query_count(api_for, caseworker):
    api = api_for(caseworker)
    response = assert_queries_constant(lambda: api.get("/api/v1/applicants/", {"tag": ""}),
                                       PersonFactory.create_batch, n=5, exactly=2)  # count + page, 5 rows or 15
    assert len(response.json()["results"]) == 15


def test_tag_filter_only_current_tags(api_for, caseworker):
    current = StatusTagFactory(tag=StatusTag.Tag.MINIMUM_LIVING).person
    from datetime import date

    StatusTagFactory(tag=StatusTag.Tag.MINIMUM_LIVING, until=date(2024, 6, 1))
    results = api_for(caseworker).get("/api/v1/applicants/", {"tag": "minimum_living"}).json()["results"]
    assert [r["id"] for r in results] == [current.pk]


def test_detail_is_logged_and_scoped(client_for, api_for, caseworker, other_caseworker):
    person = PersonFactory()
    StatusTagFactory(person=person)
    response = client_for(caseworker).get(reverse("applicants:detail", args=[person.pk]))
    assert response.status_code == 200 and "灵活就业" in response.content.decode()
    assert AccessLog.objects.filter(object_id=str(person.pk), action="view").count() == 1
    body = api_for(caseworker).get(f"/api/v1/applicants/{person.pk}/").json()
    assert body["id_number"] == person.id_number and body["status_tags"][0]["tag"] == "flexible_employment"
    assert AccessLog.objects.filter(object_id=str(person.pk), action="api").count() == 1
    assert client_for(other_caseworker).get(reverse("applicants:detail", args=[person.pk])).status_code == 404
    assert api_for(other_caseworker).get(f"/api/v1/applicants/{person.pk}/").status_code == 404


# --- Create / update ---------------------------------------------------------------------------------------

def test_api_create_and_update(api_for, caseworker):
    api = api_for(caseworker)
    response = api.post("/api/v1/applicants/", {"id_number": person_id(20), "name": "周杰", "region_code": "220102",
                                                "hukou_type": "urban"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["birth_date"] == "1988-04-09"
    pk = response.json()["id"]
    assert api.patch(f"/api/v1/applicants/{pk}/", {"phone": "13612345678"}, format="json").status_code == 200
    assert Person.objects.get(pk=pk).phone == "13612345678"
    again = api.post("/api/v1/applicants/", {"id_number": person_id(20), "name": "周杰", "region_code": "220102"},
                     format="json")
    assert again.status_code == 409 and again.json()["code"] == "person_exists"


def test_api_create_bad_id_number_has_chinese_field_error(api_for, caseworker):
    response = api_for(caseworker).post("/api/v1/applicants/", {"id_number": "220102198804090000", "name": "x",
                                                                "region_code": "220102"}, format="json")
    assert response.status_code == 400
    assert "身份证号" in response.json()["fields"]["id_number"][0]["message"]


def test_form_shows_chinese_field_errors_and_creates(client_for, caseworker):
    client = client_for(caseworker)
    response = client.post(reverse("applicants:create"), {"name": "", "id_number": "123", "region": "220102"})
    html = response.content.decode()
    assert response.status_code == 200 and "身份证号" in html and "该字段是必填项" in html
    response = client.post(reverse("applicants:create"), {"name": "吴敏", "id_number": person_id(30),
                                                          "region": "220102"})
    assert response.status_code == 302 and Person.objects.filter(name="吴敏").exists()


def test_add_child_from_detail_page(client_for, caseworker):
    parent = PersonFactory()
    from datetime import date

    from apps.core.demo import make_id_number

    child_number = make_id_number("220102", date(2025, 2, 1), 3, True)
    response = client_for(caseworker).post(reverse("applicants:add", args=[parent.pk, "member"]),
                                           {"member-id_number": child_number, "member-name": "小红",
                                            "member-relation": "child"})
    assert response.status_code == 302
    assert [c.name for c in person_children(person=parent)] == ["小红"]


def test_duplicate_page_dismiss(client_for, caseworker):
    a, b = PersonFactory(), PersonFactory()
    candidate = DuplicateCandidate.objects.create(person=b, other=a, other_id_number=a.id_number)
    client = client_for(caseworker)
    assert a.name in client.get(reverse("applicants:duplicates")).content.decode()
    client.post(reverse("applicants:duplicate-resolve", args=[candidate.pk]), {"action": "dismiss"})
    candidate.refresh_from_db()
    assert candidate.status == "dismissed"


@pytest.mark.parametrize(("params", "field"), [
    ({"sex": "Q"}, "sex"), ({"tag": "astronaut"}, "tag"), ({"ordering": "id_number"}, "ordering"),
])
def test_api_filter_that_does_not_parse_is_a_field_level_400(api_for, caseworker, params, field):
    response = api_for(caseworker).get("/api/v1/applicants/", params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_filter" and list(response.json()["fields"]) == [field]


def test_ui_list_with_a_bad_filter_shows_the_error_page(client_for, caseworker):
    response = client_for(caseworker).get(reverse("applicants:list"), {"sex": "Q"})
    assert response.status_code == 400 and "筛选条件有误" in response.content.decode()


def test_household_member_by_id_number_creates_finds_and_refuses(caseworker):
    from apps.applicants.services import household_add_member_by_id_number

    head = PersonFactory(region_id="220102")
    with pytest.raises(ApplicationError) as caught:
        household_add_member_by_id_number(person=head, id_number=person_id(40), name="", relation="child",
                                          user=caseworker)
    assert caught.value.code == "name_required"
    elsewhere = PersonFactory(region_id="220204")
    with pytest.raises(ApplicationError) as caught:
        household_add_member_by_id_number(person=head, id_number=elsewhere.id_number.lower(), name="",
                                          relation="spouse", user=caseworker)
    assert caught.value.code == "member_out_of_scope"
    member = household_add_member_by_id_number(person=head, id_number=person_id(40), name="小明", relation="child",
                                               user=caseworker)
    assert member.person.region_id == "220102" and member.person.name == "小明"
    assert [m.person for m in HouseholdMember.objects.filter(household=member.household, relation="head")] == [head]


def test_derived_fields_come_from_one_function():
    from django.core.exceptions import ValidationError

    from apps.applicants.models import person_id_fields

    number = person_id(7, female=True)
    fields = person_id_fields(number.lower() if number.endswith("X") else f" {number} ")
    assert fields == {"id_number": number, "birth_date": date(1988, 4, 9), "sex": "F", "birthplace_code": "220102",
                      "birthplace_known": True, "id_last4": number[-4:]}
    person = Person(id_number=number)
    person.derive_from_id_number()
    assert (person.birth_date, person.sex, person.id_last4) == (date(1988, 4, 9), "F", number[-4:])
    with pytest.raises(ValidationError):
        person_id_fields(number[:-1] + ("0" if number[-1] != "0" else "1"))


def test_services_log_what_they_decided(caplog):
    import logging

    from apps.applicants.services import people_upsert

    caplog.set_level(logging.INFO, logger="apps.applicants.services")
    person = person_save(person=Person(id_number=person_id(60), name="日志", region_id="220102"))
    people_upsert(rows=[{"id_number": person_id(61), "name": "批量", "phone": "", "hukou_type": "",
                         "hukou_region_id": None, "region_id": "220102", "address": ""}])
    messages = {r.getMessage(): r for r in caplog.records}
    assert messages["person saved"].person_id == person.pk
    assert messages["people upserted"].rows_created == 1
