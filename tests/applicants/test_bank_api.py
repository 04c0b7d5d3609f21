"""The person API's bank details: the form's rules with Chinese field errors and machine codes, 户名 = the name,
the account masked in lists, in full in a detail only where the full number is allowed — and that read logged."""

import pytest

from apps.applicants.models import Person
from apps.core.bank import mask_bank_account
from apps.core.models import AccessLog
from tests.factories import PersonFactory
from tests.imports.helpers import person_id

pytestmark = pytest.mark.django_db
ACCOUNT = "6217000130001234567"
MASKED = mask_bank_account(ACCOUNT)  # 6217***********4567
BANK = "中国建设银行长春南关支行"


def _bank(person, **bank) -> dict:
    return {"bank_name": BANK, "bank_account": ACCOUNT, "bank_account_name": person.name, **bank}


@pytest.mark.parametrize(("bank", "field", "code", "message"), [
    ({"bank_account": "6217-0001-3000"}, "bank_account", "bank_account_not_digits", "银行账号只能由数字组成"),
    ({"bank_account": "6217000"}, "bank_account", "bank_account_too_short", "银行账号过短：至少 8 位数字"),
    ({"bank_account": "1" * 33}, "bank_account", "bank_account_too_long", "银行账号过长"),
    ({"bank_name": ""}, "bank_name", "bank_name_required", "填写了银行账号，请同时填写开户银行"),
    ({"bank_account": ""}, "bank_account", "bank_account_required", "填写了开户银行，请同时填写银行账号"),
    ({"bank_name": "", "bank_account": ""}, "bank_account", "bank_details_incomplete", "填写了户名，请同时填写开户银行和银行账号"),
    ({"bank_account_name": "李四"}, "bank_account_name", "account_name_not_own", "与本人姓名"),
])
def test_a_bad_account_is_a_chinese_field_error_with_a_code(api_for, caseworker, bank, field, code, message):
    person = PersonFactory(region_id="220102")
    response = api_for(caseworker).patch(f"/api/v1/applicants/{person.pk}/", _bank(person, **bank), format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()["fields"][field]
    assert errors[0]["code"] == code and message in errors[0]["message"], errors
    person.refresh_from_db()
    assert person.bank_account == ""


@pytest.mark.parametrize(("bank", "saved_name"), [
    ({"bank_account": "６２１７ ０００１ ３０００ １２３４ ５６７"}, None),  # full-width, in groups
    ({"bank_account_name": ""}, None),  # 户名 left empty: the person's name
    ({}, None),
])
def test_a_good_account_is_saved_normalised(api_for, caseworker, bank, saved_name):
    person = PersonFactory(region_id="220102")
    response = api_for(caseworker).patch(f"/api/v1/applicants/{person.pk}/", _bank(person, **bank), format="json")
    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert (person.bank_name, person.bank_account, person.bank_account_name) == (BANK, ACCOUNT, saved_name or person.name)
    assert response.json()["bank_account"] == ACCOUNT and response.json()["bank_account_name_matches"] is True


def test_a_patch_of_the_name_alone_is_checked_against_the_stored_account_name(api_for, caseworker):
    person = PersonFactory(region_id="220102", bank_name=BANK, bank_account=ACCOUNT)
    Person.objects.filter(pk=person.pk).update(bank_account_name=person.name)
    response = api_for(caseworker).patch(f"/api/v1/applicants/{person.pk}/", {"bank_account_name": "李四"},
                                         format="json")
    assert response.status_code == 400 and response.json()["fields"]["bank_account_name"][0]["code"] == "account_name_not_own"
    assert api_for(caseworker).patch(f"/api/v1/applicants/{person.pk}/", {"phone": "13612345678"},
                                     format="json").status_code == 200  # no bank field: not re-checked


def test_create_with_bank_details(api_for, caseworker):
    response = api_for(caseworker).post("/api/v1/applicants/", {
        "id_number": person_id(21), "name": "周杰", "region_code": "220102", "bank_name": BANK,
        "bank_account": ACCOUNT}, format="json")
    assert response.status_code == 201, response.json()
    assert Person.objects.get(pk=response.json()["id"]).bank_account_name == "周杰"


@pytest.mark.parametrize(("who", "detail_account", "bank_reads"), [
    ("caseworker", ACCOUNT, 1),  # a session user: the full number, its read logged
    ("integration_client", MASKED, 0),  # a token without full_bank_account: masked, nothing extra logged
])
def test_list_masks_detail_shows_full_only_where_allowed(request, api_for, who, detail_account, bank_reads):
    user = request.getfixturevalue(who)
    person = PersonFactory(region_id="220102", bank_name=BANK, bank_account=ACCOUNT)
    api = api_for(user)
    listed = api.get("/api/v1/applicants/").json()["results"]
    assert [row["bank_account"] for row in listed if row["id"] == person.pk] == [MASKED]
    assert ACCOUNT not in str(listed)
    body = api.get(f"/api/v1/applicants/{person.pk}/").json()
    assert body["bank_account"] == detail_account and body["bank_name"] == BANK
    assert AccessLog.objects.filter(object_id=str(person.pk), purpose="查看银行账号").count() == bank_reads
