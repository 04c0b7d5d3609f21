"""The one history page (models registered in apps.core.registry) and the access-log page: supervisors only,
scoped to their region."""

import pytest
from django.urls import reverse

from apps.core.registry import HISTORY_MODELS
from apps.employers.services import employer_save
from tests.factories import EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_supervisor_sees_history_in_the_ui(client_for, supervisor):
    employer = EmployerFactory(name="历史单位")
    employer.name = "改名后的单位"
    employer_save(employer=employer)
    response = client_for(supervisor).get(reverse("history", args=["employers", "employer", employer.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "历史单位" in body and "改名后的单位" in body and "单位名称" in body


def test_caseworker_may_not_open_history(client_for, caseworker):
    employer = EmployerFactory()
    response = client_for(caseworker).get(reverse("history", args=["employers", "employer", employer.pk]))
    assert response.status_code == 403


def test_supervisor_history_is_region_scoped(client_for, supervisor):
    employer = EmployerFactory(region_id="220204")
    response = client_for(supervisor).get(reverse("history", args=["employers", "employer", employer.pk]))
    assert response.status_code == 404


def test_access_log_page_for_supervisor_only(client_for, caseworker, supervisor):
    person = PersonFactory(name="被查看人")
    client_for(caseworker).get(reverse("applicants:detail", args=[person.pk]))
    assert client_for(caseworker).get(reverse("access-log")).status_code == 403
    body = client_for(supervisor).get(reverse("access-log")).content.decode()
    assert "被查看人" in body


def test_every_domain_registers_its_history_models():
    assert {"applicants.person", "employers.employer", "training.enrollment", "childcare.institution",
            "child_welfare.case", "eligibility.determination", "refunds.refundrun"} <= set(HISTORY_MODELS)


def test_history_of_an_unregistered_model_is_404(client_for, supervisor):
    response = client_for(supervisor).get(reverse("history", args=["accounts", "user", supervisor.pk]))
    assert response.status_code == 404


def test_access_log_is_scoped_to_the_supervisors_region(client_for, supervisor, other_caseworker):
    person = PersonFactory(region_id="220204", name="吉林市被查看人")
    client_for(other_caseworker).get(reverse("applicants:detail", args=[person.pk]))
    assert "吉林市被查看人" not in client_for(supervisor).get(reverse("access-log")).content.decode()
