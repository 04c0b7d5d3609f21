"""Bad input never crashes an import: a NUL byte, a failure half-way, a zip bomb, a file over the limits, a
Content-Length that lies. Every batch ends as rejected or failed — never "running" — with a Chinese message."""

import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from apps.employers.models import Employer
from apps.imports import readers, services
from apps.imports.models import ImportBatch
from apps.imports.services import import_file
from tests.imports.helpers import EMPLOYER_HEADER, csv_file, employer_row, uscc, xlsx_file

pytestmark = pytest.mark.django_db
API = "/api/v1/imports/"


def run(handle, source="api"):
    return import_file(kind="employers", handle=handle, file_name="employers.csv", user=None, source=source)


def upload(content: bytes, name="employers.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def nul_file() -> bytes:
    return "\n".join([EMPLOYER_HEADER, employer_row(1), employer_row(2, name="坏\x00单位")]).encode()


def test_a_nul_byte_is_a_clear_rejection_not_a_500(api_for, caseworker):
    api = api_for(caseworker)
    api.raise_request_exception = False
    response = api.post(API, {"kind": "employers", "file": upload(nul_file())}, format="multipart")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "import_rejected" and body["status"] == "rejected"
    assert any("空字符" in error["message"] and error["line"] == 3 for error in body["errors"])
    assert not ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING).exists()
    assert not Employer.objects.exists()


@pytest.mark.parametrize("where", ["check_chunk", "write_chunk"])
def test_any_failure_marks_the_batch_failed(monkeypatch, where):
    def boom(self, *args, **kwargs):
        raise RuntimeError("disk on fire")

    spec = services.spec_for("employers")
    monkeypatch.setattr(type(spec), where, boom)
    with pytest.raises(RuntimeError):
        run(csv_file(EMPLOYER_HEADER, employer_row(1)))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED and batch.finished_at is not None
    assert "内部错误" in batch.message
    assert not Employer.objects.exists()


def test_too_many_rows_are_refused_without_reading_them_all(settings):
    settings.IMPORT_MAX_ROWS = 5
    batch = run(csv_file(EMPLOYER_HEADER, *[employer_row(i) for i in range(1, 8)]))
    assert batch.status == ImportBatch.Status.REJECTED and "5 行" in batch.message
    assert not Employer.objects.exists()
    # the operator's command has no row limit
    assert run(csv_file(EMPLOYER_HEADER, *[employer_row(i) for i in range(1, 8)]), source="command").rows_created == 7


def _bomb(rows: int) -> bytes:
    """A valid workbook whose one sheet holds `rows` rows of the same cells: a megabyte or so on disk."""
    template = xlsx_file(EMPLOYER_HEADER).getvalue()
    row = "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 9 + "</row>"  # no r=: Excel's own shorthand
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"</row>", b"</row>" + row.encode() * rows, data, count=1)
            target.writestr(item.filename, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_parsed(monkeypatch, api_for, caseworker):
    bomb = _bomb(400_000)
    assert len(bomb) < 3_000_000
    monkeypatch.setattr(readers, "load_workbook", lambda *a, **k: pytest.fail("parsed the bomb"))
    started = time.monotonic()
    response = api_for(caseworker).post(API, {"kind": "employers", "file": upload(bomb, name="bomb.xlsx")},
                                        format="multipart")
    assert time.monotonic() - started < 10
    assert response.status_code == 400
    assert "解压后" in response.json()["detail"]
    assert ImportBatch.objects.get().status == ImportBatch.Status.REJECTED


def test_an_xlsx_over_the_row_limit_stops_at_the_limit(settings):
    settings.IMPORT_MAX_ROWS = 1000
    batch = run(io.BytesIO(_bomb(5000)))
    assert batch.status == ImportBatch.Status.REJECTED and "1000 行" in batch.message


def test_an_upload_over_the_size_limit_is_refused(settings, api_for, client_for, caseworker):
    settings.IMPORT_MAX_UPLOAD_BYTES = 2000
    big = "\n".join([EMPLOYER_HEADER, *[employer_row(i) for i in range(1, 40)]]).encode()
    assert len(big) > 2000
    response = api_for(caseworker).post(API, {"kind": "employers", "file": upload(big)}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "file_too_large"
    assert "超过" in response.json()["detail"]
    page = client_for(caseworker).post(reverse("imports:upload"), {"kind": "employers", "file": upload(big)})
    assert page.status_code == 200 and "超过" in page.content.decode()
    assert not Employer.objects.exists() and not ImportBatch.objects.exists()


def _raw_post(client, path, content: bytes, content_length: int):
    body = encode_multipart("BoUnDaRy", {"kind": "employers", "file": upload(content)})
    return client.generic("POST", path, body, content_type=MULTIPART_CONTENT.replace("BoUnDaRyStRiNg", "BoUnDaRy"),
                          CONTENT_LENGTH=str(content_length))


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(settings, api_for, caseworker):
    settings.IMPORT_MAX_UPLOAD_BYTES = 2000
    api = api_for(caseworker)
    api.raise_request_exception = False
    response = _raw_post(api, API, b"x", 10_000_000)
    assert response.status_code == 400 and response.json()["code"] == "file_too_large"


def _wsgi_post(client, path: str, content: bytes, content_length: int) -> int:
    """POST a multipart body straight to the WSGI handler with a Content-Length of our choosing, as a client
    on the network can (the test client refuses to read past the body it was given). Returns the status."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    body = encode_multipart("BoUnDaRy", {"kind": "employers", "file": upload(content)})
    token = "a" * 32
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "SERVER_NAME": "testserver", "SERVER_PORT": "80",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": "multipart/form-data; boundary=BoUnDaRy", "CONTENT_LENGTH": str(content_length),
        "HTTP_COOKIE": f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}",
        "HTTP_X_CSRFTOKEN": token,
    }
    statuses = []
    # as the test client does: the handler must not close the test's database connection when it finishes
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        b"".join(WSGIHandler()(environ, lambda status, headers, *_: statuses.append(int(status.split()[0]))))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return statuses[0]


def test_a_content_length_that_lies_is_handled(settings, client_for, caseworker):
    settings.IMPORT_MAX_UPLOAD_BYTES = 2000
    big = "\n".join([EMPLOYER_HEADER, *[employer_row(i) for i in range(1, 40)]]).encode()
    client = client_for(caseworker)
    # claims 1,500 bytes, sends 4,000+: only what it declared is read, and that is no complete upload
    assert _wsgi_post(client, API, big, 1500) == 400
    # claims less than the limit, sends much more than the limit
    assert _wsgi_post(client, API, big * 3, 2500) == 400
    # claims more than it sends: the body ends early
    assert _wsgi_post(client, API, big[:1000], 1900) == 400
    assert not Employer.objects.filter(uscc=uscc(39)).exists()
    assert not ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING).exists()


def test_an_abandoned_csv_reader_is_finalised_quietly_after_its_file_is_closed():
    """A reader left mid-file is finalised by the garbage collector, maybe after the caller closed the
    file: it must not raise (it did: 'I/O operation on closed file' from detaching the text wrapper)."""
    import gc
    import io as _io
    import sys

    from apps.imports.readers import iter_rows

    unraisable = []
    previous, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        handle = _io.BytesIO("姓名,身份证号\n张三,1\n李四,2\n".encode())
        rows = iter_rows(handle)
        next(rows)
        handle.close()
        del rows
        gc.collect()
    finally:
        sys.unraisablehook = previous
    assert unraisable == []
