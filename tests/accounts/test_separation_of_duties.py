"""三员分立 (issue 13, hole 6): the audit administrator reads the access log and the change history — the
page, the history pages, the admin's read-only access log — and can do nothing else; the security
administrator manages accounts and tokens; the system administrator neither."""

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AccessLog
from apps.employers.services import employer_save
from tests.factories import EmployerFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor():
    return UserFactory(username="auditor_jl", role=User.Role.AUDITOR, region_id="220000", is_staff=True)


def test_three_administrators_are_three_roles():
    assert {User.Role.ADMINISTRATOR.label, User.Role.SECURITY_ADMIN.label, User.Role.AUDITOR.label} == {
        "系统管理员", "安全管理员", "审计管理员"}


def test_the_auditor_reads_the_access_log_and_the_history(client_for, auditor, caseworker):
    person = PersonFactory(name="被查看人", region_id="220102")
    client_for(caseworker).get(reverse("applicants:detail", args=[person.pk]))
    web = client_for(auditor)
    assert "被查看人" in web.get(reverse("access-log")).content.decode()
    employer = EmployerFactory(name="历史单位")
    employer.name = "改名后的单位"
    employer_save(employer=employer)
    page = web.get(reverse("history", args=["employers", "employer", employer.pk]))
    assert page.status_code == 200 and "改名后的单位" in page.content.decode()
    admin_list = web.get("/admin/core/accesslog/")
    assert admin_list.status_code == 200 and admin_list.context["cl"].result_count >= 1
    log = AccessLog.objects.first()
    assert web.get(f"/admin/core/accesslog/{log.pk}/change/").status_code == 200  # the read-only view
    assert web.post(f"/admin/core/accesslog/{log.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.parametrize("url", ["/applicants/", "/employers/", "/imports/", "/admin/applicants/person/",
                                 "/admin/accounts/user/", "/admin/accounts/apitoken/"])
def test_the_auditor_opens_nothing_else(client_for, auditor, url):
    assert client_for(auditor).get(url).status_code in (302, 403)
    assert client_for(auditor).get(url, follow=True).status_code in (200, 403)


def test_the_auditor_has_no_api_and_lands_on_the_access_log(client_for, api_for, auditor):
    assert api_for(auditor).get("/api/v1/applicants/").status_code == 403
    assert api_for(auditor).post("/api/v1/employers/", {}, format="json").status_code == 403
    response = client_for(auditor).get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("access-log")


def test_the_security_administrator_manages_accounts_not_business_data(client_for):
    security = UserFactory(username="sec_jl", role=User.Role.SECURITY_ADMIN, region_id="220000", is_staff=True)
    web = client_for(security)
    assert web.get("/admin/accounts/user/").status_code == 200
    assert web.get("/admin/accounts/apitoken/").status_code == 200
    assert web.get("/admin/applicants/person/").status_code == 403
    assert web.get("/applicants/").status_code == 403
    assert web.get(reverse("access-log")).status_code == 403
    page = web.get(f"/admin/accounts/user/{security.pk}/change/")
    assert page.status_code == 200 and 'name="is_superuser"' not in page.content.decode()


def test_the_demo_seeds_an_auditor():
    from apps.accounts.demo import DEMO_USERS

    assert ("auditor", User.Role.AUDITOR) in [(row[0], row[3]) for row in DEMO_USERS]
