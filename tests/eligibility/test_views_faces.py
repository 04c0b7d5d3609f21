"""Caseworker UI: the policy calculator, the benefits panel and the employer panel."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.eligibility.models import Determination
from apps.employers.eligibility_facts import employer_facts
from tests.factories import ContributionFactory, EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db

CALCULATOR = reverse("eligibility:calculator")


def test_nav_links_to_the_calculator_and_the_matches(client_for, caseworker):
    body = client_for(caseworker).get(reverse("dashboard")).content.decode()
    assert f'href="{CALCULATOR}"' in body and f'href="{reverse("eligibility:match-list")}"' in body


def test_form_is_generated_from_the_facts_dataclass(client_for, caseworker):
    body = client_for(caseworker).get(CALCULATOR + "?calculator=stable-job-refund").content.decode()
    assert 'name="facts-contributions_paid"' in body and 'step="0.01"' in body
    assert 'type="checkbox" name="facts-has_arrears"' in body
    assert '<option value="social_org">社会团体</option>' in body  # choices the calculator defines
    assert "事实年度（返还年度的上一年）" in body
    maternity = client_for(caseworker).get(CALCULATOR + "?calculator=maternity-allowance").content.decode()
    assert 'type="date" name="facts-delivery_date"' in maternity
    aid = client_for(caseworker).get(CALCULATOR + "?calculator=preschool-aid").content.decode()
    assert 'value="minimum_living_allowance"' in aid and "低保家庭儿童" in aid


def test_unknown_calculator_is_404(client_for, caseworker):
    assert client_for(caseworker).get(CALCULATOR + "?calculator=lottery").status_code == 404


def test_integration_accounts_have_no_ui(client_for, integration_client):
    assert client_for(integration_client).get(CALCULATOR).status_code == 403


def test_computing_shows_the_amount_steps_and_sources(client_for, caseworker):
    response = client_for(caseworker).post(CALCULATOR, {
        "calculator": "maternity-allowance", "facts-delivery_date": "2025-08-15", "facts-flexible_worker": "on",
        "facts-continuous_enrollment_months": "14", "action": "compute"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "可享受" in body and "20,335.00" in body and "缴费基数" in body
    assert "关于优化灵活就业人员等群体医疗和生育保障有关政策的通知" in body  # the source document
    assert not Determination.objects.exists()


def test_field_errors_are_shown_in_chinese_on_the_form(client_for, caseworker):
    response = client_for(caseworker).post(CALCULATOR, {
        "calculator": "stable-job-refund", "facts-facts_year": "2025", "facts-entity_type": "enterprise",
        "facts-months_paid_in_full": "十二", "facts-headcount_start": "10", "facts-headcount_end": "10",
        "facts-contributions_paid": "", "action": "compute"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "months_paid_in_full" in form.errors and "contributions_paid" in form.errors
    body = response.content.decode()
    assert "该字段是必填项。" in body and "输入整数。" in body and "is-invalid" in body


def test_calculator_rejection_is_shown_on_the_form(client_for, caseworker):
    response = client_for(caseworker).post(CALCULATOR, {
        "calculator": "stable-job-refund", "facts-facts_year": "2025", "facts-entity_type": "enterprise",
        "facts-size_class": "", "facts-months_paid_in_full": "12", "facts-headcount_start": "10",
        "facts-headcount_end": "10", "facts-contributions_paid": "1000", "action": "compute"})
    assert response.status_code == 400
    assert "企业缺少有效的企业划型" in response.content.decode()


def test_compute_and_save_stores_a_determination_in_the_users_region(client_for, caseworker):
    response = client_for(caseworker).post(CALCULATOR, {
        "calculator": "stable-job-refund", "facts-facts_year": "2025", "facts-entity_type": "enterprise",
        "facts-size_class": "large", "facts-months_paid_in_full": "12", "facts-headcount_start": "100",
        "facts-headcount_end": "100", "facts-contributions_paid": "1000.00", "action": "save"})
    determination = Determination.objects.get()
    assert response.status_code == 302
    assert determination.amount == Decimal("300.00") and determination.region_id == "220102"


# ---------------------------------------------------------------- panels


def test_benefits_panel_on_the_person_page(client_for, caseworker):
    child = PersonFactory(region_id="220102", name="小明", birth=date(timezone.localdate().year - 1, 3, 10))
    body = client_for(caseworker).get(reverse("applicants:detail", args=[child.pk])).content.decode()
    assert 'id="benefits-panel"' in body and "国家育儿补贴" in body and "3,600.00" in body
    assert "计发月数" in body and "育儿补贴制度实施方案" in body  # steps and the source document
    assert "学前教育资助" in body  # pending: needs kindergarten and status facts


def test_benefits_panel_of_an_adult_says_nothing_computed_yet(client_for, caseworker):
    adult = PersonFactory(region_id="220102", female=True)
    body = client_for(caseworker).get(reverse("applicants:detail", args=[adult.pk])).content.decode()
    assert "暂未测算出可享受的待遇" in body and "灵活就业人员生育津贴" in body


def test_benefits_panel_lists_saved_determinations(client_for, caseworker):
    child = PersonFactory(region_id="220102", birth=date(timezone.localdate().year - 1, 3, 10))
    client = client_for(caseworker)
    client.post(reverse("eligibility:determination-create"), {"person": child.pk, "calculator": "childcare-subsidy"})
    body = client.get(reverse("applicants:detail", args=[child.pk])).content.decode()
    assert "已保存的决定" in body and f"#{Determination.objects.get().pk}" in body


def test_employer_panel_shows_size_and_refund_estimate(client_for, caseworker):
    year = timezone.localdate().year - 1
    employer = EmployerFactory(region_id="220102", employees=50, revenue_10k=Decimal("5000"))
    for month in range(1, 13):
        ContributionFactory(employer=employer, period=date(year, month, 1))
    body = client_for(caseworker).get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert 'id="employer-panel"' in body and "小型企业" in body
    assert "7,200.00" in body and "失业保险稳岗返还" in body and "可享受" in body


def test_employer_panel_without_contributions_explains_why_not(client_for, caseworker):
    employer = EmployerFactory(region_id="220102")
    body = client_for(caseworker).get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert "不符合" in body and "足额缴纳失业保险费 0 个月" in body


# ---------------------------------------------------------------- subject facts (registry → facts)


def test_employer_facts_aggregate_contributions():
    employer = EmployerFactory(region_id="220102", employees=None, industry="retail", revenue_10k=Decimal("150"))
    ContributionFactory(employer=employer, period=date(2024, 6, 1), paid_employer=Decimal("0"),
                        paid_employee=Decimal("0"))  # an old unpaid month: arrears
    for month in range(1, 13):
        short = month == 3  # March paid short: the run of full months starts in April
        ContributionFactory(employer=employer, period=date(2025, month, 1),
                            insured_headcount=40 if month == 1 else 36,
                            paid_employer=Decimal("600.00") if short else Decimal("700.00"),
                            late_fee=Decimal("55.00") if short else Decimal("0"))
    facts = employer_facts(employer, 2025)
    assert facts.months_paid_in_full == 9 and facts.has_arrears
    assert (facts.headcount_start, facts.headcount_end) == (40, 36)
    assert facts.contributions_paid == Decimal("11900.00")  # late fees excluded, earlier years excluded
    assert facts.size_class == "small"  # retail, 36 insured (employees unknown), revenue 150 万元
    assert type(facts).__name__ == "StableJobRefundFacts"


def test_industry_names_of_the_registry_map_to_the_size_table():
    from apps.eligibility.models import PolicyParameter
    from apps.employers.models import Employer

    table = PolicyParameter.objects.filter(key="enterprise_size.thresholds").latest("valid_from").value
    assert {Employer.Industry.size_table_key(code) for code in Employer.Industry.values} <= set(table)
