"""The 稳岗返还 disbursement list carries employer names as imported: a name that is a formula is exported as text."""

import csv
import io

import pytest
from openpyxl import load_workbook

from apps.employers.models import Employer
from apps.refunds.models import RefundResult, RefundRun
from tests.core.test_formula_injection import PAYLOADS
from tests.refund_review import publicize
from tests.refunds.test_api import URL, started  # noqa: F401 — the fixture
from tests.refunds.test_export_jobs import download, export_exports

pytestmark = pytest.mark.django_db
NAMES = [p for p in PAYLOADS if not p[0].isspace()]  # the import strips a leading tab or CR


@pytest.fixture
def poisoned(started):  # noqa: F811
    ids = RefundResult.objects.filter(run_id=started["id"]).order_by("employer_id").values_list("employer_id", flat=True)
    employers = list(Employer.objects.filter(pk__in=list(ids)).order_by("id")[:len(NAMES)])
    for employer, name in zip(employers, NAMES, strict=True):  # as an import of their names would leave them
        Employer.objects.filter(pk=employer.pk).update(name=name)
    return started


def test_disbursement_csv_and_xlsx_carry_formula_names_as_text(poisoned, supervisor, api_for,
                                                               django_capture_on_commit_callbacks):
    api = api_for(supervisor)
    publicize(RefundRun.objects.get(pk=poisoned["id"]))
    assert api.post(f"{URL}{poisoned['id']}/approve/", {}, format="json").status_code == 200
    text = b"".join(api.get(f"{URL}{poisoned['id']}/export/?format=csv").streaming_content).decode("utf-8")
    names = {row["name"] for row in csv.DictReader(io.StringIO(text))}
    assert {"'" + name for name in NAMES} <= names and not names & set(NAMES)
    job = export_exports(api, poisoned["id"], "xlsx", django_capture_on_commit_callbacks)  # a background job
    sheet = load_workbook(io.BytesIO(download(api, job))).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert {"'" + name for name in NAMES} <= {cell.value for cell in cells}
    assert {cell.data_type for cell in cells} == {"s"}
    amounts = [row[7] for row in sheet.iter_rows(min_row=2)]
    assert {cell.data_type for cell in amounts} == {"n"}
