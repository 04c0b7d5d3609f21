"""Bank details (apps.core.bank): the account number's digits and length at their boundaries, no Luhn (unit
settlement accounts carry no card check digit), 户名 against the payee's name, masking; the employer service,
the API (masked in lists, full only for staff or a token with the scope, read-audited)."""

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import ApiScope, ApiToken
from apps.core.bank import (
    BANK_ACCOUNT_MAX_DIGITS,
    BANK_ACCOUNT_MIN_DIGITS,
    account_name_matches,
    bank_details_problems,
    mask_bank_account,
    validate_bank_account,
)
from apps.core.exceptions import ApplicationError
from apps.core.models import AccessLog
from apps.employers.services import employer_save
from tests.factories import EmployerFactory


@pytest.mark.parametrize(("value", "expected"), [
    ("1" * BANK_ACCOUNT_MIN_DIGITS, "1" * BANK_ACCOUNT_MIN_DIGITS),  # the shortest accepted
    ("1" * BANK_ACCOUNT_MAX_DIGITS, "1" * BANK_ACCOUNT_MAX_DIGITS),  # the longest accepted
    ("4200 0211 0900 0000 01", "420002110900000001"),  # typed in groups
    ("\uff14\uff12\uff10\uff10\uff10\uff12\uff11\uff11\uff10\uff19", "4200021109"),  # full-width digits
    ("4111111111111112", "4111111111111112"),  # fails Luhn: still a valid settlement account
])
def test_valid_accounts_are_normalised(value, expected):
    assert validate_bank_account(value) == expected


@pytest.mark.parametrize(("value", "code"), [
    ("1" * (BANK_ACCOUNT_MIN_DIGITS - 1), "bank_account_too_short"),
    ("1" * (BANK_ACCOUNT_MAX_DIGITS + 1), "bank_account_too_long"),
    ("62220202000A1234", "bank_account_not_digits"),
    ("6222-0202-0000-1234", "bank_account_not_digits"),
    ("١٢٣٤٥٦٧٨٩٠", "bank_account_not_digits"),  # Arabic-Indic digits are digits to Python, not to a bank
    ("", "bank_account_not_digits"),
])
def test_invalid_accounts_are_refused_with_a_code(value, code):
    with pytest.raises(ValidationError) as error:
        validate_bank_account(value)
    assert error.value.code == code


@pytest.mark.parametrize(("account_name", "payee", "matches"), [
    ("长春某某（集团）有限公司", "长春某某(集团)有限公司", True),  # full-width and half-width brackets
    ("长春某某 有限公司", "长春某某有限公司", True),
    ("长春某某有限公司南关分公司", "长春某某有限公司", False),
    ("", "长春某某有限公司", False),
])
def test_account_name_matching(account_name, payee, matches):
    assert account_name_matches(account_name, payee) is matches


@pytest.mark.parametrize(("value", "masked"), [
    ("420002110900000001", "4200**********0001"), ("12345678", "******78"), ("", "")])
def test_masking(value, masked):
    assert mask_bank_account(value) == masked


@pytest.mark.parametrize(("details", "codes"), [
    ({}, []),
    ({"bank_name": ""}, ["bank_name_missing"]),
    ({"account_number": ""}, ["bank_account_missing"]),
    ({"account_number": "1234"}, ["bank_account_too_short"]),
    ({"account_name": ""}, ["account_name_missing"]),
    ({"account_name": "别的单位"}, ["account_name_mismatch"]),
    ({"bank_name": "", "account_number": "", "account_name": ""},
     ["bank_name_missing", "bank_account_missing", "account_name_missing"]),  # every problem, not the first
])
def test_problems_of_a_payee(details, codes):
    values = {"bank_name": "中国银行", "account_number": "42000211090000001", "account_name": "甲公司",
              "payee_name": "甲公司", **details}
    problems = bank_details_problems(**values)
    assert [p.code for p in problems] == codes
    assert all(p.blocking == (p.code != "account_name_mismatch") for p in problems)


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"bank_name": "中国银行", "bank_account": "", "bank_account_name": "x"}, "bank_details_incomplete", "bank_account"),
    ({"bank_name": "中国银行", "bank_account": "1234", "bank_account_name": "x"}, "bank_account_too_short",
     "bank_account"),
    ({"bank_name": "", "bank_account": "42000211090000001", "bank_account_name": "x"}, "bank_details_incomplete",
     "bank_name"),
])
def test_employer_save_refuses_bad_bank_details(db, caseworker, fields, code, field):
    employer = EmployerFactory()
    for name, value in fields.items():
        setattr(employer, name, value)
    with pytest.raises(ApplicationError) as error:
        employer_save(employer=employer, user=caseworker)
    assert error.value.code == code and field in error.value.fields


def test_employer_save_stores_the_normalised_account(db, caseworker):
    employer = EmployerFactory()
    employer.bank_name, employer.bank_account, employer.bank_account_name = "中国银行", "4200 0211 0900", employer.name
    employer_save(employer=employer, user=caseworker)
    employer.refresh_from_db()
    assert employer.bank_account == "420002110900"


@pytest.fixture
def banked_employer(db):
    employer = EmployerFactory(bank_name="中国银行长春分行", bank_account="420002110900000001")
    employer.bank_account_name = employer.name
    employer.save()
    return employer


def test_api_list_masks_and_detail_shows_in_full_with_an_access_log(banked_employer, caseworker, api_for):
    api = api_for(caseworker)
    listed = api.get("/api/v1/employers/").json()["results"][0]
    assert listed["bank_account"] == "4200**********0001"
    assert not AccessLog.objects.filter(object_id=str(banked_employer.pk), purpose="查看银行账号").exists()
    detail = api.get(f"/api/v1/employers/{banked_employer.pk}/").json()
    assert detail["bank_account"] == "420002110900000001"
    assert detail["bank_account_name_matches"] is True
    assert AccessLog.objects.filter(object_id=str(banked_employer.pk), purpose="查看银行账号",
                                    user=caseworker).count() == 1


@pytest.mark.parametrize(("scopes", "shown"), [
    ([ApiScope.READ], "4200**********0001"),
    ([ApiScope.READ, ApiScope.FULL_ID_NUMBER], "4200**********0001"),  # the ID scope is not the bank scope
    ([ApiScope.READ, ApiScope.FULL_BANK_ACCOUNT], "420002110900000001"),
])
def test_api_token_sees_the_full_account_only_with_its_scope(banked_employer, integration_client, scopes, shown):
    from rest_framework.test import APIClient

    token = ApiToken(name="测试", user=integration_client, scopes=[str(s) for s in scopes])
    key = ApiToken.generate_key()
    token.set_key(key)
    token.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get(f"/api/v1/employers/{banked_employer.pk}/")
    assert response.status_code == 200, response.content
    assert response.json()["bank_account"] == shown
    logged = AccessLog.objects.filter(object_id=str(banked_employer.pk), purpose="查看银行账号").exists()
    assert logged is (shown == "420002110900000001")


def test_employer_detail_page_shows_the_account_and_logs_the_read(banked_employer, caseworker, client_for):
    page = client_for(caseworker).get(f"/employers/{banked_employer.pk}/")
    assert "420002110900000001" in page.content.decode()
    assert AccessLog.objects.filter(object_id=str(banked_employer.pk), purpose="查看银行账号").count() == 1


def test_employer_form_saves_bank_details(db, caseworker, client_for):
    employer = EmployerFactory()
    client = client_for(caseworker)
    form = client.get(f"/employers/{employer.pk}/edit/").context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data.update({"bank_name": "中国银行", "bank_account": "4200 0211 0900 0000 02", "bank_account_name": employer.name,
                 "serious_dishonesty": ""})
    response = client.post(f"/employers/{employer.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    employer.refresh_from_db()
    assert employer.bank_account == "420002110900000002"


@pytest.mark.parametrize(("account_name", "codes", "blocking"), [
    ("王小明", [], None),
    ("王 小明", [], None),  # spaces typed inside the name
    ("王小红", ["account_name_not_own"], True),  # a relative's account: a person is paid into their own only
    ("", ["account_name_missing"], True),
])
def test_a_persons_account_must_be_in_their_own_name(account_name, codes, blocking):
    problems = bank_details_problems(bank_name="中国建设银行", account_number="6217000130001234567",
                                     account_name=account_name, payee_name="王小明", personal=True)
    assert [p.code for p in problems] == codes
    assert all(p.blocking is blocking for p in problems)


@pytest.mark.parametrize(("account_name", "payee"), [
    ("阿依古丽·买买提", "阿依古丽•买买提"),  # middle dot against bullet
    ("阿依古丽・买买提", "阿依古丽·买买提"),  # katakana middle dot
    ("阿依古丽.买买提", "阿依古丽·买买提"),  # a full stop typed for the dot
])
def test_the_dot_of_a_name_is_compared_whichever_was_typed(account_name, payee):
    assert account_name_matches(account_name, payee)
