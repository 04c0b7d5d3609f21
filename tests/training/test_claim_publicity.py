"""初审 → 公示 → 复核 of a training / skills-assessment subsidy claim (apps.training.services.claims,
apps.training.publicity, apps.training.objections, apps.training.notices_out): who may make which move in which
state, the window and the objection holds (409s), the public list without personal data, an upheld objection
recomputed into a new version (and a correction to an already claimed level refused), the 短信 enqueued once,
the API, the enrollment page and the 告知书 of a rejected claim."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.exceptions import ApplicationError
from apps.notifications.models import Message
from apps.objections import services as objections
from apps.objections.models import Objection
from apps.publicity.models import Publication
from apps.training import notices
from apps.training.models import TrainingSubsidyClaim
from apps.training.notices_out import notify_claim_published
from apps.training.objections import claim_comparison
from apps.training.services import certificate_add, claim_move, subsidy_claim_create
from tests.factories import PersonFactory, UserFactory
from tests.training.conftest import first_reviewer, make_enrollment, make_program, walk_to

pytestmark = pytest.mark.django_db
Status = TrainingSubsidyClaim.Status
PUBLISHED_ON = date(2026, 12, 1)  # Tuesday: 公示期 2 to 8 December (5 working days, the 示例值)
LAST_DAY, NEXT_DAY = date(2026, 12, 8), date(2026, 12, 9)
PHONE = "13912345678"


@pytest.fixture
def person(db):
    return PersonFactory(name="张三丰", phone=PHONE)


@pytest.fixture
def training_claim(occupations, caseworker, supervisor, person):
    enrollment = make_enrollment(make_program(occupations), caseworker, person=person)
    return walk_to(enrollment, "subsidy_claimed", supervisor, caseworker).claims.get()


@pytest.fixture
def assessment_claim(occupations, caseworker, supervisor, person):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker, person=person), "assessed",
                         supervisor, caseworker)
    return subsidy_claim_create(enrollment=enrollment, user=caseworker, kind=TrainingSubsidyClaim.Kind.ASSESSMENT,
                                certificate=enrollment.certificates.get())


@pytest.fixture
def third(db):
    return UserFactory(username="sup_third", role="supervisor", region_id="220100")


def refused(call, code: str, status: int):
    with pytest.raises(ApplicationError) as error:
        call()
    assert (error.value.code, error.value.status_code) == (code, status)


def publish(claim, today=PUBLISHED_ON):
    return claim_move(claim=claim, decision="publish", user=first_reviewer(), today=today)


def in_window(claim, starts: int = -2, ends: int = 2):
    """Move the claim's window around today (objections are lodged against today's date)."""
    today = objections.today()
    TrainingSubsidyClaim.objects.filter(pk=claim.pk).update(
        publicity_starts_on=today + timedelta(days=starts), publicity_ends_on=today + timedelta(days=ends))
    Publication.objects.filter(source="training.claim", record_id=claim.pk).update(
        starts_on=today + timedelta(days=starts), ends_on=today + timedelta(days=ends))
    claim.refresh_from_db()
    return claim


# ---------------------------------------------------------------- the lifecycle table

# (kind, state, action, who, today) → the new status, or (code, HTTP status) of the refusal.
# who: caseworker (no reviewer role; the claimer), claimer (a supervisor who claimed it), first (the 初审
# reviewer), third (a reviewer who neither claimed nor first-reviewed it).
LIFECYCLE = [
    ("claimed", "publish", "caseworker", None, ("reviewer_required", 403)),
    ("claimed", "publish", "claimer", None, ("four_eyes", 403)),
    ("claimed", "publish", "first", None, Status.PUBLICIZING),
    ("claimed", "approve", "third", NEXT_DAY, ("state", 409)),
    ("claimed", "reject", "claimer", None, ("four_eyes", 403)),
    ("claimed", "reject", "third", None, Status.REJECTED),
    ("publicizing", "publish", "third", None, ("state", 409)),
    ("publicizing", "approve", "caseworker", NEXT_DAY, ("reviewer_required", 403)),
    ("publicizing", "approve", "claimer", NEXT_DAY, ("four_eyes", 403)),
    ("publicizing", "approve", "first", NEXT_DAY, ("four_eyes", 403)),
    ("publicizing", "approve", "third", LAST_DAY, ("publicity_window_open", 409)),
    ("publicizing", "approve", "third", NEXT_DAY, Status.APPROVED),
    ("publicizing", "reject", "first", None, Status.REJECTED),
    ("publicizing", "pay", "third", None, ("state", 409)),
]
STATE_CODES = {"training": "transition_not_allowed", "assessment": {"publish": "claim_not_claimed",
                                                                     "approve": "claim_not_publicized",
                                                                     "pay": "transition_not_allowed"}}


@pytest.mark.parametrize("kind", ["training", "assessment"])
@pytest.mark.parametrize(("state", "action", "who", "today", "expected"), LIFECYCLE)
def test_the_lifecycle_table(request, caseworker, third, kind, state, action, who, today, expected):
    claim = request.getfixturevalue(f"{kind}_claim")
    if who == "claimer":
        claimer = UserFactory(username="sup_claimer", role="supervisor", region_id="220100")
        TrainingSubsidyClaim.objects.filter(pk=claim.pk).update(claimed_by=claimer)
        claim.refresh_from_db()
    users = {"caseworker": caseworker, "first": first_reviewer(), "third": third}
    user = claimer if who == "claimer" else users[who]
    if state == "publicizing":
        claim = publish(claim)
    move = lambda: claim_move(claim=claim, decision=action, user=user, today=today)  # noqa: E731
    if isinstance(expected, tuple):
        code, status = expected
        if code == "state":
            code = STATE_CODES[kind] if kind == "training" else STATE_CODES[kind][action]
        before = TrainingSubsidyClaim.objects.get(pk=claim.pk).status
        refused(move, code, status)
        assert TrainingSubsidyClaim.objects.get(pk=claim.pk).status == before
    else:
        assert move().status == expected
        if kind == "training":  # the enrollment moved with its claim
            expected_enrollment = {Status.PUBLICIZING: "subsidy_publicizing", Status.APPROVED: "approved",
                                   Status.REJECTED: "employment_verified"}[expected]
            claim.enrollment.refresh_from_db()
            assert claim.enrollment.status == expected_enrollment


def test_publish_opens_the_window_and_records_the_first_reviewer(training_claim):
    claim = publish(training_claim)
    assert claim.status == Status.PUBLICIZING and claim.reviewed_by == first_reviewer() and claim.reviewed_at
    # 5 working days (training.publicity_working_days, a 示例值) from the next working day
    assert (claim.publicity_starts_on, claim.publicity_ends_on) == (date(2026, 12, 2), LAST_DAY)
    publication = Publication.objects.get(source="training.claim", record_id=claim.pk)
    assert (publication.starts_on, publication.ends_on, publication.working_days) == (date(2026, 12, 2), LAST_DAY, 5)


def test_an_open_objection_holds_the_approve(assessment_claim, caseworker, supervisor, third):
    claim = in_window(publish(assessment_claim))
    objection = lodge(caseworker, claim)
    refused(lambda: claim_move(claim=claim, decision="approve", user=third, today=date(2099, 1, 1)),
            "objection_open", 409)
    decide(supervisor, caseworker, objection, "reject")
    approved = claim_move(claim=claim, decision="approve", user=third, today=date(2099, 1, 1))
    assert (approved.status, approved.amount) == (Status.APPROVED, assessment_claim.amount)


def test_reject_during_publicity_takes_the_list_down(client, training_claim, third):
    claim = publish(training_claim)
    token = Publication.objects.get(source="training.claim", record_id=claim.pk).token
    assert client.get(reverse("publicity:list", args=[token])).status_code == 200
    rejected = claim_move(claim=claim, decision="reject", user=third)
    assert rejected.status == Status.REJECTED and rejected.published_at is None and rejected.publicity_ends_on is None
    assert not Publication.objects.filter(source="training.claim", record_id=claim.pk).exists()
    assert client.get(reverse("publicity:list", args=[token])).status_code == 404


# ---------------------------------------------------------------- the public list


def test_the_public_list_names_the_person_masked_and_nothing_personal(client, training_claim):
    claim = publish(training_claim, today=None)
    publication = Publication.objects.get(source="training.claim", record_id=claim.pk)
    page = client.get(reverse("publicity:list", args=[publication.token])).content.decode()
    person = claim.person
    assert "张**" in page and "家政服务员" in page and "初级工" in page and "职业培训补贴" in page
    assert "1,200.00" in page or "1200.00" in page
    assert "年职业培训补贴拟补贴人员公示" in page and "人力资源和社会保障部门" in page
    for private in (person.name, person.id_number, PHONE, claim.enrollment.employer_name):
        assert private not in page
    download = client.get(reverse("publicity:download", args=[publication.token, "csv"]))
    csv = (b"".join(download.streaming_content) if download.streaming else download.content).decode("utf-8-sig")
    assert "张**" in csv
    for private in (person.name, person.id_number, PHONE):
        assert private not in csv


def test_not_visible_before_publication(training_claim):
    from apps.training.publicity import claim_public_record

    assert claim_public_record(training_claim.pk).visible is False


# ---------------------------------------------------------------- objections


def lodge(user, claim, item="amount"):
    return objections.objection_lodge(user=user, source_slug="training-claim", record_id=claim.pk,
                                      row_key=str(claim.person_id), disputed_item=item, grounds="等级认定有误",
                                      channel="on_behalf")


def decide(supervisor, caseworker, objection, decision, **kwargs):
    objections.objection_assign(user=supervisor, objection_id=objection.pk, assignee_id=caseworker.pk)
    return objections.objection_decide(user=supervisor, objection_id=objection.pk, decision=decision,
                                       reasons="核实", **kwargs)


def test_upheld_recomputes_the_level_into_a_new_version(assessment_claim, caseworker, supervisor, client_for):
    claim = in_window(publish(assessment_claim))
    assert (claim.level, claim.amount) == ("junior", Decimal("1000.00"))
    objection = lodge(caseworker, claim, item="fact:certificate_level")
    assert objection.result_id == claim.history.latest().history_id
    with pytest.raises(ApplicationError) as error:  # not a level of the calculator
        decide(supervisor, caseworker, objection, "uphold", corrected_facts={"certificate_level": "master"})
    assert error.value.code == "invalid_corrected_facts" and "corrected_facts.certificate_level" in error.value.fields
    objection = objections.objection_decide(user=supervisor, objection_id=objection.pk, decision="uphold",
                                            reasons="核实为中级工", corrected_facts={"certificate_level": "intermediate"})
    claim.refresh_from_db()
    assert claim.status == Status.PUBLICIZING and claim.level == "intermediate" and claim.amount == Decimal("1500.00")
    assert claim.inputs["certificate_level"] == "intermediate" and claim.explanation["eligible"]
    assert objection.new_result_id == claim.history.latest().history_id != objection.result_id
    assert claim.history.latest().history_change_reason.startswith(f"异议 #{objection.pk}")
    comparison = claim_comparison(claim)
    assert [(f["label"], f["old"], f["new"], f["changed"]) for f in comparison["facts"]] == [
        ("等级", "初级工", "中级工", True), ("培训是否结业", "是", "是", False), ("补贴金额", "1,000.00", "1,500.00", True)]
    page = client_for(caseworker).get(reverse("training:enrollment-detail", args=[claim.enrollment_id])).content.decode()
    assert f'id="comparison-{claim.pk}"' in page and "1,500.00" in page
    # the person hears the outcome once
    [sms] = Message.objects.filter(event="objections.decided")
    assert "异议成立" in sms.body and "1500.00" in sms.body and "技能评价补贴" in sms.body


def test_a_correction_to_an_already_claimed_level_is_refused(assessment_claim, caseworker, supervisor):
    enrollment = assessment_claim.enrollment
    certificate = certificate_add(enrollment=enrollment, user=caseworker, check_status=False, data={
        "kind": "skill_level", "level": "intermediate", "number": "CERT-INT-1", "issued_on": "2026-06-10",
        "issuer": "吉林省职业技能鉴定中心"})
    subsidy_claim_create(enrollment=enrollment, user=caseworker, kind=TrainingSubsidyClaim.Kind.ASSESSMENT,
                         certificate=certificate)
    claim = in_window(publish(assessment_claim))
    objection = lodge(caseworker, claim, item="fact:certificate_level")
    with pytest.raises(ApplicationError) as error:
        decide(supervisor, caseworker, objection, "uphold", corrected_facts={"certificate_level": "intermediate"})
    assert error.value.code == "invalid_corrected_facts" and "corrected_facts.certificate_level" in error.value.fields
    claim.refresh_from_db()
    assert (claim.level, claim.amount) == ("junior", Decimal("1000.00"))
    assert Objection.objects.get(pk=objection.pk).status == Objection.Status.UNDER_REVIEW


def test_a_training_claim_corrected_to_not_completed_pays_nothing(training_claim, caseworker, supervisor):
    claim = in_window(publish(training_claim))
    objection = lodge(caseworker, claim, item="fact:training_completed")
    with pytest.raises(ApplicationError) as error:  # the other kind's fact
        decide(supervisor, caseworker, objection, "uphold", corrected_facts={"certificate_level": "junior"})
    assert "corrected_facts.training_completed" in error.value.fields
    objections.objection_decide(user=supervisor, objection_id=objection.pk, decision="uphold", reasons="未结业",
                                corrected_facts={"training_completed": False})
    claim.refresh_from_db()
    assert claim.amount == Decimal("0.00") and claim.inputs["training_completed"] is False
    assert "training_not_completed" in [r["code"] for r in claim.explanation["reasons"]]


def test_lodging_through_the_enrollment_page(client_for, training_claim, caseworker):
    claim = in_window(publish(training_claim))
    client = client_for(caseworker)
    url = reverse("objections:lodge", args=["training-claim", claim.pk, claim.person_id])
    page = client.get(reverse("training:enrollment-detail", args=[claim.enrollment_id])).content.decode()
    assert url in page and f'id="publicity-{claim.pk}"' in page
    assert client.post(url, {"disputed_item": "amount", "grounds": "金额有误"}).status_code == 302


# ---------------------------------------------------------------- notifications


def test_publish_enqueues_one_sms_to_the_person(training_claim):
    claim = publish(training_claim)
    messages = Message.objects.filter(event="publicity.published")
    assert [(m.channel, m.recipient_address, m.source_id) for m in messages] == [("sms", PHONE, claim.pk)]
    body = messages.get().body
    assert "张三丰" in body and "2026-12-08" in body and f"{claim.amount:.2f}" in body and "职业培训补贴（" in body
    publication = Publication.objects.get(source="training.claim", record_id=claim.pk)
    assert notify_claim_published(claim, publication) == 0  # the same occurrence again adds nothing
    assert Message.objects.filter(event="publicity.published").count() == 1


def test_no_phone_no_message(training_claim):
    type(training_claim.person).objects.filter(pk=training_claim.person_id).update(phone="")
    type(training_claim.enrollment).objects.filter(pk=training_claim.enrollment_id).update(phone="")
    publish(training_claim)
    assert not Message.objects.filter(event="publicity.published").exists()


# ---------------------------------------------------------------- API


def test_api_publish_and_publicity(api_for, training_claim, caseworker, other_caseworker):
    url = f"/api/v1/training/claims/{training_claim.pk}/"
    assert api_for(caseworker).post(url + "publish/").status_code == 403  # no reviewer role
    assert api_for(other_caseworker).post(url + "publish/").status_code == 404  # another region
    assert api_for(caseworker).get(url + "publicity/").json()["published"] is False
    response = api_for(first_reviewer()).post(url + "publish/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "publicizing" and response.json()["publicity_ends_on"]
    assert api_for(first_reviewer()).post(url + "publish/").status_code == 409
    publicity = api_for(caseworker).get(url + "publicity/").json()
    assert publicity["published"] is True and publicity["columns"] == ["姓名", "职业（工种）", "等级", "补贴类型", "补贴金额"]
    assert publicity["rows"] == [["张**", "家政服务员", "初级工", "职业培训补贴", "1200.00"]]
    assert api_for(other_caseworker).get(url + "publicity/").status_code == 404


# ---------------------------------------------------------------- the page, 待办 and the 告知书


def test_the_enrollment_page_offers_the_moves_the_lifecycle_permits(client_for, assessment_claim, supervisor, third):
    page = client_for(supervisor).get(reverse("training:enrollment-detail",
                                              args=[assessment_claim.enrollment_id])).content.decode()
    assert 'name="decision" value="publish"' in page and 'name="decision" value="reject"' in page
    assert 'name="decision" value="approve"' not in page
    publish(assessment_claim)
    page = client_for(third).get(reverse("training:enrollment-detail",
                                         args=[assessment_claim.enrollment_id])).content.decode()
    assert 'name="decision" value="approve"' in page and 'name="decision" value="publish"' not in page
    assert "公示期 2026-12-02 至 2026-12-08" in page or "公示期" in page


def test_the_page_posts_the_claim_moves(client_for, assessment_claim, third):
    action = reverse("training:enrollment-action", args=[assessment_claim.enrollment_id])
    client_for(first_reviewer()).post(action, {"action": "decide_claim", "claim": assessment_claim.pk,
                                               "decision": "publish"})
    assessment_claim.refresh_from_db()
    assert assessment_claim.status == Status.PUBLICIZING


def test_a_rejected_claim_gets_no_notice(client_for, training_claim, caseworker, third):
    assert notices.claim_row_keys(training_claim.pk) == [str(training_claim.person_id)]
    claim = claim_move(claim=training_claim, decision="reject", user=third)
    assert notices.claim_row_keys(claim.pk) == []
    assert notices.claim_contents(claim.pk, [str(claim.person_id)]) == []
    page = client_for(caseworker).get(reverse("training:enrollment-detail", args=[claim.enrollment_id])).content.decode()
    assert reverse("training:claim-notice", args=[claim.pk]) not in page


def test_worklist_first_and_second_review(training_claim, caseworker, supervisor, third):
    from apps.training.worklist import claims_awaiting_first_review, claims_awaiting_second_review

    today = date(2026, 12, 9)
    assert list(claims_awaiting_first_review(supervisor, today)) == [training_claim]
    assert list(claims_awaiting_first_review(caseworker, today)) == []  # the claimer's own
    claim = publish(training_claim)
    assert list(claims_awaiting_first_review(supervisor, today)) == []
    assert list(claims_awaiting_second_review(third, LAST_DAY)) == []  # the window is open
    assert list(claims_awaiting_second_review(third, today)) == [claim]
    assert list(claims_awaiting_second_review(first_reviewer(), today)) == []  # the first reviewer
    in_window(claim, -10, 0)  # an objection lodged on the window's last day keeps it off the list until decided
    objection = lodge(caseworker, claim)
    assert list(claims_awaiting_second_review(third, objections.today() + timedelta(days=1))) == []
    decide(supervisor, caseworker, objection, "reject")
    assert list(claims_awaiting_second_review(third, objections.today() + timedelta(days=1))) == [claim]
