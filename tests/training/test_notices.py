"""告知书 of a training subsidy claim (apps.training.notices, a documents NoticeSource): to the person with the ID
number masked, draft until approved, the objection deadline from the claim's 公示 when there is one, the public
verify page, scoping, the pages and the API."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.documents.models import Notice
from apps.documents.selectors import verify_code
from apps.documents.services import notice_ensure
from apps.documents.sources import source_by_slug
from apps.publicity.models import Publication
from apps.training.models import TrainingSubsidyClaim
from apps.training.notices import SOURCE
from apps.training.services import claim_move
from tests.childcare.test_notices import _pdf_text, _text, assert_draft
from tests.training.conftest import make_enrollment, make_program, publicized, walk_to

pytestmark = pytest.mark.django_db
Status = TrainingSubsidyClaim.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _claim(occupations, caseworker, supervisor, state="subsidy_claimed", region_id="220102"):
    enrollment = make_enrollment(make_program(occupations, region_id=region_id), caseworker)
    return walk_to(enrollment, state, supervisor, caseworker).claims.get()


def _ensure(claim) -> Notice:
    return notice_ensure(source=SOURCE, source_id=claim.pk, row_key=str(claim.person_id))


def test_registered_by_slug():
    assert source_by_slug("training-claim") is SOURCE


@pytest.mark.parametrize(("state", "status", "draft"), [
    ("subsidy_claimed", Status.CLAIMED, True), ("approved", Status.APPROVED, False), ("paid", Status.PAID, False),
])
def test_draft_until_approved(client, occupations, caseworker, supervisor, state, status, draft):
    claim = _claim(occupations, caseworker, supervisor, state)
    assert claim.status == status
    assert_draft(client, _ensure(claim), draft, reason="补贴申领尚未审核通过")


def test_the_notice_of_an_approved_claim(client, occupations, caseworker, supervisor):
    claim = _claim(occupations, caseworker, supervisor, "approved")
    notice = _ensure(claim)
    text = _pdf_text(notice)
    person = claim.person
    assert notice.number == f"吉人社培补告〔{timezone.localdate().year}〕第000001号" and notice.number in text
    assert "职业技能培训补贴告知书" in text and person.name in text and "职业培训补贴" in text
    assert claim.occupation.name in text and "初级工" in text  # occupation and level
    assert f"{claim.amount:,.2f}" in text and notice.amount == claim.amount > Decimal("0")
    # the ID number masked, never the full one
    assert person.id_number not in text and f"{person.id_number[:4]}" in text and person.id_number[-4:] in text
    assert "政策依据" in text and "《" in text and ".txt" not in text and ".pdf" not in text  # titles, never files
    # the channel, and the deadline: an approved claim went through its 公示 (training.claim), whose last day it is
    ends_on = Publication.objects.get(source="training.claim", record_id=claim.pk).ends_on
    assert "12333" in text and f"请于{ends_on:%Y年%-m月%-d日}（含）前通过" in text
    # the public verify page: valid, the name and the ID number masked only
    assert verify_code(notice.code).outcome == "valid"
    page = client.get(reverse("documents:verify", args=[notice.code]))
    html = page.content.decode()
    assert page.status_code == 200 and "有效" in html and notice.number in html
    assert person.id_number not in html and person.name not in html and person.name[0] + "*" in html


def test_the_basis_is_the_stored_versions_documents(occupations, caseworker, supervisor):
    from apps.eligibility.models import PolicyParameter
    from apps.eligibility.parameters import version_ids

    claim = _claim(occupations, caseworker, supervisor, "approved")
    used = version_ids(p["version"] for p in claim.explanation["parameters"])
    row = PolicyParameter.objects.filter(pk__in=used).first()
    PolicyParameter.objects.filter(pk=row.pk).update(source_number="吉人社发〔2026〕99号")
    assert "（吉人社发〔2026〕99号）" in _pdf_text(_ensure(claim))


def test_the_deadline_is_the_publications_end(client, occupations, caseworker, supervisor):
    claim = _claim(occupations, caseworker, supervisor)
    first = _ensure(claim)
    assert "12333" in _pdf_text(first) and "（含）前" not in _pdf_text(first)  # no deadline before the 公示
    # published Friday 29 May: 5 working days from Monday 1 June
    claim_move(claim=claim, decision="publish", user=supervisor, today=date(2026, 5, 29))
    assert Publication.objects.get(source="training.claim", record_id=claim.pk).ends_on == date(2026, 6, 5)
    second = _ensure(claim)
    assert second.pk != first.pk and second.number == first.number  # the deadline is content: a new version
    assert "请于2026年6月5日（含）前通过" in _pdf_text(second)
    assert "2026年6月5日" in client.get(reverse("documents:verify", args=[second.code])).content.decode()
    assert verify_code(first.code).outcome == "superseded"


def test_approval_makes_a_final_version_with_the_same_number(occupations, caseworker, supervisor):
    from apps.training.services import enrollment_transition

    claim = publicized(_claim(occupations, caseworker, supervisor))
    draft = _ensure(claim)
    assert _ensure(claim).pk == draft.pk  # unchanged content: the same version
    enrollment_transition(enrollment=claim.enrollment, action="approve", user=supervisor)
    final = _ensure(claim)
    assert final.pk != draft.pk and final.number == draft.number and final.version == 2 and not final.is_draft
    assert verify_code(draft.code).outcome == "superseded" and verify_code(final.code).outcome == "valid"


def test_pages_preview_and_pdf(client_for, occupations, caseworker, supervisor):
    claim = _claim(occupations, caseworker, supervisor)
    client = client_for(caseworker)
    detail = client.get(reverse("training:enrollment-detail", args=[claim.enrollment_id])).content.decode()
    assert reverse("training:claim-notice", args=[claim.pk]) in detail
    assert reverse("training:claim-notice-pdf", args=[claim.pk]) in detail
    preview = client.get(reverse("training:claim-notice", args=[claim.pk])).content.decode()
    assert 'class="draft-watermark"' in preview and "补贴申领尚未审核通过" in preview
    assert claim.person.id_number not in preview and "文号于生成 PDF 时编定" in preview
    pdf = client.get(reverse("training:claim-notice-pdf", args=[claim.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f"{claim.amount:,.2f}" in _text(b"".join(pdf.streaming_content))
    notice = Notice.objects.get(source=SOURCE.key, source_id=claim.pk)
    preview = client.get(reverse("training:claim-notice", args=[claim.pk])).content.decode()
    assert notice.number in preview and "verify-box" in preview


def test_the_api_gives_the_pdf(api_for, occupations, caseworker, supervisor):
    claim = _claim(occupations, caseworker, supervisor)
    response = api_for(caseworker).get(f"/api/v1/training/claims/{claim.pk}/notice/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(b"".join(response.streaming_content))
    assert "草稿" in text and claim.person.id_number not in text


def test_another_regions_caseworker_gets_404(client_for, api_for, occupations, caseworker, other_caseworker,
                                            supervisor):
    claim = _claim(occupations, caseworker, supervisor, "approved")
    client = client_for(other_caseworker)  # 吉林市船营区
    for method, url in [("get", reverse("training:claim-notice", args=[claim.pk])),
                        ("get", reverse("training:claim-notice-pdf", args=[claim.pk])),
                        ("get", reverse("documents:batch-status", args=[SOURCE.slug, claim.pk])),
                        ("post", reverse("documents:batch-start", args=[SOURCE.slug, claim.pk]))]:
        assert getattr(client, method)(url).status_code == 404, url
    assert api_for(other_caseworker).get(f"/api/v1/training/claims/{claim.pk}/notice/").status_code == 404
    assert not Notice.objects.exists()


def test_the_verify_page_is_rate_limited(client, settings, occupations, caseworker, supervisor):
    notice = _ensure(_claim(occupations, caseworker, supervisor, "approved"))
    settings.PUBLIC_RATE_PER_MINUTE = 2
    codes = [client.get(reverse("documents:verify", args=[notice.code])).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
