"""异议 against a refund run's result: window, lifecycle and four eyes, the hold, upheld → version 2."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.core.models import AccessLog
from apps.core.review import ReviewRefused
from apps.objections import services
from apps.objections.models import Objection
from apps.refunds.exports import csv_lines
from apps.refunds.models import RefundResult, RefundRun
from apps.refunds.payments import run_lines
from apps.refunds.services import verification

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


@pytest.fixture
def run(publicizing_run):
    return publicizing_run


def lodge(user, run, employer, item="fact:months_paid_in_full", channel="on_behalf", code=""):
    return services.objection_lodge(user=user, source_slug="refund-run", record_id=run.pk, row_key=str(employer.pk),
                                    disputed_item=item, grounds="缴费记录有误", channel=channel, subject_code=code)


@pytest.mark.parametrize(("starts", "ends", "published", "code", "message"), [
    (-5, 0, True, None, ""),  # the last day (ends_on) is allowed
    (-5, -1, True, services.WINDOW_CLOSED, "结束"),  # the day after is refused
    (0, 5, True, None, ""),  # the first day
    (1, 5, True, services.WINDOW_NOT_OPEN, "开始，届时方可"),  # published (today), window not yet begun
    (-5, 5, False, services.WINDOW_NOT_OPEN, "尚未公示"),  # before publication
])
def test_objection_window(run, dataset, caseworker, starts, ends, published, code, message):
    today = timezone.localdate()
    RefundRun.objects.filter(pk=run.pk).update(
        status=RefundRun.Status.PUBLICIZING if published else RefundRun.Status.FIRST_REVIEWED,
        published_at=timezone.now() if published else None,
        publicity_starts_on=today + timedelta(days=starts), publicity_ends_on=today + timedelta(days=ends))
    if code is None:
        assert lodge(caseworker, run, dataset["baseline"]).status == "lodged"
    else:
        with pytest.raises(ApplicationError) as error:
            lodge(caseworker, run, dataset["baseline"])
        assert error.value.code == code and error.value.status_code == 409
        assert message in error.value.message


def test_one_open_objection_per_result_and_disputed_item_must_be_offered(run, dataset, caseworker):
    lodge(caseworker, run, dataset["baseline"])
    with pytest.raises(ApplicationError) as error:
        lodge(caseworker, run, dataset["baseline"])
    assert error.value.code == services.ALREADY_OPEN
    with pytest.raises(ApplicationError) as error:
        lodge(caseworker, run, dataset["dishonest"], item="fact:nonsense")
    assert "disputed_item" in error.value.fields


def test_api_lodging_requires_the_employers_code(run, dataset, integration_client):
    employer = dataset["baseline"]
    with pytest.raises(ApplicationError) as error:
        lodge(integration_client, run, employer, channel="api", code="91220102MA00000000")
    assert "employer_uscc" in error.value.fields
    objection = lodge(integration_client, run, employer, channel="api", code=employer.uscc)
    assert objection.channel == "api" and objection.entered_by == integration_client


def test_out_of_scope_row_is_404(run, dataset, other_caseworker):
    with pytest.raises(ApplicationError) as error:
        lodge(other_caseworker, run, dataset["baseline"])
    assert error.value.status_code == 404


def test_lifecycle_four_eyes_and_hold(run, dataset, caseworker, supervisor):
    employer = dataset["baseline"]
    before = {line.row_key for line in run_lines(run.pk, None)}
    assert str(employer.pk) in before
    objection = lodge(supervisor, run, employer)  # entered by a supervisor on the employer's behalf
    assert str(employer.pk) not in {line.row_key for line in run_lines(run.pk, None)}  # held
    with pytest.raises(ApplicationError) as error:  # not under review yet
        services.objection_decide(user=supervisor, objection_id=objection.pk, decision="reject", reasons="x")
    assert error.value.code == "transition_not_allowed"
    services.objection_assign(user=supervisor, objection_id=objection.pk, assignee_id=caseworker.pk)
    with pytest.raises(ReviewRefused) as refused:  # a caseworker does not decide
        services.objection_decide(user=caseworker, objection_id=objection.pk, decision="reject", reasons="x")
    assert refused.value.code == "reviewer_required"
    with pytest.raises(ReviewRefused) as refused:  # the one who entered it does not decide
        services.objection_decide(user=supervisor, objection_id=objection.pk, decision="reject", reasons="x")
    assert refused.value.code == "four_eyes"


def test_rejected_releases_the_hold_and_keeps_the_result(run, dataset, caseworker, supervisor):
    employer = dataset["baseline"]
    objection = lodge(caseworker, run, employer)
    services.objection_assign(user=supervisor, objection_id=objection.pk, assignee_id=caseworker.pk)
    result = RefundResult.objects.get(run=run, employer=employer)
    services.objection_decide(user=supervisor, objection_id=objection.pk, decision="reject", reasons="缴费记录无误")
    assert str(employer.pk) in {line.row_key for line in run_lines(run.pk, None)}
    assert RefundResult.objects.get(run=run, employer=employer) == result
    assert list(Objection.objects.get(pk=objection.pk).events.values_list("action", flat=True)) == [
        "lodge", "assign", "reject"]


def test_upheld_recomputes_version_2_and_every_reader_uses_it(run, dataset, caseworker, supervisor):
    employer = dataset["eleven_months"]  # 11 months in full: ineligible; 11,000.00 paid
    old = RefundResult.objects.get(run=run, employer=employer)
    assert not old.eligible
    total_before = RefundRun.objects.get(pk=run.pk).total_amount
    objection = lodge(caseworker, run, employer)
    services.objection_assign(user=supervisor, objection_id=objection.pk, assignee_id=caseworker.pk)
    with pytest.raises(ApplicationError) as error:  # validated like the calculator's inputs
        services.objection_decide(user=supervisor, objection_id=objection.pk, decision="uphold", reasons="补缴",
                                  corrected_facts={"months_paid_in_full": "twelve"})
    assert "corrected_facts.months_paid_in_full" in error.value.fields
    services.objection_decide(user=supervisor, objection_id=objection.pk, decision="uphold",
                              reasons="核实为连续足额缴费12个月", corrected_facts={"months_paid_in_full": 12})
    new = RefundResult.objects.get(run=run, employer=employer)
    assert (new.version, new.supersedes_id, new.eligible, new.amount) == (2, old.pk, True, Decimal("6600.00"))
    old = RefundResult.all_versions.get(pk=old.pk)
    assert not old.is_current and old.superseded_by == new
    run.refresh_from_db()
    assert run.total_amount == total_before + Decimal("6600.00")
    assert RefundResult.objects.filter(run=run).count() == run.rows_written  # one current row per employer
    lines = {line.row_key: line.amount for line in run_lines(run.pk, None)}
    assert lines[str(employer.pk)] == Decimal("6600.00")
    exported = [line for line in csv_lines(run) if employer.uscc in line]
    assert len(exported) == 1 and ",6600.00," in exported[0]
    outcome = verification.check(0, 10**9, None)
    assert outcome.checked == run.rows_written and not outcome.problems if hasattr(outcome, "problems") else True
    assert Objection.objects.get(pk=objection.pk).new_result_id == new.pk


def test_result_page_shows_both_versions(run, dataset, caseworker, supervisor, client):
    employer = dataset["eleven_months"]
    objection = lodge(caseworker, run, employer)
    services.objection_assign(user=supervisor, objection_id=objection.pk, assignee_id=caseworker.pk)
    services.objection_decide(user=supervisor, objection_id=objection.pk, decision="uphold", reasons="核实",
                              corrected_facts={"months_paid_in_full": 12})
    client.force_login(caseworker)
    page = client.get(reverse("refunds:result", args=[run.pk, employer.pk])).content.decode()
    assert 'id="comparison"' in page and "changed-fact" in page and "第 1 版" in page and "第 2 版" in page
    assert "<td>enterprise</td>" not in page and "<td>企业</td>" in page  # facts by their Chinese names


@pytest.mark.parametrize(("name", "content", "content_type", "code"), [
    ("证明.pdf", b"MZ\x90\x00 not a pdf", "application/pdf", "attachment_type_not_allowed"),
    ("证明.pdf", PNG, "application/pdf", "attachment_type_mismatch"),
    ("证明.png", PDF, "image/png", "attachment_type_mismatch"),
    ("empty.pdf", b"", "application/pdf", "attachment_empty"),
])
def test_attachment_refusals(run, dataset, caseworker, name, content, content_type, code):
    objection = lodge(caseworker, run, dataset["baseline"])
    with pytest.raises(ApplicationError) as error:
        services.objection_attach(user=caseworker, objection_id=objection.pk,
                                  upload=SimpleUploadedFile(name, content, content_type=content_type))
    assert error.value.code == code


@override_settings(ATTACHMENT_MAX_BYTES=100)
def test_attachment_size_is_the_bytes_read(run, dataset, caseworker):
    objection = lodge(caseworker, run, dataset["baseline"])
    upload = SimpleUploadedFile("a.pdf", PDF + b"x" * 100, content_type="application/pdf")
    upload.size = 10  # the declared size lies
    with pytest.raises(ApplicationError) as error:
        services.objection_attach(user=caseworker, objection_id=objection.pk, upload=upload)
    assert error.value.code == "attachment_too_large"


def test_attachment_name_download_scope_and_audit(run, dataset, caseworker, other_caseworker, client, tmp_path,
                                                  settings):
    settings.MEDIA_ROOT = tmp_path
    objection = lodge(caseworker, run, dataset["baseline"])
    attachment = services.objection_attach(user=caseworker, objection_id=objection.pk, upload=SimpleUploadedFile(
        "../../etc/passwd/证明.pdf", PDF, content_type="application/pdf"))
    assert attachment.name == "证明.pdf" and ".." not in attachment.stored_name
    assert attachment.stored_name.startswith("attachments/")
    url = reverse("objections:attachment", args=[objection.pk, attachment.pk])
    client.force_login(other_caseworker)
    assert client.get(url).status_code == 404
    client.force_login(caseworker)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessLog.objects.filter(user=caseworker, object_type="core.attachment",
                                    object_id=str(attachment.pk)).exists()


def test_api_lodge_detail_and_non_numeric_ids(run, dataset, caseworker, other_caseworker, client):
    client.force_login(caseworker)
    employer = dataset["baseline"]
    body = {"source": "refund-run", "record_id": run.pk, "row_key": str(employer.pk),
            "disputed_item": "fact:has_arrears", "grounds": "无欠费"}
    response = client.post("/api/v1/objections/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 201, response.content
    again = client.post("/api/v1/objections/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201 and again.json()["id"] == response.json()["id"]
    pk = response.json()["id"]
    assert client.get(f"/api/v1/objections/{pk}/").json()["status"] == "lodged"
    assert client.get("/api/v1/objections/abc/").status_code == 404
    assert client.get("/api/v1/objections/?record_id=abc").status_code == 400
    client.force_login(other_caseworker)
    assert client.get(f"/api/v1/objections/{pk}/").status_code == 404
    assert client.get(reverse("objections:detail", args=[pk])).status_code == 404


def test_objection_lists_read_a_fixed_number_of_queries(run, caseworker, supervisor, client):
    from tests.queries import assert_queries_constant

    counter = iter(range(10_000, 99_999))

    def add(k):
        for _ in range(k):
            n = next(counter)
            Objection.objects.create(source="refund-run", record_id=run.pk, row_key=str(n), result_id=n,
                                     region_id="220102", subject_name=f"单位{n}", disputed_item="amount",
                                     disputed_label="返还金额", grounds="理由", channel="on_behalf",
                                     entered_by=caseworker, assignee=supervisor, deadline=run.publicity_ends_on)

    client.force_login(caseworker)
    assert_queries_constant(lambda: client.get(f"/objections/?source=refund-run&record={run.pk}"), add)
    assert_queries_constant(lambda: client.get(f"/api/v1/objections/?record_id={run.pk}"), add)
    assert_queries_constant(lambda: client.get(reverse("refunds:detail", args=[run.pk])), add)
