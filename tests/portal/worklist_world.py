"""Records of every 待办 kind, made directly (one short builder per kind) for the worklist's table-driven tests.

Each builder takes the region, the maker and the dates a row of the table varies, and returns the record."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from apps.applicants.models import DuplicateCandidate
from apps.child_welfare.models import Case, Escalation, ReferralSource, RiskLevel, Status
from apps.childcare.models import Institution, OperatingSubsidyClaim
from apps.core.demo import make_uscc
from apps.eligibility.models import BenefitMatch
from apps.imports.models import ImportBatch
from apps.payments.models import PaymentBatch, PaymentLine
from apps.refunds.models import RefundRun
from apps.training.catalogue import load_occupations
from apps.training.models import Enrollment, FollowUp, Occupation, Program, Provider, TrainingSubsidyClaim
from tests.factories import PersonFactory, UserFactory

_serial = count(7_300_000)


def refund_run(*, region="220102", maker, status=RefundRun.Status.COMPUTED, official=True, year=None,
               first_reviewer=None, window_ends=None):
    return RefundRun.objects.create(year=year or 2000 + next(_serial) % 900, region_id=region, is_official=official,
                                    status=status, chunk_size=100, started_by=maker, computed_at=timezone.now(),
                                    eligible_count=3, first_reviewed_by=first_reviewer,
                                    first_reviewed_at=timezone.now() if first_reviewer else None,
                                    publicity_ends_on=window_ends)


def objection(*, region="220102", entered_by, assignee=None, deadline, status="lodged", source="refund-run",
              record_id=1):
    from apps.objections.models import Objection

    return Objection.objects.create(source=source, record_id=record_id, row_key=str(next(_serial)), result_id=next(_serial),
                                    region_id=region, subject_name="长春测试单位", disputed_item="amount",
                                    disputed_label="返还金额", grounds="金额有误", channel="on_behalf",
                                    entered_by=entered_by, assignee=assignee, deadline=deadline, status=status)


def institution(*, region="220102", category=Institution.Category.PRIVATE_INCLUSIVE, certified_to=None,
                status=Institution.Status.OPERATING):
    return Institution.objects.create(
        name=f"测试托育园{next(_serial)}", uscc=make_uscc(region, next(_serial), "52"), category=category,
        region_id=region, status=status, inclusive_certified_from=date(2020, 1, 1) if certified_to else None,
        inclusive_certified_to=certified_to, inclusive_certificate_number="吉普惠托〔2024〕1号")


def childcare_claim(*, region="220102", maker, status=OperatingSubsidyClaim.Status.SUBMITTED, first_reviewer=None,
                    window_ends=None, objection_status=None):
    claim = OperatingSubsidyClaim.objects.create(
        institution=institution(region=region), year=2025, status=status, amount=Decimal("1200.00"),
        submitted_by=maker, submitted_at=timezone.now(), first_reviewed_by=first_reviewer,
        publicity_ends_on=window_ends)
    if objection_status:
        objection(region=region, entered_by=maker, deadline=window_ends, status=objection_status,
                  source="childcare-claim", record_id=claim.pk)
    return claim


def program(region="220102"):
    if not Occupation.objects.exists():
        load_occupations(Occupation)
    provider = provider_of(region=region)
    return Program.objects.create(code=f"WL-{next(_serial)}", name="家政服务员初级班", provider=provider,
                                  occupation=Occupation.objects.order_by("id").first(), capacity=30,
                                  start_date=date(2026, 3, 1), end_date=date(2026, 4, 30), region_id=region)


def provider_of(*, region="220102", accredited_until=None, active=True):
    return Provider.objects.create(uscc=make_uscc(region, next(_serial), "52"), name=f"测试培训学校{next(_serial)}",
                                   provider_type="training_institution", region_id=region,
                                   accredited_until=accredited_until, is_active=active, accreditation_number="吉人社培1")


def training_enrollment(region="220102"):
    course = program(region)
    return Enrollment.objects.create(person=PersonFactory(region_id=region), program=course,
                                     target_group="migrant_worker", region_id=region)


def training_claim(*, region="220102", maker, status=TrainingSubsidyClaim.Status.CLAIMED, window_ended=None,
                   first_reviewer=None, held=False):
    """A claim; 公示中 ones with their window's last day `window_ended`, a first reviewer (a fresh one unless
    given) and, `held`, an open objection."""
    enrollment = training_enrollment(region)
    if status == TrainingSubsidyClaim.Status.PUBLICIZING and first_reviewer is None:
        first_reviewer = UserFactory(role="supervisor", region_id="220000")
    claim = TrainingSubsidyClaim.objects.create(
        enrollment=enrollment, person=enrollment.person, occupation=enrollment.program.occupation, level="junior",
        kind="training", amount=Decimal("800.00"), status=status, explanation={}, claimed_by=maker,
        reviewed_by=first_reviewer, publicity_ends_on=window_ended,
        publicity_starts_on=window_ended - timedelta(days=7) if window_ended else None)
    if held:
        from apps.objections.models import Objection

        Objection.objects.create(source="training-claim", record_id=claim.pk, row_key=str(claim.person_id),
                                 result_id=next(_serial), region_id=region, subject_name=enrollment.person.name,
                                 disputed_item="amount", disputed_label="补贴金额", grounds="金额有误",
                                 channel="on_behalf", entered_by=maker, deadline=timezone.localdate())
    return claim


def follow_up(*, region="220102", due, done=False):
    return FollowUp.objects.create(enrollment=training_enrollment(region), months=3, due_on=due,
                                   done_on=due if done else None)


def payment_batch(*, region="220102", maker, status=PaymentBatch.Status.PREPARED):
    return PaymentBatch.objects.create(source="refunds.run", source_id=next(_serial), region_id=region, status=status,
                                       purpose="2025年稳岗返还", row_count=2, total_amount=Decimal("3000.00"),
                                       sha256="0" * 64, prepared_by=maker)


def failed_line(*, region="220102", maker, status=PaymentLine.Status.FAILED):
    batch = payment_batch(region=region, maker=maker, status=PaymentBatch.Status.ISSUED)
    return PaymentLine.objects.create(batch=batch, reference=f"P{next(_serial)}", row_key="1", payee_name="测试单位",
                                      bank_name="测试银行", account_number="62220000000001", account_name="测试单位",
                                      amount=Decimal("100.00"), region_code=region, status=status,
                                      failure_reason="户名不符", returned_at=timezone.now())


def case(*, region="220102", worker=None, due=None, risk=RiskLevel.HIGH, status=Status.IN_SERVICE):
    child = PersonFactory(region_id=region, birth_date=date(2016, 5, 1))
    record = Case.objects.create(child=child, region_id=region, referral_source=ReferralSource.values[0],
                                 assigned_worker=worker, reported_on=date(2026, 1, 1))
    Case.objects.filter(pk=record.pk).update(status=status, risk_level=risk, next_visit_due=due)  # not editable
    record.refresh_from_db()
    return record


def escalation(*, region="220102", worker=None, due, resolved=False):
    record = case(region=region, worker=worker, due=due)
    return Escalation.objects.create(case=record, due_on=due, raised_on=due + timedelta(days=1),
                                     resolved_at=timezone.now() if resolved else None)


def lead(*, region="220102", status=BenefitMatch.Status.OPEN):
    return BenefitMatch.objects.create(person=PersonFactory(region_id=region), calculator="childcare-subsidy",
                                       year=2026, as_of=date(2026, 1, 1), facts={}, result={}, amount=Decimal("3600.00"),
                                       status=status)


def import_batch(*, maker, status=ImportBatch.Status.REJECTED, kind=ImportBatch.Kind.EMPLOYERS, days_ago=0):
    batch = ImportBatch.objects.create(kind=kind, status=status, file_name="名单.csv", sha256="0" * 64,
                                       created_by=maker, error_count=2)
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now() - timedelta(days=days_ago))
    return batch


def duplicate(*, region="220102"):
    first = PersonFactory(region_id=region, name="孙立")
    second = PersonFactory(region_id=region, name="孙立", birth_date=first.birth_date)
    return DuplicateCandidate.objects.create(person=second, other=first, other_id_number=first.id_number)


def fraud_case(*, region="220102", finder, status="found"):
    from apps.fraud.models import FraudCase

    return FraudCase.objects.create(person=PersonFactory(region_id=region), region_id=region, reported_on=date(2026, 11, 1),
                                    hospital="长春测试医院", amount_billed=Decimal("100.00"), caseworker=finder,
                                    created_by=finder, found_by=finder, status=status, status_since=timezone.now())


def eldercare_claim(*, region="220102", maker, status="submitted"):
    from apps.eldercare.models import IncentiveClaim, Institution, StaffMember

    institution = Institution.objects.create(name=f"福寿养老院{next(_serial)}", uscc=make_uscc(region, next(_serial)),
                                             region_id=region, beds=100, older_people_served=80)
    person = PersonFactory(region_id=region)
    staff = StaffMember.objects.create(institution=institution, person=person, region_id=region,
                                       role=StaffMember.Role.CAREGIVER, full_time=True, start_date=date(2025, 1, 1))
    return IncentiveClaim.objects.create(staff=staff, institution=institution, person=person, region_id=region,
                                         kind="post_subsidy", claim_date=date(2026, 11, 1), months=1,
                                         amount=Decimal("300.00"), submitted_by=maker, status=status)


def public_post_run(*, region="220102", maker, status="computed"):
    from apps.public_posts.models import SubsidyRun

    return SubsidyRun.objects.create(region_id=region, month=date(2026, next(_serial) % 12 + 1, 1), status=status,
                                     placements_total=2, placements_done=2, total_amount=Decimal("3000.00"),
                                     started_by=maker, error="数据库连接中断" if status == "failed" else "")


def public_post_placement(*, region="220102", agreed_end, status="active"):
    from apps.public_posts.models import Placement, PublicPost

    post = PublicPost.objects.create(name="村级保洁员", employer_name="南关区环卫所", post_type="cleaning_greening",
                                     region_id=region, places=2, start_date=date(2024, 1, 1))
    exited = {"exit_date": agreed_end, "exit_reason": "term_ended"} if status == "exited" else {}
    return Placement.objects.create(post=post, person=PersonFactory(region_id=region), region_id=region,
                                    start_date=date(2024, 1, 1), agreed_end_date=agreed_end, status=status, **exited)


def gig_placement(*, region="220102", start, outcome="pending"):
    from apps.employers.models import Employer
    from apps.gig.models import Availability, Placement, Posting

    employer = Employer.objects.create(name=f"零工用工单位{next(_serial)}", uscc=make_uscc(region, next(_serial)),
                                       region_id=region)
    posting = Posting.objects.create(title="搬运工", employer=employer, trade="loader", pay=Decimal("200.00"),
                                     headcount=2, start_date=start, end_date=start + timedelta(days=5), region_id=region,
                                     address="南关区测试路1号")
    availability = Availability.objects.create(person=PersonFactory(region_id=region), region_id=region,
                                               available_from=start, available_to=start + timedelta(days=30))
    return Placement.objects.create(posting=posting, availability=availability, start_date=start, outcome=outcome)


def outbound_message(*, region="220102", status="dead"):
    from apps.integrations.models import OutboundMessage

    return OutboundMessage.objects.create(kind="training.willingness", source="training-willingness",
                                          source_id=next(_serial), region_id=region, payload={}, status=status,
                                          attempts=8, last_error="HTTP 503")
