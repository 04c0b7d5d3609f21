"""A run's export as a background job (apps.core.export_jobs): queued → running → done with progress, the
export recorded only when the file is ready, one job for a double click, scoped like the run, every download
logged, a failure shown in Chinese and an interrupted job queued again, expired files deleted."""
# ruff: noqa: F811 — `started` is the fixture imported below

import csv
import dataclasses
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core import export_jobs
from apps.core.models import AccessLog, ExportJob
from apps.refunds.exports import SOURCE
from apps.refunds.models import RefundRun
from tests.factories import UserFactory
from tests.refund_review import publicize
from tests.refunds.conftest import CASES
from tests.refunds.test_api import URL, started  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db
JOBS = "/api/v1/exports/"


def export_exports(api, run_id: int, fmt: str, capture) -> dict:
    """POST …/exports/ with the task run (eagerly, on commit); the job's status afterwards."""
    with capture(execute=True):
        response = api.post(f"{URL}{run_id}/exports/", {"format": fmt}, format="json")
    assert response.status_code == 202, response.content
    return api.get(f"{JOBS}{response.json()['id']}/").json()


def download(api, job: dict) -> bytes:
    response = api.get(job["download_url"])
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _exports(run_id: int) -> int:
    return AccessLog.objects.filter(action="export", object_type="refunds.refundrun", object_id=str(run_id),
                                    purpose__startswith="导出稳岗返还结果").count()


def _source_with(**changes):
    """The run's export source with a piece replaced, for the duration of a test."""
    return mock.patch.dict(export_jobs._SOURCES, {SOURCE.key: dataclasses.replace(SOURCE, **changes)})


def test_xlsx_job_goes_queued_running_done_and_the_file_is_the_sheet(started, supervisor, api_for,
                                                                      django_capture_on_commit_callbacks):
    api = api_for(supervisor)
    publicize(RefundRun.objects.get(pk=started["id"]))
    api.post(f"{URL}{started['id']}/approve/", {}, format="json")
    seen: list[tuple[str, int]] = []

    def write(user, run, fmt, handle, progress):
        def watched(done):
            progress(done)
            seen.append(ExportJob.objects.values_list("status", "done").get())

        seen.append(ExportJob.objects.values_list("status", "done").get())
        return SOURCE.write(user, run, fmt, handle, watched)

    with _source_with(write=write), mock.patch.object(export_jobs, "PROGRESS_EVERY", 2):
        job = export_exports(api, started["id"], "xlsx", django_capture_on_commit_callbacks)
    assert seen[0] == ("running", 0) and ("running", 2) in seen and ("running", 4) in seen
    assert job["status"] == "done" and job["percent"] == 100 and job["ready"]
    assert job["total"] == job["done"] == len(CASES) and job["filename"].endswith("发放清单.xlsx")
    sheet = load_workbook(io.BytesIO(download(api, job))).active
    assert sheet.max_row == len(CASES) + 1 and sheet["A1"].value == "uscc"
    assert RefundRun.objects.get(pk=started["id"]).status == RefundRun.Status.EXPORTED


def test_a_queued_job_has_its_total_and_no_record_yet(started, caseworker, api_for):
    job = api_for(caseworker).post(f"{URL}{started['id']}/exports/", {"format": "xlsx"}, format="json").json()
    assert (job["status"], job["total"], job["done"], job["percent"]) == ("pending", len(CASES), 0, 0)
    assert _exports(started["id"]) == 0


def test_export_is_recorded_only_when_the_file_is_ready(started, caseworker, api_for,
                                                       django_capture_on_commit_callbacks):
    recorded_while_running = []

    def write(user, run, fmt, handle, progress):
        recorded_while_running.append(_exports(run.pk))
        return SOURCE.write(user, run, fmt, handle, progress)

    with _source_with(write=write):
        job = export_exports(api_for(caseworker), started["id"], "csv", django_capture_on_commit_callbacks)
    assert recorded_while_running == [0]  # nothing recorded while the file was being written
    assert job["status"] == "done" and _exports(started["id"]) == 1


def test_a_failed_job_says_so_in_chinese_and_records_nothing(started, caseworker, api_for,
                                                            django_capture_on_commit_callbacks):
    def broken(*args):
        raise OSError("disk full")

    with _source_with(write=broken):
        job = export_exports(api_for(caseworker), started["id"], "xlsx", django_capture_on_commit_callbacks)
    assert job["status"] == "failed" and job["error"] == export_jobs.FAILED_MESSAGE and not job["ready"]
    assert _exports(started["id"]) == 0
    assert api_for(caseworker).get(f"{JOBS}{job['id']}/download/").status_code == 404
    again = export_exports(api_for(caseworker), started["id"], "xlsx", django_capture_on_commit_callbacks)
    assert again["id"] != job["id"] and again["status"] == "done"  # a new click is the retry


def test_a_second_click_while_one_runs_returns_the_same_job(started, caseworker, api_for):
    api = api_for(caseworker)  # no on-commit execution: the first job stays queued
    first = api.post(f"{URL}{started['id']}/exports/", {"format": "xlsx"}, format="json").json()
    second = api.post(f"{URL}{started['id']}/exports/", {"format": "xlsx"}, format="json").json()
    other_format = api.post(f"{URL}{started['id']}/exports/", {"format": "csv"}, format="json").json()
    assert first["id"] == second["id"] != other_format["id"]
    assert ExportJob.objects.filter(source="refund-run", source_id=started["id"]).count() == 2


def test_an_interrupted_job_is_queued_again_and_finishes(started, caseworker, api_for,
                                                        django_capture_on_commit_callbacks):
    api = api_for(caseworker)
    first = api.post(f"{URL}{started['id']}/exports/", {"format": "xlsx"}, format="json").json()
    # the worker died half-way: running, no progress for longer than EXPORT_STALE_MINUTES
    ExportJob.objects.filter(pk=first["id"]).update(status="running", done=3,
                                                    progress_at=timezone.now() - timedelta(hours=1))
    again = export_exports(api, started["id"], "xlsx", django_capture_on_commit_callbacks)
    assert again["id"] == first["id"] and again["status"] == "done" and again["done"] == len(CASES)


def test_a_redelivered_message_of_a_finished_job_does_nothing(started, caseworker, api_for,
                                                             django_capture_on_commit_callbacks):
    job = export_exports(api_for(caseworker), started["id"], "csv", django_capture_on_commit_callbacks)
    export_jobs.job_run(job_id=job["id"])
    assert _exports(started["id"]) == 1


def test_job_and_file_are_404_for_someone_who_cannot_see_the_run(started, caseworker, other_caseworker, api_for,
                                                                client_for, django_capture_on_commit_callbacks):
    job = export_exports(api_for(caseworker), started["id"], "csv", django_capture_on_commit_callbacks)
    outsider = api_for(other_caseworker)
    assert outsider.post(f"{URL}{started['id']}/exports/", {"format": "csv"}, format="json").status_code == 404
    for url in (f"{JOBS}{job['id']}/", f"{JOBS}{job['id']}/download/"):
        assert outsider.get(url).status_code == 404, url
    page = client_for(other_caseworker)
    for name in ("export-job", "export-job-download"):
        assert page.get(reverse(name, args=[job["id"]])).status_code == 404, name
    colleague = UserFactory(username="cw_nanguan_2", role="caseworker", region_id="220102")
    assert api_for(colleague).get(f"{JOBS}{job['id']}/").status_code == 404  # someone else's job


def test_every_download_is_logged(started, caseworker, api_for, client_for, django_capture_on_commit_callbacks):
    api = api_for(caseworker)
    job = export_exports(api, started["id"], "csv", django_capture_on_commit_callbacks)
    rows = list(csv.DictReader(io.StringIO(download(api, job).decode("utf-8"))))
    assert len(rows) == len(CASES)
    response = client_for(caseworker).get(reverse("export-job-download", args=[job["id"]]))
    assert response.status_code == 200 and b"uscc,name" in b"".join(response.streaming_content)
    downloads = AccessLog.objects.filter(action="export", purpose__startswith=f"下载导出文件 #{job['id']}")
    assert downloads.count() == 2 and _exports(started["id"]) == 1


def test_the_page_starts_xlsx_as_a_job_and_shows_its_progress(started, caseworker, client_for,
                                                             django_capture_on_commit_callbacks):
    client = client_for(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("refunds:export", args=[started["id"]]), {"format": "xlsx"})
    assert response.status_code == 302 and response["Location"].endswith("#exports")
    job = ExportJob.objects.get(source="refund-run", source_id=started["id"])
    assert job.status == "done"
    page = client.get(reverse("refunds:detail", args=[started["id"]])).content.decode()
    assert 'id="exports"' in page and reverse("export-job-download", args=[job.pk]) in page
    status = client.get(reverse("export-job", args=[job.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100


@pytest.mark.parametrize(("rows", "fmt", "inline"), [(len(CASES), "csv", True), (len(CASES) - 1, "csv", False),
                                                      (len(CASES), "xlsx", False)])
def test_csv_over_the_threshold_and_every_xlsx_are_jobs(started, caseworker, client_for, api_for, settings,
                                                       rows, fmt, inline):
    settings.EXPORT_INLINE_MAX_ROWS = rows
    response = client_for(caseworker).post(reverse("refunds:export", args=[started["id"]]), {"format": fmt})
    assert (response.status_code == 200) is inline
    assert ExportJob.objects.filter(source_id=started["id"]).exists() is not inline
    api = api_for(caseworker).get(f"{URL}{started['id']}/export/?format={fmt}")
    assert api.status_code == (200 if inline else 409)  # 409 export_async: start a job instead


def test_expired_files_are_deleted_and_the_job_row_stays(started, caseworker, api_for,
                                                        django_capture_on_commit_callbacks):
    api = api_for(caseworker)
    job = export_exports(api, started["id"], "csv", django_capture_on_commit_callbacks)
    stored = ExportJob.objects.get(pk=job["id"])
    name = stored.file.name
    assert export_jobs.files_purge() == 0  # not yet expired
    assert export_jobs.files_purge(now=stored.expires_at + timedelta(seconds=1)) == 1
    stored.refresh_from_db()
    assert not stored.file and not stored.file.storage.exists(name)
    status = api.get(f"{JOBS}{job['id']}/").json()
    assert status["status_display"] == "已过期" and not status["ready"]
    assert api.get(f"{JOBS}{job['id']}/download/").status_code == 404
