"""告知书 of an operating-subsidy claim (apps.childcare.notices, a documents NoticeSource): content from the
claim and its parameter versions, draft until approved, the public verify page, scoping, the generic batch
pages, the API, query counts."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from apps.childcare.models import OperatingSubsidyClaim
from apps.childcare.notices import SOURCE, claim_row_keys
from apps.childcare.services import claims
from apps.documents.models import Notice, NoticeSeries
from apps.documents.selectors import verify_code
from apps.documents.services import batch_start, notice_ensure
from apps.documents.sources import source_by_slug
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import version_ids
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory, publicized
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db
Status = OperatingSubsidyClaim.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _claim(user, *, region_id="220102", status=Status.DRAFT, approver=None, name=None):
    """A 普惠民办 institution with one child all 2025 in 长春市城区: 3600 × 12 ÷ 12 = 3,600.00 yuan."""
    institution = InstitutionFactory(region_id=region_id, **({"name": name} if name else {}))
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    claim = claims.claim_compute(institution=institution, year=2025, user=user)
    if status in (Status.SUBMITTED, Status.RETURNED, Status.APPROVED):
        claim = claims.claim_submit(claim=claim, user=user)
    if status == Status.RETURNED:
        claim = claims.claim_return(claim=claim, user=approver, comment="补充材料")
    if status == Status.APPROVED:
        claim = claims.claim_approve(claim=publicized(claim), user=approver, comment="同意")
    assert claim.status == status
    return claim


def _ensure(claim) -> Notice:
    return notice_ensure(source=SOURCE, source_id=claim.pk, row_key=str(claim.institution_id))


def _text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    return text.replace("\r", "").replace("\n", "")  # wrapped lines joined: a phrase reads as printed


def _pdf_text(notice: Notice) -> str:
    with notice.file.open("rb") as handle:
        return _text(handle.read())


def test_registered_by_slug():
    assert source_by_slug("childcare-claim") is SOURCE


def test_the_notice_of_an_approved_claim(client, caseworker, supervisor):
    claim = _claim(caseworker, status=Status.APPROVED, approver=supervisor, name="南关区阳光托育园")
    notice = _ensure(claim)
    text = _pdf_text(notice)
    assert notice.number == "吉卫托补告〔2025〕第000001号" and notice.number in text
    assert "普惠托育服务补助告知书" in text and "南关区阳光托育园" in text
    assert notice.amount == claim.amount == Decimal("3600.00") and "补助金额为人民币 3,600.00 元" in text
    uscc = claim.institution.uscc
    assert uscc not in text and f"{uscc[:4]}" in text and uscc[-4:] in text  # masked
    # the basis: the documents cited by the versions the claim used, by title (and 文号 where there is one)
    assert "吉林省人民政府办公厅《吉林省提振消费专项行动实施方案》" in text
    assert "《吉林省进一步完善和落实积极生育支持措施的实施意见》（吉卫联发〔2023〕56号）" in text
    assert ".txt" not in text  # never the archive file
    assert "降低托育机构运营成本" in text and "补助资金用于以下方面" in text  # the uses, from the parameter
    assert "12320" in text  # the series' objection channel
    assert "草稿" not in text and not notice.is_draft
    # the public verify page accepts its code
    assert verify_code(notice.code).outcome == "valid"
    page = client.get(reverse("documents:verify", args=[notice.code]))
    html = page.content.decode()
    assert page.status_code == 200 and "有效" in html and notice.number in html and "3,600.00 元" in html
    assert "verify-draft" not in html and uscc not in html


def test_the_basis_is_the_stored_versions_documents(caseworker, supervisor):
    claim = _claim(caseworker, status=Status.APPROVED, approver=supervisor)
    used = version_ids(p["version"] for part in claim.explanation for p in part["parameters"])
    PolicyParameter.objects.filter(pk__in=used, key="childcare_operating.annual_rate_table").update(
        source_number="吉政办发〔2025〕99号")  # a 文号 on the rate table's version the claim used
    assert "《吉林省提振消费专项行动实施方案》（吉政办发〔2025〕99号）" in _pdf_text(_ensure(claim))


@pytest.mark.parametrize(("status", "draft"), [
    (Status.DRAFT, True), (Status.SUBMITTED, True), (Status.RETURNED, True), (Status.APPROVED, False),
])
def test_draft_until_approved(client, caseworker, supervisor, status, draft):
    claim = _claim(caseworker, status=status, approver=supervisor)
    assert_draft(client, _ensure(claim), draft, reason="补助申报尚未审核通过")


def assert_draft(client, notice, draft: bool, *, reason: str) -> None:
    """A draft says so everywhere: the flag, the PDF's 草稿 watermark and reason, the verify page's mark."""
    text = _pdf_text(notice)
    assert notice.is_draft is draft
    assert ("草稿" in text) is draft and (reason in text) is draft
    html = client.get(reverse("documents:verify", args=[notice.code])).content.decode()
    assert ("verify-draft" in html) is draft


def test_approval_makes_a_final_version_with_the_same_number(caseworker, supervisor):
    claim = _claim(caseworker, status=Status.SUBMITTED)
    draft = _ensure(claim)
    assert _ensure(claim).pk == draft.pk  # unchanged content: the same version
    claims.claim_approve(claim=publicized(claim), user=supervisor)
    final = _ensure(claim)
    assert final.pk != draft.pk and final.number == draft.number and final.version == 2 and not final.is_draft
    assert verify_code(draft.code).outcome == "superseded" and verify_code(final.code).outcome == "valid"


def test_no_notice_for_a_claim_of_nothing(client_for, caseworker):
    institution = InstitutionFactory(region_id="220102")  # no child: 0 yuan
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    assert claim.amount == 0 and claim_row_keys(claim.pk) == []
    client = client_for(caseworker)
    assert 'id="notice-link"' not in client.get(reverse("childcare:claim-detail", args=[claim.pk])).content.decode()
    assert client.get(reverse("childcare:claim-notice-pdf", args=[claim.pk])).status_code == 404


def test_pages_preview_and_pdf(client_for, caseworker):
    claim = _claim(caseworker, status=Status.SUBMITTED)
    client = client_for(caseworker)
    detail = client.get(reverse("childcare:claim-detail", args=[claim.pk])).content.decode()
    assert reverse("childcare:claim-notice", args=[claim.pk]) in detail
    assert reverse("childcare:claim-notice-pdf", args=[claim.pk]) in detail
    preview = client.get(reverse("childcare:claim-notice", args=[claim.pk])).content.decode()
    assert 'class="draft-watermark"' in preview and "补助申报尚未审核通过" in preview and "3,600.00" in preview
    assert "文号于生成 PDF 时编定" in preview  # nothing generated yet
    pdf = client.get(reverse("childcare:claim-notice-pdf", args=[claim.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    notice = Notice.objects.get(source=SOURCE.key, source_id=claim.pk)
    assert "3,600.00" in _text(b"".join(pdf.streaming_content))
    preview = client.get(reverse("childcare:claim-notice", args=[claim.pk])).content.decode()
    assert notice.number in preview and "verify-box" in preview  # the stored version: its 文号 and code
    assert notice.number in client.get(reverse("childcare:claim-detail", args=[claim.pk])).content.decode()


def _urls(claim_id) -> list[tuple[str, str]]:
    return [("get", reverse("childcare:claim-notice", args=[claim_id])),
            ("get", reverse("childcare:claim-notice-pdf", args=[claim_id])),
            ("get", reverse("documents:batch-status", args=[SOURCE.slug, claim_id])),
            ("get", reverse("documents:batch-download", args=[SOURCE.slug, claim_id])),
            ("post", reverse("documents:batch-start", args=[SOURCE.slug, claim_id]))]


def test_another_regions_caseworker_gets_404(client_for, api_for, caseworker, other_caseworker, supervisor):
    claim = _claim(caseworker, status=Status.APPROVED, approver=supervisor)
    client = client_for(other_caseworker)  # 吉林市船营区
    for method, url in _urls(claim.pk):
        assert getattr(client, method)(url).status_code == 404, url
    assert api_for(other_caseworker).get(f"/api/v1/childcare/claims/{claim.pk}/notice/").status_code == 404
    assert not Notice.objects.exists()  # nothing generated for them


@pytest.mark.parametrize("path", [
    "/childcare/claims/abc/notice/", "/childcare/claims/1x/notice.pdf", "/childcare/claims/-1/notice/",
    "/documents/childcare-claim/abc/notices/status/", "/documents/childcare-claim/1.5/notices/download/",
    "/api/v1/childcare/claims/abc/notice/",
])
def test_a_path_id_that_is_not_a_number_is_404(client_for, caseworker, path):
    _claim(caseworker)
    assert client_for(caseworker).get(path).status_code == 404


def test_the_generic_batch_pages_serve_the_claim(client_for, caseworker, supervisor,
                                                 django_capture_on_commit_callbacks):
    claim = _claim(caseworker, status=Status.APPROVED, approver=supervisor)
    client = client_for(caseworker)
    with django_capture_on_commit_callbacks(execute=True):  # the eager task runs on commit
        started = client.post(reverse("documents:batch-start", args=[SOURCE.slug, claim.pk]))
    assert started.status_code == 302 and started["Location"] == reverse("childcare:claim-detail", args=[claim.pk])
    status = client.get(reverse("documents:batch-status", args=[SOURCE.slug, claim.pk])).json()
    assert status["status"] == "done" and status["total"] == 1
    download = client.get(reverse("documents:batch-download", args=[SOURCE.slug, claim.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == 2 and "清单.csv" in names and "吉卫托补告〔2025〕第000001号" in names[0]


def test_batch_start_counts_the_one_row(caseworker, supervisor):
    claim = _claim(caseworker, status=Status.APPROVED, approver=supervisor)
    assert batch_start(source=SOURCE, source_id=claim.pk, user=caseworker).total == 1


def test_the_api_gives_the_pdf(api_for, caseworker):
    claim = _claim(caseworker, status=Status.SUBMITTED)
    response = api_for(caseworker).get(f"/api/v1/childcare/claims/{claim.pk}/notice/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "草稿" in _text(b"".join(response.streaming_content))


def test_a_missing_series_is_a_clear_refusal(caseworker):
    claim = _claim(caseworker)
    NoticeSeries.objects.filter(source=SOURCE.key).delete()
    with pytest.raises(Exception) as error:
        _ensure(claim)
    assert getattr(error.value, "code", "") == "notice_series_missing"


def test_claim_page_queries_do_not_grow_with_claims(client_for, caseworker, supervisor):
    claim = _claim(caseworker, status=Status.APPROVED, approver=supervisor)
    _ensure(claim)
    client = client_for(caseworker)

    def add(n):
        for _ in range(n):  # more claims with notices in the region, and more versions of this claim's notice
            _ensure(_claim(caseworker, status=Status.SUBMITTED))
            Notice.objects.filter(source=SOURCE.key, source_id=claim.pk).update(content_sha256="changed")
            _ensure(claim)

    response = assert_queries_constant(lambda: client.get(reverse("childcare:claim-detail", args=[claim.pk])), add,
                                       n=2)
    assert response.status_code == 200
    assert_queries_constant(lambda: client.get(reverse("childcare:claim-list")),
                            lambda n: [_claim(caseworker) for _ in range(n)], n=2)


def test_the_back_office_lists_the_claims_notice_in_its_region(client_for, caseworker, supervisor):
    from apps.accounts.models import User
    from tests.factories import UserFactory

    notice = _ensure(_claim(caseworker, status=Status.APPROVED, approver=supervisor))
    url = reverse("admin:documents_notice_changelist") + f"?source={SOURCE.key}"
    assert notice.number in client_for(supervisor).get(url).content.decode()  # 长春市 sees 南关区
    jilin_city = UserFactory(username="sup_jilin_city", role=User.Role.SUPERVISOR, region_id="220200", is_staff=True)
    assert notice.number not in client_for(jilin_city).get(url).content.decode()


@pytest.mark.parametrize("query", ["", "?format=json", "?format=pdf"])
def test_the_api_gives_the_pdf_whatever_format_is_asked(api_for, caseworker, query):
    """The fuzz asked for ?format=json and its report read the streamed PDF's `.content` (a crash it called a
    500): the notice is a file, so `json` or `pdf` gives the same PDF (apps/core/api/files.py)."""
    claim = _claim(caseworker, status=Status.SUBMITTED)
    response = api_for(caseworker).get(f"/api/v1/childcare/claims/{claim.pk}/notice/{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("query", ["?format=api", "?format=csv"])
def test_the_api_refuses_another_format_of_the_notice(api_for, caseworker, query):
    claim = _claim(caseworker, status=Status.SUBMITTED)
    response = api_for(caseworker).get(f"/api/v1/childcare/claims/{claim.pk}/notice/{query}")
    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"


def test_no_notice_is_a_json_404_even_when_the_pdf_is_asked_for(api_for, caseworker):
    """A claim without an amount has no notice: the error is JSON, not a body typed application/pdf."""
    claim = _claim(caseworker, status=Status.SUBMITTED)
    type(claim).objects.filter(pk=claim.pk).update(amount=0)
    response = api_for(caseworker).get(f"/api/v1/childcare/claims/{claim.pk}/notice/?format=pdf")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "no_notice"
