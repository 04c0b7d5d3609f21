"""The downloadable import template per kind (issue 15): Chinese headers, one example row, a notes sheet; and
the template as downloaded imports (its Chinese headers are accepted)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.employers.models import Employer
from apps.imports.models import ImportBatch
from apps.imports.services import import_file
from apps.imports.specs import SPECS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_kind_has_a_template_with_chinese_headers_an_example_and_notes(kind, caseworker, client_for):
    response = client_for(caseworker).get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["导入数据", "填写说明"]
    data, notes = book["导入数据"], book["填写说明"]
    columns = SPECS[kind].columns
    assert [cell.value for cell in data[1]] == [column.label for column in columns]
    assert data.freeze_panes == "A2" and data[1][0].font.bold
    example = [cell.value for cell in data[2]]
    assert any(example), "the example row comes from the kind's sample file"
    assert all(cell.data_type == "s" for cell in data[2] if cell.value is not None)  # IDs stay text
    assert [row[1] for row in notes.iter_rows(min_row=2, max_row=len(columns) + 1, values_only=True)] == \
        [column.name for column in columns]
    assert any("GBK" in (row[0] or "") for row in notes.iter_rows(values_only=True))


def test_the_template_as_downloaded_imports(caseworker, client_for):
    content = client_for(caseworker).get(reverse("imports:template", args=["employers"])).content
    batch = import_file(kind="employers", handle=io.BytesIO(content), file_name="用人单位导入模板.xlsx",
                        user=caseworker, source="test")
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert Employer.objects.get().name == "吉林省长白山机械制造有限公司"


def test_an_unknown_kind_is_404_and_the_upload_page_links_every_template(caseworker, client_for):
    client = client_for(caseworker)
    assert client.get("/imports/template/nothing.xlsx").status_code == 404
    html = client.get(reverse("imports:upload")).content.decode()
    for kind in ImportBatch.Kind.values:
        assert reverse("imports:template", args=[kind]) in html
