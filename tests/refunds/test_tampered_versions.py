"""Issue 12 fault 2: a run freezes the versions it used, and a version changed or removed behind the
service's back (a queryset.update, a manual SQL fix) never makes the result page or its 告知书 a 500: the
page says what happened."""

import pytest
from django.urls import reverse

from apps.eligibility.models import PolicyParameter
from tests.eligibility.tamper import tamper_parameters

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(dataset, caseworker, run_now):
    return run_now(user=caseworker, region_code="220102")


def _version_ids(run):
    return [int(str(v).removeprefix("override:")) for v in run.parameter_versions.values()]


def test_a_refund_run_freezes_its_versions(run):
    ids = _version_ids(run)
    assert ids and not PolicyParameter.objects.filter(pk__in=ids, frozen_at__isnull=True).exists()


def _pages(run, dataset):
    employer = dataset["baseline"].pk
    return [reverse("refunds:result", args=[run.pk, employer]), reverse("refunds:notice", args=[run.pk, employer])]


def test_a_tampered_value_is_a_warning_not_a_500(run, dataset, caseworker, client_for):
    with tamper_parameters():
        PolicyParameter.objects.filter(key="stable_job_refund.sme_rate").update(value="10")
    client = client_for(caseworker)
    for url in _pages(run, dataset):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "无法按存储的参数版本重现" in text


def test_a_deleted_version_is_a_warning_not_a_500(run, dataset, caseworker, client_for):
    with tamper_parameters():
        PolicyParameter.objects.filter(key="stable_job_refund.min_months_paid").delete()
    client = client_for(caseworker)
    for url in _pages(run, dataset):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "已不存在" in response.content.decode()


def test_changed_dates_are_a_warning_not_a_500(run, dataset, caseworker, client_for):
    from datetime import date

    with tamper_parameters():
        PolicyParameter.objects.filter(key="stable_job_refund.sme_rate").update(valid_from=date(2030, 1, 1))
    client = client_for(caseworker)
    for url in _pages(run, dataset):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "有效期" in response.content.decode()


def test_the_result_page_and_notice_cite_documents_not_files(run, dataset, caseworker, client_for):
    import re

    from tests.eligibility.test_parameter_sources import FILE_NAME

    client = client_for(caseworker)
    for url in _pages(run, dataset):
        text = re.sub(r"<(script|link)[^>]*>", "", client.get(url).content.decode())
        assert "失业保险稳岗返还" in text and not FILE_NAME.search(text), FILE_NAME.search(text)
