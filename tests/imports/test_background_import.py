"""A large upload from the page runs as a background task (eager without a broker): the file is kept through
Django's storage API, the batch page shows a progress bar fed by a JSON endpoint, the result lists every bad
row with its line, all or nothing. A file whose bytes are not what its name says is refused before anything."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from apps.employers.models import Employer
from apps.imports import services
from apps.imports.models import ImportBatch
from tests.conftest import login_verified
from tests.imports.helpers import EMPLOYER_HEADER, bad_check_digit, employer_row, uscc, xlsx_file

pytestmark = pytest.mark.django_db

GOOD = "\n".join([EMPLOYER_HEADER, *(employer_row(n) for n in range(1, 6))]).encode()
BAD = "\n".join([EMPLOYER_HEADER, employer_row(1), f"{bad_check_digit(uscc(2))},x,enterprise,industry,,,,220102,0",
                 employer_row(3), f"{uscc(4)},y,enterprise,industry,-1,,,220102,0"]).encode()


def upload(content: bytes, name="employers.csv", content_type="text/csv"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def client_in(client, caseworker):
    return login_verified(client, caseworker)


@pytest.fixture
def storage(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


@override_settings(IMPORT_BACKGROUND_BYTES=100)
def test_a_large_upload_is_queued_then_imported_in_the_background(client_in, storage,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_in.post(reverse("imports:upload"), {"kind": "employers", "file": upload(GOOD)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[batch.pk])
    assert batch.status == ImportBatch.Status.QUEUED and batch.stored_file.startswith("imports/pending/")
    assert default_storage.exists(batch.stored_file)
    page = client_in.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert 'id="import-progress"' in page and "portal/progress.js" in page and "排队中" in page
    progress = client_in.get(reverse("imports:progress", args=[batch.pk])).json()
    assert progress == {"status": "queued", "status_label": "排队中", "done": False, "rows_checked": 0,
                        "rows_written": 0, "rows_total": 0, "percent": None, "error_count": 0}
    assert not Employer.objects.exists()

    for callback in callbacks:  # the commit: the task runs (eagerly, no broker in the tests)
        callback()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED and batch.rows_created == 5
    assert batch.stored_file == "" and not any(storage.rglob("*.csv"))  # the stored file is gone
    assert Employer.objects.count() == 5
    progress = client_in.get(reverse("imports:progress", args=[batch.pk])).json()
    assert progress["done"] and progress["percent"] == 100 and progress["rows_checked"] == 5
    page = client_in.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert 'id="import-progress"' not in page and "导入成功" in page


@override_settings(IMPORT_BACKGROUND_BYTES=100)
def test_a_background_import_with_bad_rows_lists_every_one_and_writes_nothing(client_in, storage,
                                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_in.post(reverse("imports:upload"), {"kind": "employers", "file": upload(BAD)})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    assert sorted({issue.line for issue in batch.issues.all()}) == [3, 5]
    assert not Employer.objects.exists()  # rows 2 and 4 were fine: all or nothing
    page = client_in.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "错误明细" in page


@override_settings(IMPORT_BACKGROUND_BYTES=10_000)
def test_a_small_upload_is_still_imported_while_the_page_waits(client_in):
    client_in.post(reverse("imports:upload"), {"kind": "employers", "file": upload(GOOD)})
    assert ImportBatch.objects.get().status == ImportBatch.Status.SUCCEEDED


@override_settings(IMPORT_BACKGROUND_BYTES=100, IMPORT_MAX_ROWS=2, IMPORT_BACKGROUND_MAX_ROWS=10)
def test_a_background_import_has_its_own_row_limit(client_in, storage, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_in.post(reverse("imports:upload"), {"kind": "employers", "file": upload(GOOD)})
    assert ImportBatch.objects.get().status == ImportBatch.Status.SUCCEEDED  # 5 rows: over 2, under 10


def test_a_redelivered_task_does_nothing(caseworker, storage, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_enqueue(kind="employers", handle=io.BytesIO(GOOD), file_name="e.csv",
                                        user=caseworker)
    assert services.import_stored_file(batch_id=batch.pk) is None
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED and Employer.objects.count() == 5


def test_the_other_region_cannot_read_the_progress(client, caseworker, other_caseworker, storage,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        batch = services.import_enqueue(kind="employers", handle=io.BytesIO(GOOD), file_name="e.csv",
                                        user=caseworker)
    login_verified(client, other_caseworker)
    assert client.get(reverse("imports:progress", args=[batch.pk])).status_code == 404


def _zip_not_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "says"), [
    ("employers.xlsx", GOOD, "内容不是 Excel 表格"),  # CSV text renamed .xlsx
    ("employers.xlsx", _zip_not_a_workbook(), "内容不是 Excel 表格"),  # a zip, but no workbook inside
    ("employers.xlsx", b"%PDF-1.7\n...", "实际是PDF 文档"),
    ("employers.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "实际是PNG 图片"),
    ("employers.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "旧版 Excel"),
    ("employers.csv", None, "实际是压缩包或 Excel 表格"),  # an XLSX renamed .csv
    ("employers.csv", EMPLOYER_HEADER.encode() + b"\n\x00\x00", "二进制文件"),
])
@override_settings(IMPORT_BACKGROUND_BYTES=0)
def test_a_file_that_lies_about_its_type_is_refused(client_in, storage, name, content, says):
    if content is None:
        content = xlsx_file(EMPLOYER_HEADER, employer_row(1).split(",")).getvalue()
    response = client_in.post(reverse("imports:upload"), {"kind": "employers", "file": upload(
        content, name, content_type="text/csv" if name.endswith(".xlsx") else "application/vnd.ms-excel")})
    assert response.status_code == 200 and says in response.content.decode()
    assert not ImportBatch.objects.exists() and not any(storage.rglob("*.*"))


@override_settings(IMPORT_BACKGROUND_BYTES=0)
def test_a_real_xlsx_is_accepted(client_in, storage, django_capture_on_commit_callbacks):
    content = xlsx_file(EMPLOYER_HEADER, employer_row(1).split(",")).getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        client_in.post(reverse("imports:upload"), {"kind": "employers", "file": upload(content, "e.xlsx")})
    assert ImportBatch.objects.get().status == ImportBatch.Status.SUCCEEDED


@pytest.mark.parametrize(("size", "refused"), [(len(GOOD), False), (len(GOOD) - 1, True)])
def test_the_size_limit_counts_the_bytes_received(client_in, storage, django_capture_on_commit_callbacks, size, refused):
    with override_settings(IMPORT_MAX_UPLOAD_BYTES=size, IMPORT_BACKGROUND_BYTES=0), \
            django_capture_on_commit_callbacks(execute=True):
        response = client_in.post(reverse("imports:upload"), {"kind": "employers", "file": upload(GOOD)})
    assert ImportBatch.objects.exists() is not refused
    if refused:
        assert "上传上限" in response.content.decode()
