"""The caseworker pages through the Django test client: register an application (field errors in Chinese, a person
not in the registry, a double submission), the list (masked ID numbers, a query count that does not grow with the
rows), the detail (an access-log read, the explanation), four eyes on the page, the claim from the schedule; another
region's ids are 404."""

import re
from datetime import date

import pytest
from django.urls import reverse

from apps.core.models import AccessLog
from apps.startup_loans.models import LoanApplication, SubsidyClaim
from tests.startup_loans.conftest import approved_application, make_application, schedule, target_person

pytestmark = pytest.mark.django_db


def _token(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)


def _form(person, **overrides):
    return {"id_number": person.id_number, "application_date": "2026-03-01", "business_name": "南关区返乡农家菜馆",
            "business_uscc": "", "amount_requested": "320000.00", "term_months": "24",
            "lender_bank": "吉林银行长春南关支行", **overrides}


def test_register_an_application_on_the_form(client_for, caseworker):
    client = client_for(caseworker)
    page = client.get(reverse("startup_loans:application-create"))
    assert page.status_code == 200
    person = target_person()
    token = _token(page)
    response = client.post(reverse("startup_loans:application-create"), {**_form(person), "form_token": token})
    application = LoanApplication.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("startup_loans:application-detail", args=[application.pk])
    assert application.guaranteed_amount == 300000  # capped at the 示例值
    again = client.post(reverse("startup_loans:application-create"), {**_form(person), "form_token": token})
    assert again.status_code == 302 and LoanApplication.objects.count() == 1  # a double submission: one record
    detail = client.get(response.url).content.decode()
    assert "超过上限，按上限核定" in detail and "农民工" in detail and "300,000.00" in detail


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"business_uscc": "91220101MA0Y3XXXX1"}, "统一社会信用代码"),
        ({"amount_requested": "0"}, "0.01"),
        ({"term_months": "0"}, "1"),
        ({"business_name": "南关\x00菜馆"}, "空"),  # a NUL byte: a field error, not a 500
    ],
)
def test_field_errors_on_the_form(client_for, caseworker, overrides, message):
    client = client_for(caseworker)
    page = client.get(reverse("startup_loans:application-create"))
    response = client.post(reverse("startup_loans:application-create"),
                           {**_form(target_person(), **overrides), "form_token": _token(page)})
    assert response.status_code == 200 and not LoanApplication.objects.exists()
    assert "is-invalid" in response.content.decode() or message in response.content.decode()


def test_a_person_not_in_the_registry_is_named(client_for, caseworker):
    client = client_for(caseworker)
    page = client.get(reverse("startup_loans:application-create"))
    other_region = target_person(region_id="220204")
    response = client.post(reverse("startup_loans:application-create"),
                           {**_form(other_region), "form_token": _token(page)})
    assert "本区划人员库中没有该身份证号的人员" in response.content.decode()


def test_list_masks_id_numbers_and_its_queries_do_not_grow(client_for, caseworker, django_assert_max_num_queries):
    client = client_for(caseworker)
    first = make_application(caseworker)
    url = reverse("startup_loans:application-list")
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(30) as one:
        page = client.get(url).content.decode()
    assert first.masked_id_number in page and first.person.id_number not in page
    for _ in range(5):
        make_application(caseworker)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_claim_list_queries_do_not_grow(client_for, caseworker, supervisor, django_assert_max_num_queries):
    client = client_for(caseworker)
    url = reverse("startup_loans:claim-list")
    loan = approved_application(caseworker, supervisor)
    schedule(loan, paid=(1,))
    from apps.startup_loans import services
    services.claim_create(application=loan, user=caseworker)
    client.get(url)
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    for _ in range(4):
        other = approved_application(caseworker, supervisor)
        schedule(other, paid=(1,))
        services.claim_create(application=other, user=caseworker)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert SubsidyClaim.objects.count() == 5 and loan.masked_id_number in page and loan.person.id_number not in page


def test_detail_is_an_access_log_read(client_for, caseworker):
    application = make_application(caseworker)
    client_for(caseworker).get(reverse("startup_loans:application-detail", args=[application.pk]))
    assert AccessLog.objects.filter(object_type="applicants.person", object_id=str(application.person_id),
                                    purpose="创业担保贷款").exists()


def test_other_region_gets_404(client_for, caseworker, other_caseworker, supervisor):
    application = approved_application(caseworker, supervisor)
    schedule(application)
    client = client_for(other_caseworker)
    assert client.get(reverse("startup_loans:application-detail", args=[application.pk])).status_code == 404
    assert client.post(reverse("startup_loans:application-review", args=[application.pk, "reject"]),
                       {"note": "x"}).status_code == 404
    assert client.post(reverse("startup_loans:claim-create", args=[application.pk])).status_code == 404
    assert not SubsidyClaim.objects.exists()
    assert client.get("/startup-loans/abc/").status_code == 404


def test_four_eyes_on_the_page(client_for, supervisor, province_admin):
    application = make_application(supervisor, person=target_person())
    client = client_for(supervisor)
    page = client.get(reverse("startup_loans:application-detail", args=[application.pk])).content.decode()
    assert 'data-refused-action="approve"' in page  # the maker's button is drawn disabled with the reason
    assert client.post(reverse("startup_loans:application-review", args=[application.pk, "approve"])).status_code == 403
    assert LoanApplication.objects.get().status == LoanApplication.Status.SUBMITTED
    checker = client_for(province_admin)
    checker.post(reverse("startup_loans:application-review", args=[application.pk, "approve"]))
    assert LoanApplication.objects.get().status == LoanApplication.Status.APPROVED


def test_claim_from_the_page_once(client_for, caseworker, supervisor, province_admin):
    application = approved_application(caseworker, supervisor)
    schedule(application, paid=(1, 2), interest="583.33")
    client = client_for(caseworker)
    detail = client.get(reverse("startup_loans:application-detail", args=[application.pk]))
    token = _token(detail)
    response = client.post(reverse("startup_loans:claim-create", args=[application.pk]), {"form_token": token})
    claim = SubsidyClaim.objects.get()
    assert response.url == reverse("startup_loans:claim-detail", args=[claim.pk]) and str(claim.amount) == "583.33"
    client.post(reverse("startup_loans:claim-create", args=[application.pk]), {"form_token": token})
    assert SubsidyClaim.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert "贴息合计（四舍五入到分）" in page and "583.33" in page
    assert client.post(reverse("startup_loans:claim-review", args=[claim.pk, "approve"])).status_code == 403
    client_for(province_admin).post(reverse("startup_loans:claim-review", args=[claim.pk, "approve"]))
    assert SubsidyClaim.objects.get().status == SubsidyClaim.Status.APPROVED


def test_unknown_action_is_404(client_for, caseworker):
    application = make_application(caseworker)
    assert client_for(caseworker).post(
        reverse("startup_loans:application-review", args=[application.pk, "delete"])).status_code == 404


def test_reject_without_a_reason_is_a_message(client_for, caseworker, supervisor):
    application = make_application(caseworker, application_date=date(2026, 3, 1))
    client = client_for(supervisor)
    response = client.post(reverse("startup_loans:application-review", args=[application.pk, "reject"]), follow=True)
    assert "请填写“退回”的原因" in response.content.decode()
