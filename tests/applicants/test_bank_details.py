"""A person's own bank account (for subsidies paid to them): the form's checks with Chinese field errors, the
account normalised, 户名 = the person's name, masked on the pages and in the admin list, its full reads logged."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from apps.applicants.forms import PersonForm
from apps.applicants.models import Person
from apps.core.models import AccessLog
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
ACCOUNT = "6217000130001234567"


def form_data(person, **bank) -> dict:
    return {"name": person.name, "id_number": person.id_number, "region": person.region_id,
            "bank_name": "中国建设银行长春南关支行", "bank_account": ACCOUNT, "bank_account_name": person.name, **bank}


@pytest.mark.parametrize(("bank", "field", "message"), [
    ({"bank_account": "6217-0001-3000"}, "bank_account", "银行账号只能由数字组成"),
    ({"bank_account": "6217000"}, "bank_account", "银行账号过短：至少 8 位数字"),
    ({"bank_account": "1" * 33}, "bank_account", "银行账号过长"),
    ({"bank_name": ""}, "bank_name", "填写了银行账号，请同时填写开户银行"),
    ({"bank_account": ""}, "bank_account", "填写了开户银行，请同时填写银行账号"),
    ({"bank_name": "", "bank_account": ""}, "bank_account", "填写了户名，请同时填写开户银行和银行账号"),
    ({"bank_account_name": "李四"}, "bank_account_name", "与本人姓名"),
])
def test_the_form_refuses_bank_details_with_a_chinese_field_error(caseworker, bank, field, message):
    person = PersonFactory()
    form = PersonForm(form_data(person, **bank), instance=person, user=caseworker)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field]), form.errors


@pytest.mark.parametrize(("bank", "saved"), [
    ({"bank_account": "６２１７ ０００１ ３０００ １２３４ ５６７"}, (ACCOUNT, None)),  # full-width, in groups
    ({"bank_account_name": ""}, (ACCOUNT, None)),  # 户名 left empty: the person's name
    ({"bank_name": "", "bank_account": "", "bank_account_name": ""}, ("", "")),  # none at all is fine
])
def test_the_form_saves_the_account_normalised_in_the_persons_name(client_for, caseworker, bank, saved):
    person = PersonFactory()
    response = client_for(caseworker).post(reverse("applicants:edit", args=[person.pk]), form_data(person, **bank))
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    account, account_name = saved
    assert person.bank_account == account
    assert person.bank_account_name == (person.name if account_name is None else account_name)


def test_pages_mask_the_account_and_the_edit_form_read_is_logged(client_for, caseworker):
    person = PersonFactory(bank_name="中国建设银行", bank_account=ACCOUNT)
    Person.objects.filter(pk=person.pk).update(bank_account_name=person.name)
    client = client_for(caseworker)
    detail = client.get(reverse("applicants:detail", args=[person.pk])).content.decode()
    assert ACCOUNT not in detail and "6217***********4567" in detail
    assert ACCOUNT not in client.get(reverse("applicants:list")).content.decode()
    before = AccessLog.objects.filter(object_id=str(person.pk), purpose="查看银行账号").count()
    assert ACCOUNT in client.get(reverse("applicants:edit", args=[person.pk])).content.decode()
    assert AccessLog.objects.filter(object_id=str(person.pk), purpose="查看银行账号").count() == before + 1


def test_the_admin_masks_in_the_list_checks_the_form_and_logs_the_change_form(supervisor, client_for):
    person = PersonFactory(bank_name="中国建设银行", bank_account=ACCOUNT)
    supervisor.user_permissions.add(*Permission.objects.filter(codename__in=["view_person", "change_person"]))
    client = client_for(supervisor)
    listing = client.get("/admin/applicants/person/").content.decode()
    assert "6217***********4567" in listing and ACCOUNT not in listing
    form = client.get(f"/admin/applicants/person/{person.pk}/change/").content.decode()
    assert ACCOUNT in form
    assert AccessLog.objects.filter(object_id=str(person.pk), object_type="applicants.person", user=supervisor,
                                    purpose="后台查看").count() == 1
    response = client.post(f"/admin/applicants/person/{person.pk}/change/", {
        "name": person.name, "id_number": person.id_number, "region": person.region_id, "bank_name": "中国建设银行",
        "bank_account": ACCOUNT, "bank_account_name": "李四"})
    assert response.status_code == 200 and "与本人姓名" in response.content.decode()
    person.refresh_from_db()
    assert person.bank_account_name != "李四"


@pytest.mark.parametrize(("kept_has_account", "expected"), [(False, "6217000130009999999"), (True, ACCOUNT)])
def test_merging_a_duplicate_keeps_a_bank_account(caseworker, kept_has_account, expected):
    from apps.applicants.models import DuplicateCandidate
    from apps.applicants.services import duplicate_merge

    keep = PersonFactory(**({"bank_name": "中国建设银行", "bank_account": ACCOUNT} if kept_has_account else {}))
    drop = PersonFactory(name=keep.name, bank_name="中国银行", bank_account="6217000130009999999")
    Person.objects.filter(pk=keep.pk).update(bank_account_name=keep.name)
    Person.objects.filter(pk=drop.pk).update(bank_account_name=keep.name)
    keep.refresh_from_db()
    candidate = DuplicateCandidate.objects.create(person=keep, other=drop, other_id_number=drop.id_number)
    duplicate_merge(candidate=candidate, keep=keep, user=caseworker)
    keep.refresh_from_db()
    assert keep.bank_account == expected and keep.bank_account_name == keep.name
