"""The public list (公示名单): no sign-in, by an unguessable token; no personal data in the page, the CSV or
the XLSX; formula cells neutralised; 404 before publishing, for dry runs, for unknown tokens and after the
public period; noindex; rate-limited; reading it is not audited; a constant number of queries."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.models import AccessLog
from apps.employers.models import Employer
from apps.publicity.models import Publication
from apps.refunds.services import run_first_review, run_publish, run_reject
from tests.publicity.conftest import add_employers, computed_run
from tests.queries import assert_queries_constant
from tests.refund_review import move_window

pytestmark = pytest.mark.django_db
HEADER = ["序号", "单位名称", "统一社会信用代码（脱敏）", "企业划型", "拟返还金额（元）"]


def publish(run, reviewer):
    run_first_review(run_id=run.pk, user=reviewer)
    run_publish(run_id=run.pk, user=reviewer)
    return Publication.objects.get(source="refunds.run", record_id=run.pk)


def url(publication, tail=""):
    return f"/public/publicity/{publication.token}/{tail}"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_page_without_signing_in(run, supervisor):
    publication = publish(run, supervisor)
    response = Client().get(url(publication))
    assert response.status_code == 200
    html = response.content.decode()
    for employer in run.employers:
        assert employer.name in html and f"{employer.uscc[:4]}**********{employer.uscc[-4:]}" in html
    assert run.ineligible.name not in html  # the list is of the units to be paid
    assert "小型" in html and "3,600.23" in html
    assert f"公示期 {publication.starts_on:%Y-%m-%d} 至 {publication.ends_on:%Y-%m-%d}（5 个工作日）" in html
    assert "如何提出异议" in html and "示例文字" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow" and response["Referrer-Policy"] == "no-referrer"
    assert 'id="public-pdf"' in html  # the documents service draws the PDF (apps.publicity.pdf)
    assert not AccessLog.objects.exists()  # public data: reading it is not a personal-data read


def test_no_personal_data_in_the_page_the_csv_or_the_xlsx(run, supervisor):
    publication = publish(run, supervisor)
    Employer.objects.filter(pk=run.employers[0].pk).update(contact_name="联系人李四", contact_phone="13912345678")
    personal = set()
    for employer in Employer.objects.filter(pk__in=[e.pk for e in run.employers]):
        personal.update(v for v in (employer.uscc, employer.bank_account, employer.bank_name, employer.contact_name,
                                    employer.contact_phone) if v)
    client = Client()
    html = client.get(url(publication)).content.decode()
    text = body(client.get(url(publication, "download.csv"))).decode("utf-8-sig")
    book = load_workbook(io.BytesIO(body(client.get(url(publication, "download.xlsx")))))
    cells = " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)
    for where, content in (("html", html), ("csv", text), ("xlsx", cells)):
        assert [value for value in personal if value in content] == [], where
        assert run.employers[0].name in content, where


def test_csv_and_xlsx_columns_and_formula_cells(run, supervisor):
    Employer.objects.filter(pk=run.employers[0].pk).update(name="=HYPERLINK(\"http://x\",\"点我\")")
    publication = publish(run, supervisor)
    client = Client()
    response = client.get(url(publication, "download.csv"))
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex, nofollow"
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0] == HEADER and len(rows) == 4
    assert rows[1][1] == "'=HYPERLINK(\"http://x\",\"点我\")"
    assert rows[1][0] == "1" and rows[1][3] == "小型" and rows[1][4] == "3600.23"
    sheet = load_workbook(io.BytesIO(body(client.get(url(publication, "download.xlsx"))))).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADER and len(values) == 4
    assert values[1][1] == "'=HYPERLINK(\"http://x\",\"点我\")" and sheet.cell(row=2, column=2).data_type == "s"
    assert float(values[1][4]) == 3600.23  # a number cell


def test_the_token_is_unguessable(run, supervisor, caseworker):
    first = publish(run, supervisor)
    other = computed_run(caseworker, region_id="220104")
    add_employers(other, 1, start=10)
    second = publish(other, supervisor)
    for publication in (first, second):
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", publication.token)
    assert first.token != second.token
    client = Client()
    assert client.get(f"/public/publicity/{run.pk}/").status_code == 404  # never by id
    assert client.get(f"/public/publicity/{'A' * 32}/").status_code == 404  # unknown token
    assert client.get(f"/public/publicity/{first.token[:-1]}/").status_code == 404


def test_404_before_publishing_and_for_dry_runs(run, supervisor, caseworker):
    run_first_review(run_id=run.pk, user=supervisor)
    assert not Publication.objects.exists()  # first reviewed, not published: no token exists at all
    dry = computed_run(caseworker, official=False)
    with pytest.raises(Exception):  # noqa: B017 — run_is_dry_run, tested in test_review_lifecycle
        run_first_review(run_id=dry.pk, user=supervisor)
    # A publication row of a dry run (made behind the service) still shows nothing: the source says not visible.
    fake = Publication.objects.create(source="refunds.run", record_id=dry.pk, region_id="220102", token="B" * 32,
                                      published_by=supervisor, published_at=timezone.now(), starts_on=date.today(),
                                      ends_on=date.today(), working_days=1)
    assert Client().get(url(fake)).status_code == 404


@override_settings(PUBLICITY_PUBLIC_DAYS_AFTER=30)
def test_the_page_comes_down_after_the_public_period_and_when_the_run_is_returned(run, supervisor, reviewer_b):
    publication = publish(run, supervisor)
    today = timezone.localdate()
    move_window(run, starts_on=today - timedelta(days=40), ends_on=today - timedelta(days=30))
    assert Client().get(url(publication)).status_code == 200  # the 30th day after the window: still up
    move_window(run, starts_on=today - timedelta(days=41), ends_on=today - timedelta(days=31))
    assert Client().get(url(publication)).status_code == 404
    assert Client().get(url(publication, "download.csv")).status_code == 404
    move_window(run, starts_on=today, ends_on=today + timedelta(days=7))
    run_reject(run_id=run.pk, user=reviewer_b, comment="数据有误，撤回公示")
    assert Client().get(url(publication)).status_code == 404


@override_settings(PUBLIC_RATE_PER_MINUTE=3)
def test_the_public_page_is_rate_limited(run, supervisor):
    publication = publish(run, supervisor)
    client = Client()
    assert [client.get(url(publication)).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url(publication, "download.csv"))
    assert response.status_code == 429 and response["Retry-After"] == "60"


def test_the_public_page_reads_a_constant_number_of_queries(run, supervisor):
    publication = publish(run, supervisor)
    client = Client()
    added = [3]

    def add_rows(k):
        add_employers(run, k, start=100 + added[0])
        added[0] += k

    assert_queries_constant(lambda: client.get(url(publication)), add_rows, n=4, at_most=6)
    assert_queries_constant(lambda: client.get(url(publication, "download.xlsx")), add_rows, n=4, at_most=6)


def test_the_pdf_has_the_public_columns_and_no_full_code(run, supervisor):
    import pypdfium2

    publication = publish(run, supervisor)
    response = Client().get(url(publication, "download.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    document = pypdfium2.PdfDocument(body(response))
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document))).replace("\r\n", "")
    for employer in run.employers:
        assert employer.name in text and f"{employer.uscc[:4]}**********{employer.uscc[-4:]}" in text
        assert employer.uscc not in text
    assert run.ineligible.name not in text
    assert f"{publication.starts_on:%Y-%m-%d} 至 {publication.ends_on:%Y-%m-%d}" in text
