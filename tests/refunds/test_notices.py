"""告知书 of a refund run: 文号, content from the run, verify outcomes, new versions, the batch ZIP, scoping."""

import hashlib
import io
import zipfile

import pypdfium2 as pdfium
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AccessLog
from apps.documents import services as document_services
from apps.documents.models import Notice, NoticeBatch, NoticeCounter, NoticeSeries
from apps.documents.selectors import verify_code
from apps.documents.services import (
    batch_run,
    batch_start,
    notice_ensure,
    notices_ensure,
    number_allot,
    series_for,
)
from apps.refunds.models import RefundRun
from apps.refunds.notices import SOURCE, run_row_keys
from tests.refunds.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def run(dataset, caseworker, run_now):
    return run_now(user=caseworker, region_code="220102")


def _text(notice: Notice) -> str:
    with notice.file.open("rb") as handle:
        document = pdfium.PdfDocument(handle.read())
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    return text.replace("\r", "").replace("\n", "")  # wrapped lines joined: a phrase reads as printed


def _approve(run, supervisor):
    from tests.refund_review import approve

    return approve(run, approver=supervisor, comment="同意")  # 初审 → 公示 → 复核 (tests/refund_review.py)


# ------------------------------------------------------------------ 文号


@pytest.mark.parametrize(("steps", "expected"), [
    # (series region, year) per allotment → the 文号 given
    ([("220000", 2026)] * 3, ["吉人社稳返告〔2026〕第000001号", "吉人社稳返告〔2026〕第000002号", "吉人社稳返告〔2026〕第000003号"]),
    ([("220000", 2026), ("220000", 2027), ("220000", 2026)],  # each year its own sequence
     ["吉人社稳返告〔2026〕第000001号", "吉人社稳返告〔2027〕第000001号", "吉人社稳返告〔2026〕第000002号"]),
    ([("220000", 2026), ("220100", 2026), ("220000", 2026)],  # a city's own series counts on its own
     ["吉人社稳返告〔2026〕第000001号", "长人社稳返告〔2026〕第000001号", "吉人社稳返告〔2026〕第000002号"]),
])
def test_number_sequence(steps, expected):
    NoticeSeries.objects.create(source=SOURCE.key, region_id="220100", prefix="长人社稳返告", objection_channel="窗口")
    given = [number_allot(NoticeSeries.objects.get(source=SOURCE.key, region_id=region), year) for region, year in steps]
    assert given == expected


@pytest.mark.parametrize(("region_code", "series_region"), [
    ("220102", "220100"),  # 南关区 is in 长春市: the city's series
    ("220100", "220100"),
    ("220204", "220000"),  # 船营区 (吉林市): the province's
    ("220000", "220000"),
])
def test_the_nearest_series_numbers_a_notice(region_code, series_region):
    NoticeSeries.objects.create(source=SOURCE.key, region_id="220100", prefix="长人社稳返告", objection_channel="窗口")
    assert series_for(SOURCE.key, region_code).region_id == series_region


def test_no_series_is_a_clear_refusal():
    NoticeSeries.objects.all().delete()
    with pytest.raises(Exception) as error:
        series_for(SOURCE.key, "220102")
    assert getattr(error.value, "code", "") == "notice_series_missing"


def test_the_prefix_is_data_an_administrator_changes(run, dataset):
    NoticeSeries.objects.filter(source=SOURCE.key).update(prefix="吉人社告")
    notice = notice_ensure(source=SOURCE, source_id=run.pk, row_key=str(dataset["baseline"].pk))
    assert notice.number == f"吉人社告〔{YEAR}〕第000001号"


# ------------------------------------------------------------------ content


def test_the_notice_says_what_the_run_decided(run, dataset):
    employer = dataset["law_firm_large"]
    notice = notice_ensure(source=SOURCE, source_id=run.pk, row_key=str(employer.pk))
    text = _text(notice)
    assert notice.number in text and employer.name in text and "7,200.00" in text
    assert employer.uscc not in text and employer.uscc[:4] in text  # masked
    assert "参照中小微企业执行" in text and "草稿" in text and "待定" in text  # not approved; no publicity end yet
    assert "职工生活补助" in text and "降低企业生产经营成本" in text  # the permitted uses, from the parameter
    assert "《失业保险稳岗返还政策》" in text and "《2024年政府工作报告》" in text  # the documents of its versions
    assert "12333" in text  # the series' objection channel
    assert notice.is_draft and notice.amount == employer_amount(run, employer)
    assert notice.sha256 == hashlib.sha256(notice.file.open("rb").read()).hexdigest()


def employer_amount(run, employer):
    return run.results.get(employer=employer).amount


def test_no_notice_for_ineligible_or_zero(run, dataset):
    keys = run_row_keys(run.pk)
    assert str(dataset["dishonest"].pk) not in keys and str(dataset["baseline"].pk) in keys
    assert notices_ensure(source=SOURCE, source_id=run.pk, row_keys=[str(dataset["dishonest"].pk), "x"]) == []


# ------------------------------------------------------------------ versions and verification


def test_unchanged_content_keeps_the_version_a_change_makes_a_new_one(run, dataset, supervisor):
    key = str(dataset["baseline"].pk)
    first = notice_ensure(source=SOURCE, source_id=run.pk, row_key=key)
    assert notice_ensure(source=SOURCE, source_id=run.pk, row_key=key).pk == first.pk  # idempotent
    _approve(run, supervisor)
    second = notice_ensure(source=SOURCE, source_id=run.pk, row_key=key)
    first.refresh_from_db()
    assert second.pk != first.pk and second.version == 2 and second.number == first.number
    assert second.code != first.code and not second.is_draft and first.superseded_at is not None
    assert "草稿" not in _text(second)
    assert verify_code(first.code).outcome == "superseded" and verify_code(second.code).outcome == "valid"


def test_the_publicity_end_is_the_objection_deadline_and_a_new_version(run, dataset):
    key = str(dataset["baseline"].pk)
    first = notice_ensure(source=SOURCE, source_id=run.pk, row_key=key)
    assert "请于待定（含）前" in _text(first)
    RefundRun.objects.filter(pk=run.pk).update(publicity_ends_on="2026-12-15")
    second = notice_ensure(source=SOURCE, source_id=run.pk, row_key=key)
    assert second.version == 2 and "请于2026年12月15日（含）前" in _text(second)
    assert second.fact("异议截止") == "2026年12月15日" and verify_code(first.code).outcome == "superseded"


def _tamper(notice):
    path = notice.file.path
    with open(path, "ab") as handle:
        handle.write(b"%")


def _delete_file(notice):
    notice.file.storage.delete(notice.file.name)


@pytest.mark.parametrize(("change", "outcome", "label", "status"), [
    (None, "valid", "有效", 200),
    (_tamper, "tampered", "已失效", 200),  # the stored file no longer hashes to the registered SHA-256
    (_delete_file, "tampered", "已失效", 200),
])
def test_verify_page_outcomes(run, dataset, client, change, outcome, label, status):
    notice = notice_ensure(source=SOURCE, source_id=run.pk, row_key=str(dataset["baseline"].pk))
    if change:
        change(notice)
    assert verify_code(notice.code).outcome == outcome
    response = client.get(reverse("documents:verify", args=[notice.code]))  # no sign-in
    page = response.content.decode()
    assert response.status_code == status and f'id="verify-status">{label}<' in page
    assert notice.number in page and "草稿" in page  # a draft says so
    assert page.index("单位名称") < page.index("返还金额") < page.index("发文机关")  # in order, on PostgreSQL too
    assert dataset["baseline"].uscc not in page


@pytest.mark.parametrize("typed", ["ZZZZZZZZZZZZZZZZ", "abc", "0000000000000000", "%2e%2e", "A" * 300])
def test_verify_page_unknown_codes(typed, client):
    response = client.get(f"/verify/{typed}/")
    assert response.status_code == 404 and 'id="verify-status">不存在<' in response.content.decode()


def test_verify_form_normalises_what_was_typed(run, dataset, client):
    notice = notice_ensure(source=SOURCE, source_id=run.pk, row_key=str(dataset["baseline"].pk))
    typed = "-".join(notice.code[i:i + 4] for i in range(0, 16, 4)).lower()
    response = client.get(reverse("documents:verify-form"), {"code": typed})
    assert response.status_code == 302 and response.url == reverse("documents:verify", args=[notice.code])


def test_verify_page_is_rate_limited_per_address_in_its_own_count(run, dataset, client, settings):
    settings.PUBLIC_RATE_PER_MINUTE = 3
    notice = notice_ensure(source=SOURCE, source_id=run.pk, row_key=str(dataset["baseline"].pk))
    page = reverse("documents:verify", args=[notice.code])
    assert [client.get(page).status_code for _ in range(2)] == [200, 200]
    assert client.get("/verify/ZZZZZZZZZZZZZZZZ/").status_code == 404  # a guess counts too
    refused = client.get(page)
    assert refused.status_code == 429 and refused["Retry-After"] == "60" and "请一分钟后再试" in refused.content.decode()
    assert client.get(page, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address has its own count
    from apps.core.throttle import over_limit

    request = type("Request", (), {"META": {"REMOTE_ADDR": "127.0.0.1"}})()
    assert not over_limit(request, scope="publicity")  # the public list counts its own requests


def test_the_verify_url_is_in_the_qr_and_the_text(run, dataset, settings):
    settings.PUBLIC_BASE_URL = "https://portal.example.test"
    notice = notice_ensure(source=SOURCE, source_id=run.pk, row_key=str(dataset["baseline"].pk))
    assert f"https://portal.example.test/verify/{notice.code}/" in _text(notice)


# ------------------------------------------------------------------ pages


def test_preview_page_draft_watermark_and_pdf_download(run, dataset, caseworker, client_for):
    client = client_for(caseworker)
    employer = dataset["baseline"]
    page = client.get(reverse("refunds:notice", args=[run.pk, employer.pk])).content.decode()
    assert 'class="draft-watermark"' in page and 'id="draft-banner"' in page and "文号于生成 PDF 时编定" in page
    response = client.get(reverse("refunds:notice-pdf", args=[run.pk, employer.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    notice = Notice.objects.get()
    assert AccessLog.objects.filter(object_type="documents.notice", object_id=str(notice.pk), user=caseworker).exists()
    page = client.get(reverse("refunds:notice", args=[run.pk, employer.pk])).content.decode()
    assert notice.number in page and 'id="verify-box"' in page and "<svg" in page
    result_page = client.get(reverse("refunds:result", args=[run.pk, employer.pk])).content.decode()
    assert reverse("refunds:notice-pdf", args=[run.pk, employer.pk]) in result_page


def test_final_preview_has_no_watermark(run, dataset, caseworker, supervisor, client_for):
    _approve(run, supervisor)
    page = client_for(caseworker).get(reverse("refunds:notice", args=[run.pk, dataset["baseline"].pk])).content.decode()
    assert "draft-watermark" not in page and "草稿" not in page


# ------------------------------------------------------------------ batch


def test_batch_from_the_page_with_progress_and_zip(run, caseworker, client_for, django_capture_on_commit_callbacks):
    client = client_for(caseworker)
    page = client.get(reverse("refunds:detail", args=[run.pk])).content.decode()
    assert 'id="notice-progress"' in page and "尚未生成" in page
    token = page.split('name="form_token" value="')[1].split('"')[0] if 'name="form_token"' in page else ""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:batch-start", args=["refund-run", run.pk]), {"form_token": token})
    assert response.status_code == 302
    status = client.get(reverse("documents:batch-status", args=["refund-run", run.pk])).json()
    keys = run_row_keys(run.pk)
    assert status["status"] == "done" and status["done"] == status["total"] == len(keys) and status["percent"] == 100
    page = client.get(reverse("refunds:detail", args=[run.pk])).content.decode()
    assert "pct-100" in page and 'id="notice-download"' in page
    download = client.get(reverse("documents:batch-download", args=["refund-run", run.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == len(keys) and "清单.csv" in archive.namelist()
    for notice in Notice.objects.all():
        assert notice.sha256 in archive.read("清单.csv").decode("utf-8-sig")
    batch = NoticeBatch.objects.get()
    assert batch.sha256 == hashlib.sha256(batch.file.open("rb").read()).hexdigest()
    assert AccessLog.objects.filter(object_type="documents.noticebatch", user=caseworker,
                                    action=AccessLog.Action.EXPORT).count() == 1


def test_batch_is_idempotent_and_resumes_after_a_failure(run, caseworker, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    monkeypatch.setattr(document_services, "CHUNK", 2)
    keys = run_row_keys(run.pk)
    assert len(keys) > 4
    real = document_services.notices_ensure
    calls = {"n": 0}

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker lost")
        return real(**kwargs)

    monkeypatch.setattr(document_services, "notices_ensure", failing)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):  # the eager task runs on commit
        batch_start(source=SOURCE, source_id=run.pk, user=caseworker)
    batch = NoticeBatch.objects.get()
    assert batch.status == NoticeBatch.Status.FAILED and batch.done == 2 and Notice.objects.count() == 2
    first_two = set(Notice.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        again = batch_start(source=SOURCE, source_id=run.pk, user=caseworker)
    assert again.pk == batch.pk  # the failed batch resumes
    batch.refresh_from_db()
    assert batch.status == NoticeBatch.Status.DONE and batch.done == len(keys)
    assert Notice.objects.count() == len(keys) and first_two <= set(Notice.objects.values_list("pk", flat=True))
    batch_run(batch_id=batch.pk)  # a redelivered message: nothing changes
    assert Notice.objects.count() == len(keys) and NoticeCounter.objects.get().last == len(keys)


def test_batch_queries_do_not_grow_with_unchanged_notices(run, caseworker, monkeypatch):
    """Regenerating a batch where nothing changed: the same number of queries for N and for 3N rows
    (one chunk); a first generation costs a fixed handful per notice (number, insert, history), no more."""
    monkeypatch.setattr(document_services, "CHUNK", 500)
    keys = run_row_keys(run.pk)

    def count(rows):
        with CaptureQueriesContext(connection) as queries:
            notices_ensure(source=SOURCE, source_id=run.pk, row_keys=rows)
        return len(queries.captured_queries)

    first_small, first_large = count(keys[:2]), count(keys[2:8])
    assert (first_large - first_small) / 4 <= 6  # per extra notice
    assert count(keys[:2]) == count(keys[:6])  # nothing to regenerate: constant


# ------------------------------------------------------------------ API


def test_api_start_status_download(run, caseworker, api_for, django_capture_on_commit_callbacks):
    api = api_for(caseworker)
    url = f"/api/v1/refund-runs/{run.pk}/notices/"
    assert api.get(url).json()["status"] == "none"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url, HTTP_IDEMPOTENCY_KEY="notices-1")
    assert response.status_code == 202
    body = api.get(url).json()
    assert body["status"] == "done" and body["ready"] and body["download_url"] == f"{url}download/"
    download = api.get(body["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).testzip() is None
    assert AccessLog.objects.filter(object_type="documents.noticebatch", user=caseworker).exists()
    replay = api.post(url, HTTP_IDEMPOTENCY_KEY="notices-1")
    assert replay.status_code == 202 and NoticeBatch.objects.count() == 1


def test_api_download_before_any_batch_is_404(run, caseworker, api_for):
    assert api_for(caseworker).get(f"/api/v1/refund-runs/{run.pk}/notices/download/").status_code == 404


# ------------------------------------------------------------------ scoping


def test_other_region_gets_404_everywhere(run, dataset, other_caseworker, client_for, api_for,
                                          django_capture_on_commit_callbacks):
    employer = dataset["baseline"].pk
    client = client_for(other_caseworker)
    for url in (reverse("refunds:notice", args=[run.pk, employer]), reverse("refunds:notice-pdf", args=[run.pk, employer]),
                reverse("documents:batch-status", args=["refund-run", run.pk]),
                reverse("documents:batch-download", args=["refund-run", run.pk])):
        assert client.get(url).status_code == 404, url
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("documents:batch-start", args=["refund-run", run.pk])).status_code == 404
        api = api_for(other_caseworker)
        assert api.get(f"/api/v1/refund-runs/{run.pk}/notices/").status_code == 404
        assert api.post(f"/api/v1/refund-runs/{run.pk}/notices/").status_code == 404
        assert api.get(f"/api/v1/refund-runs/{run.pk}/notices/download/").status_code == 404
    assert not Notice.objects.exists() and not NoticeBatch.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/refund-runs/abc/notices/", "/api/v1/refund-runs/abc/notices/download/",
                                  "/documents/refund-run/abc/notices/status/", "/documents/no-such/1/notices/status/",
                                  "/refunds/1/employers/abc/notice.pdf"])
def test_non_numeric_and_unknown_ids(path, run, caseworker, client_for, api_for):
    response = (api_for(caseworker) if path.startswith("/api/") else client_for(caseworker)).get(path)
    assert response.status_code == 404


def test_admin_lists_notices_read_only_and_scoped(run, dataset, province_admin, client_for):
    notice = notice_ensure(source=SOURCE, source_id=run.pk, row_key=str(dataset["baseline"].pk))
    client = client_for(province_admin)
    page = client.get(reverse("admin:documents_notice_changelist")).content.decode()
    assert notice.number in page
    assert client.post(reverse("admin:documents_notice_change", args=[notice.pk]), {"number": "x"}).status_code == 403
    assert RefundRun.objects.filter(pk=run.pk).exists()
