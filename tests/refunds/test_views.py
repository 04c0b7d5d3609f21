"""The runs page, the explanation and the notice (告知书), with the wrong users refused."""

import pytest
from django.urls import reverse

from apps.refunds.models import RefundResult, RefundRun
from tests.refund_review import publicize
from tests.refunds.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(dataset, caseworker, run_now):
    return run_now(user=caseworker, region_code="220102")


def test_runs_page_starts_a_run_and_redirects_to_it(dataset, caseworker, client_for,
                                                    django_capture_on_commit_callbacks):
    client = client_for(caseworker)
    assert client.get(reverse("refunds:list")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("refunds:list"), {"year": YEAR, "region": "220102"})
    run = RefundRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("refunds:detail", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "返还总额" in page and "chart-size" in page


def test_start_form_shows_service_errors_in_chinese(run, caseworker, client_for):
    response = client_for(caseworker).post(reverse("refunds:list"), {"year": YEAR, "region": "220102"})
    assert response.status_code == 400 and "已有覆盖该区划的正式批次" in response.content.decode()


def test_detail_filters_and_shows_a_diff_for_a_what_if_run(run, caseworker, client_for, run_now):
    what_if = run_now(user=caseworker, region_code="220102", dry_run=True,
                      overrides={"stable_job_refund.sme_rate": "70"})
    page = client_for(caseworker).get(reverse("refunds:detail", args=[what_if.pk]) + "?decision=eligible").content
    page = page.decode()
    assert "与正式批次" in page and "金额变化" in page and "every_reason" not in page


def test_a_dry_run_is_never_labelled_awaiting_review(run, caseworker, client_for, api_for, run_now):
    """Issue 15: nobody reviews a 试算, so it must not say 待初审 in the list, its page, its poll or the API."""
    what_if = run_now(user=caseworker, region_code="220102", dry_run=True)
    assert what_if.status == RefundRun.Status.COMPUTED and what_if.status_label == "试算完成"
    assert run.status_label == "待初审"  # the official run is
    client = client_for(caseworker)
    detail = client.get(reverse("refunds:detail", args=[what_if.pk])).content.decode()
    assert "试算完成" in detail and "待初审" not in detail
    listed = client.get(reverse("refunds:list")).content.decode()
    rows = {row.split("</td>", 1)[0]: row for row in listed.split("<tr")[1:]}
    dry_row = next(row for row in rows.values() if f'href="{reverse("refunds:detail", args=[what_if.pk])}"' in row)
    assert "试算完成" in dry_row and "待初审" not in dry_row
    # 待初审 twice: the official run's row and its status chip, which counts official runs only (1, not 2).
    assert listed.count("待初审") == 2 and 'facet-count">1<' in listed.split("待初审", 1)[1][:200]
    assert client.get(reverse("refunds:progress", args=[what_if.pk])).json()["status_display"] == "试算完成"
    assert api_for(caseworker).get(f"/api/v1/refund-runs/{what_if.pk}/").json()["status_display"] == "试算完成"


def test_progress_endpoint(run, caseworker, client_for):
    body = client_for(caseworker).get(reverse("refunds:progress", args=[run.pk])).json()
    assert body["status"] == "computed" and body["percent"] == 100


def test_explanation_regenerates_the_steps(run, caseworker, client_for, dataset):
    page = client_for(caseworker).get(reverse("refunds:result", args=[run.pk, dataset["rounding_half_up"].pk]))
    text = page.content.decode()
    assert "30% × 12,000.75 = 3,600.23" in text and "划型结果" in text


def test_notice_states_amount_basis_and_uses(run, caseworker, client_for, dataset):
    text = client_for(caseworker).get(reverse("refunds:notice", args=[run.pk, dataset["law_firm_large"].pk])
                                      ).content.decode()
    assert "7,200.00" in text and "参照中小微企业执行" in text and "律师事务所" in text
    assert "职工生活补助" in text and "缴纳社会保险费" in text and "转岗培训" in text and "降低企业生产经营成本" in text


def test_no_notice_for_an_ineligible_employer(run, caseworker, client_for, dataset):
    url = reverse("refunds:notice", args=[run.pk, dataset["dishonest"].pk])
    assert client_for(caseworker).get(url).status_code == 404


def test_approve_and_reject_from_the_page(run, supervisor, caseworker, client_for):
    client = client_for(caseworker)
    assert client.post(reverse("refunds:approve", args=[run.pk])).status_code == 403  # caseworkers can't review
    publicize(run)
    client = client_for(supervisor)
    client.post(reverse("refunds:approve", args=[run.pk]), {"comment": "同意"})
    assert RefundRun.objects.get(pk=run.pk).status == RefundRun.Status.APPROVED


def test_download_from_the_page(run, caseworker, client_for):
    response = client_for(caseworker).get(reverse("refunds:export", args=[run.pk]) + "?format=csv")
    assert response.status_code == 200
    assert b"uscc,name,decision" in b"".join(response.streaming_content)


def test_other_region_gets_404_everywhere(run, other_caseworker, client_for, dataset):
    client = client_for(other_caseworker)
    employer = dataset["baseline"].pk
    for url in (reverse("refunds:detail", args=[run.pk]), reverse("refunds:progress", args=[run.pk]),
                reverse("refunds:result", args=[run.pk, employer]), reverse("refunds:notice", args=[run.pk, employer]),
                reverse("refunds:export", args=[run.pk])):
        assert client.get(url).status_code == 404, url


def test_admin_is_read_only(run, province_admin, client_for):
    client = client_for(province_admin)
    assert client.get(reverse("admin:refunds_refundrun_changelist")).status_code == 200
    row = RefundResult.objects.filter(run=run).first()
    assert client.post(reverse("admin:refunds_refundresult_change", args=[row.pk]), {"amount": "1"}).status_code == 403


def test_the_progress_poll_re_enqueues_a_chunk_lost_with_its_worker(dataset, caseworker, client_for,
                                                                    django_capture_on_commit_callbacks):
    """No beat running: the run page's poll sweeps (at most every SWEEP_EVERY_SECONDS), so a chunk lost with a
    worker or a connection is redone while someone watches the run."""
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from apps.refunds.models import RefundChunk
    from apps.refunds.services import run_start

    cache.clear()
    run = run_start(user=caseworker, year=YEAR, region_code="220102")  # on_commit never fires: nothing computed
    lost = timezone.now() - timedelta(hours=1)
    RefundChunk.objects.filter(run=run).update(status=RefundChunk.Status.RUNNING, started_at=lost, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):  # the re-enqueued chunk runs (eager)
        body = client_for(caseworker).get(reverse("refunds:progress", args=[run.pk])).json()
    run.refresh_from_db()
    assert run.status == RefundRun.Status.COMPUTED, body
    assert RefundChunk.objects.filter(run=run, attempts=2).exists()
