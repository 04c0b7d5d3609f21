"""The same import through the API (JSON) and the UI (page with error table and report download)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.employers.models import Employer
from apps.imports.models import ImportBatch
from tests.imports.helpers import EMPLOYER_HEADER, bad_check_digit, employer_row, uscc

pytestmark = pytest.mark.django_db

BAD = "\n".join([EMPLOYER_HEADER, employer_row(1), f"{bad_check_digit(uscc(2))},x,enterprise,industry,,,,220102,0",
                 f"{uscc(3)},y,enterprise,industry,-1,,,220102,0"]).encode()
GOOD = "\n".join([EMPLOYER_HEADER, employer_row(1), employer_row(2)]).encode()


def upload(content: bytes, name="employers.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_api_rejects_bad_file_with_every_error_as_json(api_for, caseworker):
    response = api_for(caseworker).post("/api/v1/imports/", {"kind": "employers", "file": upload(BAD)},
                                        format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected" and body["error_count"] == 2
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(3, "uscc"), (4, "employees")]
    assert "校验位错误" in body["errors"][0]["message"]
    assert body["errors_url"].endswith(f"/imports/{body['id']}/errors.csv")
    assert not Employer.objects.exists()


def test_api_imports_good_file_and_batch_is_readable(api_for, caseworker, other_caseworker):
    api = api_for(caseworker)
    response = api.post("/api/v1/imports/", {"kind": "employers", "file": upload(GOOD)}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["rows_created"] == 2
    batch_id = response.json()["id"]
    assert api.get(f"/api/v1/imports/{batch_id}/").json()["status"] == "succeeded"
    assert api_for(other_caseworker).get(f"/api/v1/imports/{batch_id}/").status_code == 404


def test_api_requires_kind_and_file(api_for, caseworker):
    response = api_for(caseworker).post("/api/v1/imports/", {"kind": "nonsense"}, format="multipart")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"kind", "file"}


def test_ui_upload_shows_error_table_and_report_downloads(client_for, caseworker):
    client = client_for(caseworker)
    assert client.get(reverse("imports:upload")).status_code == 200
    response = client.post(reverse("imports:upload"), {"kind": "employers", "file": upload(BAD)}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "校验位错误" in html and "不能为负数" in html and "下载错误报告" in html
    batch = ImportBatch.objects.get()
    report = client.get(reverse("imports:errors", args=[batch.pk, "csv"]))
    assert report["Content-Disposition"].endswith('errors.csv"')
    assert "校验位错误" in b"".join(report.streaming_content).decode("utf-8-sig")
    xlsx = client.get(reverse("imports:errors", args=[batch.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_ui_good_upload_shows_summary(client_for, caseworker):
    client = client_for(caseworker)
    response = client.post(reverse("imports:upload"), {"kind": "employers", "file": upload(GOOD)}, follow=True)
    assert "新增 2 条" in response.content.decode()
    assert Employer.objects.count() == 2


def test_ui_refuses_other_file_types(client_for, caseworker):
    response = client_for(caseworker).post(reverse("imports:upload"),
                                           {"kind": "employers", "file": upload(b"x", name="a.pdf")})
    assert response.status_code == 200 and "只支持 .csv 或 .xlsx 文件" in response.content.decode()


def test_other_caseworker_cannot_open_batch_or_report(client_for, caseworker, other_caseworker):
    client_for(caseworker).post(reverse("imports:upload"), {"kind": "employers", "file": upload(BAD)})
    batch = ImportBatch.objects.get()
    client = client_for(other_caseworker)
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("imports:errors", args=[batch.pk, "csv"])).status_code == 404
