"""Stored determinations: what was decided stays decided, with the values and versions of its day."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.models import AccessLog
from apps.eligibility.api import FACT_EXAMPLES
from apps.eligibility.models import Determination, PolicyParameter
from apps.eligibility.parameters import parameter_save
from apps.eligibility.services import determination_create
from tests.eligibility.tamper import tamper_parameters
from tests.factories import ContributionFactory, EmployerFactory, PersonFactory
from tests.queries import prime_worklist_counts

pytestmark = pytest.mark.django_db

REFUND = FACT_EXAMPLES["stable-job-refund"]


def test_service_stores_facts_result_and_parameter_versions(caseworker):
    determination = determination_create(user=caseworker, calculator="stable-job-refund", facts=REFUND)
    determination.refresh_from_db()
    assert determination.eligible and determination.amount == Decimal("51840.00")
    assert determination.as_of == date(2025, 12, 31) and determination.region_id == "220102"
    assert determination.facts == REFUND
    sme = PolicyParameter.objects.get(key="stable_job_refund.sme_rate")
    assert sme.pk in determination.parameter_versions
    stored = {p["key"]: p for p in determination.result["parameters"]}
    assert stored["stable_job_refund.sme_rate"]["value"] == "60" and stored["stable_job_refund.sme_rate"]["source"]
    assert [s["label"] for s in determination.result["steps"]][-1] == "返还金额"


def test_service_refuses_a_subject_outside_the_users_region(caseworker):
    person = PersonFactory(region_id="220204", birth=date(2024, 3, 10))
    with pytest.raises(NotFoundError):
        determination_create(user=caseworker, calculator="childcare-subsidy",
                             facts={"year": 2025, "child_birth_date": "2024-03-10"}, person=person)
    with pytest.raises(ApplicationError) as error:
        determination_create(user=caseworker, calculator="childcare-subsidy", region_code="220204",
                             facts={"year": 2025, "child_birth_date": "2024-03-10"})
    assert error.value.code == "region_out_of_scope"
    assert not Determination.objects.exists()


def test_admin_change_is_used_by_a_new_calculation_while_the_old_decision_keeps_its_value(
        client_for, api_for, caseworker, province_admin):
    """The acceptance scenario, end to end through the admin, the API and the determination page.

    Issue 12 fault 2 changed it: the version the old decision used is frozen, so the admin refuses to edit
    its value in place and the administrator adds a new dated version instead (closing the old one after
    the last day a decision used it). A version changed behind the admin's back is still flagged."""
    employer = EmployerFactory(region_id="220102")
    old = determination_create(user=caseworker, calculator="stable-job-refund", facts=REFUND, employer=employer)
    row = PolicyParameter.objects.get(key="stable_job_refund.sme_rate")
    assert old.amount == Decimal("51840.00") and row.pk in old.parameter_versions

    province_admin.is_superuser = True
    province_admin.save()
    admin = client_for(province_admin)
    form = {"key": row.key, "name": row.name, "value_type": row.value_type, "value": '"65"', "unit": row.unit,
            "valid_from": row.valid_from.isoformat(), "valid_to": "", "region": row.region_id,
            "source_title": row.source_title, "source_number": row.source_number, "source_file": row.source_file}
    response = admin.post(f"/admin/eligibility/policyparameter/{row.pk}/change/", form)
    assert response.status_code == 200 and "请新增一个带生效日期的新版本" in response.content.decode()
    response = admin.post(f"/admin/eligibility/policyparameter/{row.pk}/change/",
                          {**form, "value": '"60"', "valid_to": "2025-12-31"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    response = admin.post("/admin/eligibility/policyparameter/add/", {**form, "valid_from": "2026-01-01"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    target = PolicyParameter.objects.get(key="stable_job_refund.unemployment_control_target",
                                         valid_from=date(2025, 1, 1))
    parameter_save(parameter=PolicyParameter(
        key=target.key, name=target.name, value_type=target.value_type, value=target.value,
        valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31), region_id="220000", source_title="测试：2026年目标"))

    new = api_for(caseworker).post("/api/v1/eligibility/stable-job-refund/?save=true",
                                   {**REFUND, "facts_year": 2026}, format="json").json()
    assert new["amount"] == "56160.00"  # 65% × 86,400.00
    assert next(p for p in new["parameters"] if p["key"] == row.key)["value"] == "65"

    page = client_for(caseworker).get(reverse("eligibility:determination-detail", args=[old.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "51,840.00" in body and "56,160.00" not in body  # the stored decision, untouched
    assert f"#{row.pk}" in body and ">60<" in body.replace(" ", "")  # its parameter value and version
    old.refresh_from_db()
    assert old.amount == Decimal("51840.00") and old.result["amount"] == "51840.00"

    with tamper_parameters():  # what the admin no longer allows, done in SQL
        PolicyParameter.objects.filter(pk=row.pk).update(value="65")
    compared = client_for(caseworker).get(reverse("eligibility:determination-detail", args=[old.pk]) + "?recompute=1")
    text = compared.content.decode()
    assert "按当前参数重算" in text and "56,160.00" in text and "51,840.00" in text
    assert "该版本已被直接修改" in text  # same version id, other value: flagged for the reader
    assert compared.context["comparison"]["amount_changed"]


def test_recompute_with_unchanged_parameters_says_so(client_for, caseworker):
    determination = determination_create(user=caseworker, calculator="stable-job-refund", facts=REFUND)
    response = client_for(caseworker).get(
        reverse("eligibility:determination-detail", args=[determination.pk]) + "?recompute=1")
    assert not response.context["comparison"]["any_parameter_changed"]
    assert "重算结果相同" in response.content.decode()


def test_determination_of_another_regions_person_is_404(client_for, other_caseworker, caseworker):
    person = PersonFactory(region_id="220102", birth=date(2024, 3, 10))
    determination = determination_create(user=caseworker, calculator="childcare-subsidy", person=person,
                                         facts={"year": 2025, "child_birth_date": "2024-03-10"})
    response = client_for(other_caseworker).get(reverse("eligibility:determination-detail", args=[determination.pk]))
    assert response.status_code == 404
    assert not AccessLog.objects.filter(object_type="eligibility.determination").exists()


def test_viewing_a_determination_is_logged(client_for, caseworker):
    person = PersonFactory(region_id="220102", birth=date(2024, 3, 10))
    determination = determination_create(user=caseworker, calculator="childcare-subsidy", person=person,
                                         facts={"year": 2025, "child_birth_date": "2024-03-10"})
    client_for(caseworker).get(reverse("eligibility:determination-detail", args=[determination.pk]))
    log = AccessLog.objects.get(object_type="eligibility.determination")
    assert log.object_id == str(determination.pk) and log.user == caseworker


def test_list_is_scoped_and_its_query_count_does_not_grow(client_for, caseworker, other_caseworker,
                                                          django_assert_num_queries):
    for index in range(3):
        person = PersonFactory(region_id="220102", birth=date(2024, 3, 10))
        determination_create(user=caseworker, calculator="childcare-subsidy", person=person, label=f"南关{index}",
                             facts={"year": 2025, "child_birth_date": "2024-03-10"})
    employer = EmployerFactory(region_id="220102")
    determination_create(user=caseworker, calculator="stable-job-refund", facts=REFUND, employer=employer)
    foreign = PersonFactory(region_id="220204", name="船营王五", birth=date(2024, 3, 10))
    determination_create(user=other_caseworker, calculator="childcare-subsidy", person=foreign,
                         facts={"year": 2025, "child_birth_date": "2024-03-10"})
    client = client_for(caseworker)
    prime_worklist_counts(caseworker)  # the menu's 待办 counts: cached per user, pinned in tests/portal/test_worklist_page.py
    # session, user, user's region (scope), count, one page of rows with subject/region/user joined —
    # the same five whatever the number of rows
    with django_assert_num_queries(5):
        response = client.get(reverse("eligibility:determination-list"))
    assert len(response.context["page_obj"]) == 4
    assert "船营王五" not in response.content.decode()


def test_supervisor_opens_the_change_history_of_a_determination(client_for, caseworker, supervisor):
    determination = determination_create(user=caseworker, calculator="stable-job-refund", facts=REFUND)
    response = client_for(supervisor).get(
        reverse("history", args=["eligibility", "determination", determination.pk]))
    assert response.status_code == 200 and "待遇测算决定" in response.content.decode()


def test_panel_save_button_stores_a_determination_for_the_person(client_for, caseworker):
    child = PersonFactory(region_id="220102", birth=date(timezone.localdate().year - 1, 3, 10))
    response = client_for(caseworker).post(reverse("eligibility:determination-create"),
                                           {"person": child.pk, "calculator": "childcare-subsidy"})
    determination = Determination.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{determination.pk}/")
    assert determination.person == child and determination.amount == Decimal("3600.00")


def test_employer_panel_save_button_stores_a_refund_determination(client_for, caseworker):
    employer = EmployerFactory(region_id="220102")
    for month in range(1, 13):
        ContributionFactory(employer=employer, period=date(2025, month, 1))
    client_for(caseworker).post(reverse("eligibility:determination-create"),
                                {"employer": employer.pk, "calculator": "stable-job-refund", "year": 2025})
    determination = Determination.objects.get()
    assert determination.employer == employer and determination.amount == Decimal("7200.00")
    other = EmployerFactory(region_id="220204")
    response = client_for(caseworker).post(reverse("eligibility:determination-create"),
                                           {"employer": other.pk, "calculator": "stable-job-refund"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_determination_list_with_a_non_numeric_person_is_a_400_page(caseworker, client_for):
    response = client_for(caseworker).get(reverse("eligibility:determination-list"), {"person": "abc"})
    assert response.status_code == 400 and "筛选条件有误" in response.content.decode()


@pytest.mark.django_db
def test_determination_list_with_a_non_numeric_employer_is_a_400_page(caseworker, client_for):
    response = client_for(caseworker).get(reverse("eligibility:determination-list"), {"employer": "x1"})
    assert response.status_code == 400
