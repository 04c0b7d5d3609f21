"""Every 待办 source, table-driven: in or out of the viewer's region, made by the viewer or not (four eyes), the
viewer's role, and the due boundaries — overdue, due today, at the end of the configured window and one day past
it. Windows are read from settings.WORKLIST_WINDOW_DAYS (the last tests change them to show they are not
numbers in the code)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from apps.accounts.models import User
from apps.core import registry
from tests.factories import UserFactory
from tests.portal import worklist_world as w
from tests.startup_loans.test_worklist import CASES as STARTUP_LOAN_CASES

pytestmark = pytest.mark.django_db


def window(name: str) -> int:
    return settings.WORKLIST_WINDOW_DAYS[name]


@pytest.fixture
def users(caseworker, other_caseworker, supervisor, province_admin, integration_client):
    return {"cw": caseworker, "cw_other": other_caseworker, "sup": supervisor, "admin": province_admin,
            "peer": UserFactory(username="sup_peer", role=User.Role.SUPERVISOR, region_id="220100", is_staff=True),
            "sup_jilin": UserFactory(username="sup_jilin", role=User.Role.SUPERVISOR, region_id="220200"),
            "auditor": UserFactory(username="wl_auditor", role=User.Role.AUDITOR, region_id="220000"),
            "api": integration_client}


D = timedelta
# (source, viewer, builder(users, today) → record, shown?, state when shown)
CASES = [
    # 稳岗返还: computed official runs for a reviewer of the region who did not start them.
    ("refunds.review", "sup", lambda u, t: w.refund_run(maker=u["cw"]), True, "waiting"),
    ("refunds.review", "sup", lambda u, t: w.refund_run(maker=u["sup"]), False, None),  # my own run: four eyes
    ("refunds.review", "peer", lambda u, t: w.refund_run(maker=u["sup"]), True, "waiting"),
    ("refunds.review", "admin", lambda u, t: w.refund_run(maker=u["cw"]), True, "waiting"),
    ("refunds.review", "sup_jilin", lambda u, t: w.refund_run(maker=u["cw"]), False, None),  # 南关区 is not 吉林市
    ("refunds.review", "cw_other", lambda u, t: w.refund_run(maker=u["cw"]), False, None),  # no reviewer
    ("refunds.review", "sup", lambda u, t: w.refund_run(maker=u["cw"], official=False), False, None),  # dry run
    ("refunds.review", "sup", lambda u, t: w.refund_run(maker=u["cw"], status="approved"), False, None),
    # 初审通过待公示: any reviewer of the region may publish.
    ("refunds.publish", "sup", lambda u, t: w.refund_run(maker=u["cw"], status="first_reviewed", first_reviewer=u["sup"]),
     True, "waiting"),
    ("refunds.publish", "sup_jilin",
     lambda u, t: w.refund_run(maker=u["cw"], status="first_reviewed", first_reviewer=u["sup"]), False, None),
    ("refunds.publish", "cw", lambda u, t: w.refund_run(maker=u["cw"], status="first_reviewed", first_reviewer=u["sup"]),
     False, None),
    # 公示期满待复核: after the window's last day, for a reviewer who neither started it nor did the 初审.
    ("refunds.final_review", "peer",
     lambda u, t: w.refund_run(maker=u["cw"], status="publicizing", first_reviewer=u["sup"], window_ends=t - D(1)),
     True, "overdue"),
    ("refunds.final_review", "peer",  # the window's last day: not yet
     lambda u, t: w.refund_run(maker=u["cw"], status="publicizing", first_reviewer=u["sup"], window_ends=t),
     False, None),
    ("refunds.final_review", "sup",  # the first reviewer: four eyes
     lambda u, t: w.refund_run(maker=u["cw"], status="publicizing", first_reviewer=u["sup"], window_ends=t - D(1)),
     False, None),
    ("refunds.final_review", "peer",  # the starter
     lambda u, t: w.refund_run(maker=u["peer"], status="publicizing", first_reviewer=u["sup"], window_ends=t - D(1)),
     False, None),
    # Open objections: a caseworker's own or unassigned ones; a reviewer's region's, not those they entered.
    ("refunds.objections_open", "cw", lambda u, t: w.objection(entered_by=u["cw"], deadline=t + D(2)), True, "upcoming"),
    ("refunds.objections_open", "cw", lambda u, t: w.objection(entered_by=u["sup"], assignee=u["cw"], deadline=t), True,
     "today"),
    ("refunds.objections_open", "cw", lambda u, t: w.objection(entered_by=u["sup"], assignee=u["sup"], deadline=t), False,
     None),  # someone else's
    ("refunds.objections_open", "sup", lambda u, t: w.objection(entered_by=u["cw"], deadline=t - D(1)), True, "overdue"),
    ("refunds.objections_open", "sup", lambda u, t: w.objection(entered_by=u["sup"], deadline=t), False, None),  # four eyes
    ("refunds.objections_open", "sup", lambda u, t: w.objection(entered_by=u["cw"], deadline=t, status="upheld"), False, None),
    ("refunds.objections_open", "sup_jilin", lambda u, t: w.objection(entered_by=u["cw"], deadline=t), False, None),
    # Each programme's objections under its own module (the objection knows its source, not its programme).
    ("childcare.objections_open", "sup", lambda u, t: w.objection(entered_by=u["cw"], deadline=t, source="childcare-claim"),
     True, "today"),
    ("refunds.objections_open", "sup", lambda u, t: w.objection(entered_by=u["cw"], deadline=t, source="childcare-claim"),
     False, None),
    ("training.objections_open", "sup", lambda u, t: w.objection(entered_by=u["cw"], deadline=t, source="training-claim"),
     True, "today"),
    ("training.objections_open", "sup", lambda u, t: w.objection(entered_by=u["sup"], deadline=t, source="training-claim"),
     False, None),  # four eyes
    ("childcare.objections_open", "sup", lambda u, t: w.objection(entered_by=u["cw"], deadline=t, source="training-claim"),
     False, None),
    # 托育 claims: submitted, for a reviewer who did not submit them.
    ("childcare.claim_review", "sup", lambda u, t: w.childcare_claim(maker=u["cw"]), True, "waiting"),
    ("childcare.claim_review", "sup", lambda u, t: w.childcare_claim(maker=u["sup"]), False, None),
    ("childcare.claim_review", "peer", lambda u, t: w.childcare_claim(maker=u["sup"]), True, "waiting"),
    ("childcare.claim_review", "sup", lambda u, t: w.childcare_claim(region="220204", maker=u["cw_other"]), False,
     None),
    ("childcare.claim_review", "sup", lambda u, t: w.childcare_claim(maker=u["cw"], status="draft"), False, None),
    ("childcare.claim_review", "cw", lambda u, t: w.childcare_claim(maker=u["sup"]), False, None),
    # 公示期满待复核: past the window's last day, no open objection, neither the submitter nor the first reviewer.
    ("childcare.claim_final_review", "peer", lambda u, t: w.childcare_claim(
        maker=u["cw"], status="publicizing", first_reviewer=u["sup"], window_ends=t - D(1)), True, "overdue"),
    ("childcare.claim_final_review", "peer", lambda u, t: w.childcare_claim(  # the window's last day: not yet
        maker=u["cw"], status="publicizing", first_reviewer=u["sup"], window_ends=t), False, None),
    ("childcare.claim_final_review", "sup", lambda u, t: w.childcare_claim(  # the first reviewer: four eyes
        maker=u["cw"], status="publicizing", first_reviewer=u["sup"], window_ends=t - D(1)), False, None),
    ("childcare.claim_final_review", "peer", lambda u, t: w.childcare_claim(  # the submitter
        maker=u["peer"], status="publicizing", first_reviewer=u["sup"], window_ends=t - D(1)), False, None),
    ("childcare.claim_final_review", "peer", lambda u, t: w.childcare_claim(  # an open objection holds it
        maker=u["cw"], status="publicizing", first_reviewer=u["sup"], window_ends=t - D(1),
        objection_status="under_review"), False, None),
    ("childcare.claim_final_review", "peer", lambda u, t: w.childcare_claim(  # a decided one does not
        maker=u["cw"], status="publicizing", first_reviewer=u["sup"], window_ends=t - D(1),
        objection_status="rejected"), True, "overdue"),
    ("childcare.claim_final_review", "sup_jilin", lambda u, t: w.childcare_claim(
        maker=u["cw"], status="publicizing", first_reviewer=u["sup"], window_ends=t - D(1)), False, None),
    # 普惠 certifications: ending within the window or already ended, operating, paid only when certified.
    ("childcare.certification_expiring", "cw", lambda u, t: w.institution(certified_to=t - D(1)), True, "overdue"),
    ("childcare.certification_expiring", "cw", lambda u, t: w.institution(certified_to=t), True, "today"),
    ("childcare.certification_expiring", "cw",
     lambda u, t: w.institution(certified_to=t + D(window("certification_expiring"))), True, "upcoming"),
    ("childcare.certification_expiring", "cw",
     lambda u, t: w.institution(certified_to=t + D(window("certification_expiring") + 1)), False, None),
    ("childcare.certification_expiring", "cw", lambda u, t: w.institution(certified_to=None), False, None),  # 长期
    ("childcare.certification_expiring", "cw",
     lambda u, t: w.institution(certified_to=t, category="public_partial_funded"), False, None),  # 公办: no gate
    ("childcare.certification_expiring", "cw", lambda u, t: w.institution(certified_to=t, status="closed"), False,
     None),
    ("childcare.certification_expiring", "cw_other", lambda u, t: w.institution(certified_to=t), False, None),
    ("childcare.certification_expiring", "sup", lambda u, t: w.institution(certified_to=t), True, "today"),
    # Training claims: claimed (to 初审), never the claimant's; approved ones wait for the payment file, not here.
    ("training.claim_review", "sup", lambda u, t: w.training_claim(maker=u["cw"]), True, "waiting"),
    ("training.claim_review", "sup", lambda u, t: w.training_claim(maker=u["cw"], status="approved"), False, None),
    ("training.claim_review", "sup", lambda u, t: w.training_claim(maker=u["cw"], status="publicizing"), False, None),
    ("training.claim_review", "sup", lambda u, t: w.training_claim(maker=u["sup"]), False, None),
    ("training.claim_review", "sup", lambda u, t: w.training_claim(maker=u["cw"], status="paid"), False, None),
    ("training.claim_review", "sup_jilin", lambda u, t: w.training_claim(maker=u["cw"]), False, None),
    ("training.claim_review", "cw_other", lambda u, t: w.training_claim(region="220204", maker=u["cw"]), False, None),
    # 公示中 claims to 复核: the window past, no open objection, neither the claimant nor the first reviewer.
    ("training.claim_second_review", "sup", lambda u, t: w.training_claim(maker=u["cw"], status="publicizing",
                                                                           window_ended=t - D(1)), True, "waiting"),
    ("training.claim_second_review", "sup", lambda u, t: w.training_claim(maker=u["cw"], status="publicizing",
                                                                           window_ended=t), False, None),  # last day
    ("training.claim_second_review", "sup", lambda u, t: w.training_claim(
        maker=u["cw"], status="publicizing", window_ended=t - D(1), first_reviewer=u["sup"]), False, None),
    ("training.claim_second_review", "sup", lambda u, t: w.training_claim(
        maker=u["sup"], status="publicizing", window_ended=t - D(1), first_reviewer=u["peer"]), False, None),
    ("training.claim_second_review", "sup", lambda u, t: w.training_claim(maker=u["cw"], status="publicizing",
                                                                           window_ended=t - D(1), held=True), False,
     None),  # an open objection
    ("training.claim_second_review", "sup", lambda u, t: w.training_claim(maker=u["cw"], status="claimed"), False,
     None),
    ("training.claim_second_review", "cw", lambda u, t: w.training_claim(maker=u["sup"], status="publicizing",
                                                                          window_ended=t - D(1)), False, None),
    # Follow-ups: not done, overdue or due within the window, of the caseworker's region.
    ("training.follow_up_due", "cw", lambda u, t: w.follow_up(due=t - D(10)), True, "overdue"),
    ("training.follow_up_due", "cw", lambda u, t: w.follow_up(due=t), True, "today"),
    ("training.follow_up_due", "cw", lambda u, t: w.follow_up(due=t + D(window("follow_up_upcoming"))), True,
     "upcoming"),
    ("training.follow_up_due", "cw", lambda u, t: w.follow_up(due=t + D(window("follow_up_upcoming") + 1)), False,
     None),
    ("training.follow_up_due", "cw", lambda u, t: w.follow_up(due=t - D(10), done=True), False, None),
    ("training.follow_up_due", "cw_other", lambda u, t: w.follow_up(due=t - D(10)), False, None),
    ("training.follow_up_due", "sup", lambda u, t: w.follow_up(due=t - D(10)), False, None),  # a caseworker's task
    # Providers' accreditation.
    ("training.accreditation_expiring", "cw", lambda u, t: w.provider_of(accredited_until=t - D(3)), True, "overdue"),
    ("training.accreditation_expiring", "cw",
     lambda u, t: w.provider_of(accredited_until=t + D(window("certification_expiring"))), True, "upcoming"),
    ("training.accreditation_expiring", "cw",
     lambda u, t: w.provider_of(accredited_until=t + D(window("certification_expiring") + 1)), False, None),
    ("training.accreditation_expiring", "cw", lambda u, t: w.provider_of(accredited_until=t, active=False), False,
     None),
    ("training.accreditation_expiring", "cw_other", lambda u, t: w.provider_of(accredited_until=t), False, None),
    # Disbursement files: prepared (to approve) or approved (to issue), never by the preparer.
    ("payments.batch_review", "sup", lambda u, t: w.payment_batch(maker=u["cw"]), True, "waiting"),
    ("payments.batch_review", "sup", lambda u, t: w.payment_batch(maker=u["cw"], status="approved"), True, "waiting"),
    ("payments.batch_review", "sup", lambda u, t: w.payment_batch(maker=u["sup"]), False, None),
    ("payments.batch_review", "sup", lambda u, t: w.payment_batch(maker=u["cw"], status="issued"), False, None),
    ("payments.batch_review", "sup_jilin", lambda u, t: w.payment_batch(maker=u["cw"]), False, None),
    ("payments.batch_review", "cw", lambda u, t: w.payment_batch(maker=u["sup"]), False, None),
    # Failed payments to re-issue.
    ("payments.reissue", "cw", lambda u, t: w.failed_line(maker=u["cw"]), True, "waiting"),
    ("payments.reissue", "sup", lambda u, t: w.failed_line(maker=u["cw"]), True, "waiting"),
    ("payments.reissue", "cw", lambda u, t: w.failed_line(maker=u["cw"], status="reissued"), False, None),
    ("payments.reissue", "cw_other", lambda u, t: w.failed_line(maker=u["cw"]), False, None),
    # Child-welfare visits: overdue — the responsible worker's, and every case of a supervisor's region.
    ("child_welfare.visit_overdue", "cw", lambda u, t: w.case(worker=u["cw"], due=t - D(1)), True, "overdue"),
    ("child_welfare.visit_overdue", "cw", lambda u, t: w.case(worker=u["cw"], due=t), False, None),  # due today
    ("child_welfare.visit_overdue", "cw", lambda u, t: w.case(worker=None, due=t - D(1)), False, None),  # not mine
    ("child_welfare.visit_overdue", "sup", lambda u, t: w.case(worker=u["cw"], due=t - D(1)), True, "overdue"),
    ("child_welfare.visit_overdue", "sup", lambda u, t: w.case(worker=None, due=t - D(1)), True, "overdue"),
    ("child_welfare.visit_overdue", "sup_jilin", lambda u, t: w.case(worker=u["cw"], due=t - D(1)), False, None),
    ("child_welfare.visit_overdue", "cw", lambda u, t: w.case(worker=u["cw"], due=t - D(1), status="closed"), False,
     None),
    # … upcoming: due today up to the window's end, the responsible worker's only.
    ("child_welfare.visit_upcoming", "cw", lambda u, t: w.case(worker=u["cw"], due=t), True, "today"),
    ("child_welfare.visit_upcoming", "cw",
     lambda u, t: w.case(worker=u["cw"], due=t + D(window("visit_upcoming"))), True, "upcoming"),
    ("child_welfare.visit_upcoming", "cw",
     lambda u, t: w.case(worker=u["cw"], due=t + D(window("visit_upcoming") + 1)), False, None),
    ("child_welfare.visit_upcoming", "cw", lambda u, t: w.case(worker=u["cw"], due=t - D(1)), False, None),  # overdue
    ("child_welfare.visit_upcoming", "sup", lambda u, t: w.case(worker=u["cw"], due=t), False, None),  # not theirs
    # Escalations: open ones of the region, for supervisors and administrators.
    ("child_welfare.escalation", "sup", lambda u, t: w.escalation(worker=u["cw"], due=t - D(5)), True, "overdue"),
    ("child_welfare.escalation", "admin", lambda u, t: w.escalation(worker=u["cw"], due=t - D(5)), True, "overdue"),
    ("child_welfare.escalation", "sup", lambda u, t: w.escalation(worker=u["cw"], due=t - D(5), resolved=True), False,
     None),
    ("child_welfare.escalation", "sup_jilin", lambda u, t: w.escalation(worker=u["cw"], due=t - D(5)), False, None),
    ("child_welfare.escalation", "cw", lambda u, t: w.escalation(worker=u["cw"], due=t - D(5)), False, None),
    # 主动发现 leads: open, of the caseworker's region.
    ("eligibility.leads", "cw", lambda u, t: w.lead(), True, "waiting"),
    ("eligibility.leads", "cw", lambda u, t: w.lead(status="handled"), False, None),
    ("eligibility.leads", "cw_other", lambda u, t: w.lead(), False, None),
    # Failed imports: mine, within the window, until a later import of the same kind succeeds.
    ("imports.failed", "cw", lambda u, t: w.import_batch(maker=u["cw"]), True, "waiting"),
    ("imports.failed", "cw", lambda u, t: w.import_batch(maker=u["cw"], status="failed"), True, "waiting"),
    ("imports.failed", "sup", lambda u, t: w.import_batch(maker=u["cw"]), False, None),  # not mine
    ("imports.failed", "cw", lambda u, t: w.import_batch(maker=u["cw"], status="succeeded"), False, None),
    ("imports.failed", "cw", lambda u, t: w.import_batch(maker=u["cw"], days_ago=window("failed_imports") - 1), True,
     "waiting"),
    ("imports.failed", "cw", lambda u, t: w.import_batch(maker=u["cw"], days_ago=window("failed_imports") + 1), False,
     None),
    ("imports.failed", "cw", lambda u, t: [w.import_batch(maker=u["cw"]),
                                           w.import_batch(maker=u["cw"], status="succeeded")][0], False, None),
    ("imports.failed", "cw", lambda u, t: [w.import_batch(maker=u["cw"]),
                                           w.import_batch(maker=u["cw"], status="succeeded", kind="applicants")][0],
     True, "waiting"),
    # 骗保认定待审核 / 申诉待处理: a reviewer of the region who did not make the finding (four eyes).
    ("fraud.finding_review", "sup", lambda u, t: w.fraud_case(finder=u["cw"]), True, "waiting"),
    ("fraud.finding_review", "sup", lambda u, t: w.fraud_case(finder=u["sup"]), False, None),
    ("fraud.finding_review", "peer", lambda u, t: w.fraud_case(finder=u["sup"]), True, "waiting"),
    ("fraud.finding_review", "sup_jilin", lambda u, t: w.fraud_case(finder=u["cw"]), False, None),
    ("fraud.finding_review", "cw_other", lambda u, t: w.fraud_case(finder=u["cw"]), False, None),
    ("fraud.finding_review", "sup", lambda u, t: w.fraud_case(finder=u["cw"], status="effective"), False, None),
    ("fraud.appeal", "sup", lambda u, t: w.fraud_case(finder=u["cw"], status="appealing"), True, "waiting"),
    ("fraud.appeal", "sup", lambda u, t: w.fraud_case(finder=u["sup"], status="appealing"), False, None),
    ("fraud.appeal", "sup", lambda u, t: w.fraud_case(finder=u["cw"]), False, None),
    # 养老服务人才: submitted claims for a reviewer of the region who did not submit them.
    ("eldercare.claim_review", "sup", lambda u, t: w.eldercare_claim(maker=u["cw"]), True, "waiting"),
    ("eldercare.claim_review", "sup", lambda u, t: w.eldercare_claim(maker=u["sup"]), False, None),  # four eyes
    ("eldercare.claim_review", "peer", lambda u, t: w.eldercare_claim(maker=u["sup"]), True, "waiting"),
    ("eldercare.claim_review", "sup_jilin", lambda u, t: w.eldercare_claim(maker=u["cw"]), False, None),
    ("eldercare.claim_review", "cw_other", lambda u, t: w.eldercare_claim(maker=u["cw"]), False, None),  # no reviewer
    ("eldercare.claim_review", "sup", lambda u, t: w.eldercare_claim(maker=u["cw"], status="approved"), False, None),
    # 公益性岗位: computed runs to review (four eyes), failed runs to resume, placements ending within the window.
    ("public_posts.run_review", "sup", lambda u, t: w.public_post_run(maker=u["cw"]), True, "waiting"),
    ("public_posts.run_review", "sup", lambda u, t: w.public_post_run(maker=u["sup"]), False, None),
    ("public_posts.run_review", "sup_jilin", lambda u, t: w.public_post_run(maker=u["cw"]), False, None),
    ("public_posts.run_review", "cw", lambda u, t: w.public_post_run(maker=u["sup"]), False, None),  # no reviewer
    ("public_posts.run_review", "sup", lambda u, t: w.public_post_run(maker=u["cw"], status="approved"), False, None),
    ("public_posts.run_failed", "cw", lambda u, t: w.public_post_run(maker=u["cw"], status="failed"), True, "waiting"),
    ("public_posts.run_failed", "cw_other", lambda u, t: w.public_post_run(maker=u["cw"], status="failed"), False, None),
    ("public_posts.placement_ending", "cw", lambda u, t: w.public_post_placement(agreed_end=t - D(1)), True, "overdue"),
    ("public_posts.placement_ending", "cw", lambda u, t: w.public_post_placement(agreed_end=t), True, "today"),
    ("public_posts.placement_ending", "cw",
     lambda u, t: w.public_post_placement(agreed_end=t + D(window("placement_ending"))), True, "upcoming"),
    ("public_posts.placement_ending", "cw",
     lambda u, t: w.public_post_placement(agreed_end=t + D(window("placement_ending") + 1)), False, None),
    ("public_posts.placement_ending", "cw", lambda u, t: w.public_post_placement(agreed_end=t, status="exited"),
     False, None),
    ("public_posts.placement_ending", "cw_other", lambda u, t: w.public_post_placement(agreed_end=t), False, None),
    # 零工市场: placements started and not followed up yet.
    ("gig.follow_up", "cw", lambda u, t: w.gig_placement(start=t), True, "waiting"),
    ("gig.follow_up", "cw", lambda u, t: w.gig_placement(start=t + D(1)), False, None),  # not started yet
    ("gig.follow_up", "cw", lambda u, t: w.gig_placement(start=t - D(3), outcome="on_job"), False, None),
    ("gig.follow_up", "cw_other", lambda u, t: w.gig_placement(start=t), False, None),
    # 对外推送: messages given up, for a reviewer of the region.
    ("integrations.given_up", "sup", lambda u, t: w.outbound_message(), True, "waiting"),
    ("integrations.given_up", "sup", lambda u, t: w.outbound_message(status="failed"), False, None),  # still retried
    ("integrations.given_up", "sup_jilin", lambda u, t: w.outbound_message(), False, None),
    ("integrations.given_up", "cw", lambda u, t: w.outbound_message(), False, None),
    # Possible duplicates.
    ("applicants.duplicates", "cw", lambda u, t: w.duplicate(), True, "waiting"),
    ("applicants.duplicates", "cw_other", lambda u, t: w.duplicate(), False, None),
]
# 创业担保贷款's rows are built next to its fixtures (tests/startup_loans): the same table, run here.
CASES += STARTUP_LOAN_CASES


@pytest.mark.parametrize(("key", "viewer", "build", "shown", "state"), CASES,
                         ids=[f"{key}-{viewer}-{n}" for n, (key, viewer, *_rest) in enumerate(CASES)])
def test_a_source_lists_what_waits_for_this_user(users, key, viewer, build, shown, state):
    today = timezone.localdate()
    build(users, today)
    source = registry.WORKLIST_SOURCES[key]
    items = source.items(users[viewer], today, limit=10)
    assert source.count(users[viewer], today) == len(items) == (1 if shown else 0)
    if shown:
        item = items[0]
        assert item["state"] == state
        assert item["what"] and item["why"] and item["url"].startswith("/")
        assert item["module"] == source.module and item["kind"] == source.label


def test_no_source_serves_the_auditor_or_an_api_client(users):
    today = timezone.localdate()
    for build in {key: build for key, _viewer, build, shown, _state in CASES if shown}.values():
        build(users, today)
    for name in ("auditor", "api"):
        for source in registry.worklist_sources():
            assert source.items(users[name], today) == [] and source.count(users[name], today) == 0, source.key


@pytest.mark.parametrize(("key", "name", "builder"), [
    ("child_welfare.visit_upcoming", "visit_upcoming", lambda u, due: w.case(worker=u["cw"], due=due)),
    ("training.follow_up_due", "follow_up_upcoming", lambda u, due: w.follow_up(due=due)),
    ("childcare.certification_expiring", "certification_expiring", lambda u, due: w.institution(certified_to=due)),
    ("public_posts.placement_ending", "placement_ending", lambda u, due: w.public_post_placement(agreed_end=due)),
])
def test_the_windows_are_configuration(users, settings, key, name, builder):
    today = timezone.localdate()
    settings.WORKLIST_WINDOW_DAYS = {**settings.WORKLIST_WINDOW_DAYS, name: 3}
    builder(users, today + timedelta(days=3))
    builder(users, today + timedelta(days=4))
    source = registry.WORKLIST_SOURCES[key]
    assert [item["days"] for item in source.items(users["cw"], today)] == [3]


def test_a_missing_window_is_an_error_not_a_default(settings):
    settings.WORKLIST_WINDOW_DAYS = {}
    with pytest.raises(KeyError):
        registry.worklist_window("visit_upcoming")


def test_a_source_is_ordered_by_the_date_its_items_carry(users):
    """The merge relies on it: each source's rows come in their items' urgency order."""
    today = timezone.localdate()
    for days in (3, -2, 0, -9, 5):
        w.follow_up(due=today + timedelta(days=days))
    items = registry.WORKLIST_SOURCES["training.follow_up_due"].items(users["cw"], today)
    assert [item["sort"] for item in items] == sorted(item["sort"] for item in items)
    assert [(item["state"], item["days"]) for item in items] == [
        ("overdue", 9), ("overdue", 2), ("today", 0), ("upcoming", 3), ("upcoming", 5)]


def test_every_source_has_its_cases():
    """A new 待办 source comes with its rows in CASES (shown and not shown) — here, or in its app's own table of the
    same shape added to CASES — or this fails naming it."""
    shown = {key for key, _viewer, _build, is_shown, _state in CASES if is_shown}
    hidden = {key for key, _viewer, _build, is_shown, _state in CASES if not is_shown}
    registered = set(registry.WORKLIST_SOURCES)
    assert registered - shown == set() and registered - hidden == set()
