"""One record of every kind in 长春市南关区 (region A), built through the services, for the access matrix.

Every free-text value a record of region A carries includes MARKER, so a page or an API answer of another
region that shows any of it is caught by one substring search; names, ID numbers (full and masked), USCCs
and case references are collected in `World.secrets` as well.
"""

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission

from apps.accounts.models import User
from apps.accounts.services import api_token_issue
from apps.applicants.models import (
    DuplicateCandidate,
    Household,
    HouseholdMember,
    InsuranceEnrollment,
    StatusTag,
)
from apps.applicants.services import duplicates_flag
from apps.child_welfare import services as welfare
from apps.child_welfare.models import CharityResource, ChildrenDirector, Domain, Escalation, PlanItem
from apps.childcare.models import Finding, Inspection, Institution, StaffMember
from apps.childcare.services import attendance as attendance_services
from apps.childcare.services import claim_runs, claims
from apps.childcare.services import enrollments as childcare_enrollments
from apps.childcare.services import institutions as childcare_institutions
from apps.core import audit
from apps.core.demo import make_id_number, make_uscc
from apps.core.listing import saved_filter_save
from apps.core.models import AccessLog
from apps.core.validators import mask_id_number
from apps.eligibility.models import BenefitMatch
from apps.eligibility.services import determination_create
from apps.employers.models import Contribution, Employer
from apps.imports.models import ImportBatch
from apps.imports.services import import_file
from apps.notifications.events import Recipient
from apps.notifications.models import Message
from apps.notifications.services import enqueue, message_deliver
from apps.payments import services as payment_services
from apps.payments.notices import PAID
from apps.publicity.models import Publication
from apps.refunds.models import RefundChunk
from apps.refunds.payment_lifecycle import PAYMENT_SOURCE
from apps.refunds.services import chunk_compute, run_approve, run_finalize, run_start
from apps.training.catalogue import load_occupations
from apps.training.models import FollowUp, Occupation, Program, Provider, ShortageReport, WorklistItem
from apps.training.services import (
    enrollment_register,
    enrollment_transition,
    program_save,
    shortage_report_create,
    willingness_register,
    worklist_refresh,
)
from tests.factories import PersonFactory, UserFactory
from tests.refund_review import publicize

MARKER = "南关矩阵"
REGION_A, REGION_B = "220102", "220204"


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    records: dict[str, object] = field(default_factory=dict)  # kind → one record of region A
    secrets: set[str] = field(default_factory=set)  # identifying values of region A

    def add(self, kind: str, record, *values: str | None):
        self.records[kind] = record
        self.secrets.update(v for v in values if v)
        return record

    def person(self, kind: str, **kwargs):
        person = PersonFactory(region_id=REGION_A, name=kwargs.pop("name", f"{MARKER}{len(self.records)}号"),
                               **kwargs)
        return self.add(kind, person, person.name, person.id_number, mask_id_number(person.id_number),
                        person.id_number[6:14] + person.id_number[14:17])


def _users(world: World) -> None:
    world.users = {
        "a_caseworker": UserFactory(username="mx_cw_a", role=User.Role.CASEWORKER, region_id=REGION_A),
        "a_supervisor": UserFactory(username="mx_sup_a", role=User.Role.SUPERVISOR, region_id="220100",
                                    is_staff=True),
        "a_reviewer": UserFactory(username="mx_rev_a", role=User.Role.SUPERVISOR, region_id=REGION_A,
                                  is_staff=True),
        "a_first_reviewer": UserFactory(username="mx_first_a", role=User.Role.SUPERVISOR, region_id=REGION_A),
        "a_admin": UserFactory(username="mx_admin_a", role=User.Role.ADMINISTRATOR, region_id="220100",
                               is_staff=True),
        "b_admin": UserFactory(username="mx_admin_b", role=User.Role.ADMINISTRATOR, region_id="220200",
                               is_staff=True),
        "b_caseworker": UserFactory(username="mx_cw_b", role=User.Role.CASEWORKER, region_id=REGION_B),
        "b_supervisor": UserFactory(username="mx_sup_b", role=User.Role.SUPERVISOR, region_id="220200",
                                    is_staff=True),
    }
    world.add("user", world.users["a_caseworker"], "mx_cw_a")
    # A regional back office with every model permission: only the region keeps one from the other's records.
    every = list(Permission.objects.all())
    for who in ("a_admin", "b_admin"):
        world.users[who].user_permissions.set(every)


def _applicants(world: World) -> None:
    person = world.person("person")
    world.add("status_tag", StatusTag.objects.create(person=person, tag=StatusTag.Tag.FLEXIBLE_EMPLOYMENT,
                                                     since=date(2024, 3, 1)))
    world.add("insurance_enrollment", InsuranceEnrollment.objects.create(
        person=person, kind=InsuranceEnrollment.Kind.FLEXIBLE_MEDICAL, start_date=date(2024, 3, 1),
        contribution_base=Decimal("5000.00"), months_contributed=12))
    household = world.add("household", Household.objects.create(region_id=REGION_A, address=f"{MARKER}小区1号"),
                          f"{MARKER}小区1号")
    HouseholdMember.objects.create(household=household, person=person, relation="head")
    twin = world.person("twin", name=person.name)  # same name and birth date: a duplicate candidate
    duplicates_flag(people=[twin])
    world.add("duplicate_candidate", DuplicateCandidate.objects.filter(person=twin).first()
              or DuplicateCandidate.objects.create(person=twin, other=person, other_id_number=person.id_number))


def _employers(world: World) -> None:
    employer = Employer.objects.create(region_id=REGION_A, name=f"{MARKER}机械有限公司", uscc=make_uscc(REGION_A, 7_700_001),
                                       entity_type=Employer.EntityType.ENTERPRISE, industry=Employer.Industry.INDUSTRY,
                                       employees=50, revenue_10k=Decimal("5000"))
    world.add("employer", employer, employer.name, employer.uscc)
    for year in (2024, 2025):
        for month in range(1, 13):
            contribution = Contribution.objects.create(
                employer=employer, period=date(year, month, 1), insured_headcount=50, amount_due=Decimal("1000.00"),
                paid_employer=Decimal("700.00"), paid_employee=Decimal("300.00"), late_fee=Decimal("0.00"))
    world.add("contribution", contribution)


def _eligibility(world: World) -> None:
    user, person = world.users["a_caseworker"], world.records["person"]
    world.add("determination", determination_create(
        user=user, calculator="childcare-subsidy", person=person, label=f"{MARKER}测算",
        facts={"year": 2026, "child_birth_date": "2026-02-01"}), f"{MARKER}测算")
    world.add("benefit_match", BenefitMatch.objects.create(
        person=person, calculator="childcare-subsidy", year=2025, label=f"{MARKER}线索", as_of=date(2025, 6, 1),
        facts={}, result={}, amount=Decimal("3600.00")), f"{MARKER}线索")


def _training(world: World) -> None:
    user, reviewer = world.users["a_caseworker"], world.users["a_reviewer"]
    if not Occupation.objects.exists():
        load_occupations(Occupation)
    occupation = Occupation.objects.get(code="DOM-01")
    provider = world.add("provider", Provider.objects.create(
        uscc=make_uscc(REGION_A, 7_700_002, "52"), name=f"{MARKER}职业培训学校", provider_type="training_institution",
        region_id=REGION_A), f"{MARKER}职业培训学校", make_uscc(REGION_A, 7_700_002, "52"))
    program = world.add("program", program_save(program=Program(
        code="MX-A-001", name=f"{MARKER}家政班", provider=provider, occupation=occupation, region_id=REGION_A,
        target_level="junior", funding_channel="subsidised", capacity=30, start_date=date(2026, 3, 1),
        end_date=date(2026, 4, 30), target_groups=["migrant_worker"], subsidy_key="domestic_service"), user=user),
        "MX-A-001", f"{MARKER}家政班")
    world.add("shortage_report", shortage_report_create(report=ShortageReport(
        employer=world.records["employer"], occupation=occupation, count=20, wage_min=Decimal("3200.00"),
        wage_max=Decimal("5000.00"), reported_on=date(2026, 1, 20)), user=user))
    trainee = world.person("trainee")
    world.add("training_willingness", willingness_register(person=trainee, occupation=occupation,
                                                           target_group="migrant_worker"))
    enrollment = enrollment_register(person=trainee, program=program, target_group="migrant_worker", user=user)
    steps = [("enroll", {}), ("start", {}), ("complete", {"completed_on": "2026-04-30"}),
             ("assess", {"kind": "skill_level", "level": "junior", "number": "MXCERT0001", "issued_on": "2026-05-10",
                         "issuer": "吉林省职业技能鉴定中心"}),
             ("verify_employment", {"employment_evidence": "labour_contract", "employer_name": f"{MARKER}家政公司",
                                    "employment_start": "2026-05-15", "monthly_wage": "4200.00"}),
             ("claim_subsidy", {})]
    for action, payload in steps:
        enrollment = enrollment_transition(enrollment=enrollment, action=action, user=user, payload=payload)
    world.add("training_enrollment", enrollment)
    world.add("certificate", enrollment.certificates.first(), "MXCERT0001")
    world.add("training_claim", enrollment.claims.first())
    world.add("follow_up", FollowUp.objects.filter(enrollment=enrollment).first())
    worklist_refresh(today=date(2027, 6, 1))
    world.add("worklist_item", WorklistItem.objects.filter(region_id=REGION_A).first())
    other = world.person("trainee_pending")
    world.add("training_enrollment_registered",
              enrollment_register(person=other, program=program, target_group="migrant_worker", user=reviewer))


def _childcare(world: World) -> None:
    user, reviewer = world.users["a_caseworker"], world.users["a_reviewer"]
    uscc = make_uscc(REGION_A, 7_700_003, "52")
    institution = world.add("institution", childcare_institutions.institution_save(institution=Institution(
        name=f"{MARKER}托育园", uscc=uscc, category=Institution.Category.PRIVATE_INCLUSIVE, region_id=REGION_A,
        address=f"{MARKER}路1号", contact_person="甄南关", phone="0431-88886666", licence_number="吉托备MX0001",
        licence_date=date(2023, 6, 1), inclusive_certificate_number="吉普惠托〔2024〕MX号",
        inclusive_certified_from=date(2024, 3, 1), places_infant=5, places_toddler=10, places_preschool=10)),
        f"{MARKER}托育园", uscc, "吉托备MX0001")
    world.add("staff_member", childcare_institutions.staff_member_save(staff=StaffMember(
        institution=institution, name=f"{MARKER}保育员", post="caregiver", qualification="childcare_worker",
        hired_on=date(2024, 3, 1))), f"{MARKER}保育员")
    inspection = world.add("inspection", childcare_institutions.inspection_save(inspection=Inspection(
        institution=institution, kind="food", visited_on=date(2025, 10, 15), inspector=f"{MARKER}监督科",
        notes=f"{MARKER}检查")), f"{MARKER}监督科")
    world.add("finding", childcare_institutions.finding_save(finding=Finding(
        inspection=inspection, severity="minor", description=f"{MARKER}晨检记录不完整",
        rectification_deadline=date(2025, 11, 1))), f"{MARKER}晨检记录不完整")
    child_number = make_id_number(REGION_A, date(2024, 2, 3), 771, False)
    enrollment = childcare_enrollments.enrollment_create(
        institution=institution, child_id_number=child_number, child_name=f"{MARKER}托童", start_date=date(2025, 3, 1),
        age_group="toddler", guardians=[childcare_enrollments.GuardianInput(
            id_number=make_id_number(REGION_A, date(1992, 4, 5), 772, True), name=f"{MARKER}家长",
            relationship="mother", phone="13912345678")])
    world.add("childcare_enrollment", enrollment, f"{MARKER}托童", child_number, mask_id_number(child_number),
              f"{MARKER}家长")
    world.add("attendance", attendance_services.attendance_record(enrollment=enrollment, month=date(2025, 4, 1),
                                                                  days_present=20))
    claim = claims.claim_compute(institution=institution, year=2025, user=user)
    world.add("childcare_claim", claims.claim_submit(claim=claim, user=user))
    world.add("claim_run", claim_runs.claim_run_start(user=reviewer, year=2025))


def _child_welfare(world: World) -> None:
    user = world.users["a_caseworker"]
    child_number = make_id_number(REGION_A, date(2016, 3, 9), 773, False)
    director = world.add("children_director", welfare.director_save(director=ChildrenDirector(
        name=f"{MARKER}主任", region_id=REGION_A, community=f"{MARKER}社区", phone="13800001111")), f"{MARKER}主任")
    case = welfare.case_report(
        user=user, child_id_number=child_number, child_name=f"{MARKER}童", region_code=REGION_A,
        referral_source="school", risk_level="high", categories=[("left_behind", date(2025, 1, 1))],
        guardians=[{"name": f"{MARKER}奶奶", "relationship": "祖母", "situation": "normal"}],
        reported_on=date.today() - timedelta(days=60))
    welfare.case_update(user=user, case_id=case.pk, expected_version=case.version, data={"director": director})
    case.refresh_from_db()
    world.add("case", case, case.reference, f"{MARKER}童", child_number, mask_id_number(child_number), f"{MARKER}奶奶")
    welfare.sensitive_note_add(user=user, case_id=case.pk, text=f"{MARKER}敏感信息")
    world.secrets.add(f"{MARKER}敏感信息")
    assessment = welfare.assessment_create(user=user, case_id=case.pk, assessed_on=date.today(),
                                           summary=f"{MARKER}评估",
                                           domains={d: {"severity": "medium", "needs": f"{MARKER}{d}"}
                                                    for d in Domain.values})
    world.add("assessment", assessment, f"{MARKER}评估")
    world.add("plan_item", welfare.plan_item_save(
        user=user, case_id=case.pk, domain=Domain.EDUCATION, goal=f"{MARKER}按时上学", service="课业辅导",
        responsible_type=PlanItem.ResponsibleType.VOLUNTEER, responsible_name=f"{MARKER}志愿队",
        due_date=date.today() + timedelta(days=60), status=PlanItem.ItemStatus.PLANNED), f"{MARKER}按时上学")
    world.add("visit", welfare.visit_record(user=user, case_id=case.pk, visited_on=date.today() - timedelta(days=1),
                                            visitors=f"{MARKER}走访组", findings=f"{MARKER}探访发现"), f"{MARKER}探访发现")
    resource = world.add("charity_resource", CharityResource.objects.create(
        name=f"{MARKER}助学金", provider=f"{MARKER}基金会", provider_type="charity", domain=Domain.EDUCATION,
        region_id=REGION_A), f"{MARKER}助学金")
    world.add("referral", welfare.referral_create(
        user=user, case_id=case.pk, target_type="charity", target_name=f"{MARKER}基金会", domain=Domain.EDUCATION,
        request=f"{MARKER}申请助学", resource=resource), f"{MARKER}申请助学")
    world.add("escalation", Escalation.objects.create(case=case, due_on=date.today() - timedelta(days=3),
                                                      raised_on=date.today()))


def _objections(world: World, run) -> None:
    """An objection (with a PDF) against the run's first result, lodged while the run is being publicized."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from apps.objections import services as objection_services
    from apps.refunds.models import RefundRun

    today = timezone.localdate()
    status = run.status
    RefundRun.objects.filter(pk=run.pk).update(status=RefundRun.Status.PUBLICIZING, published_at=timezone.now(),
                                               publicity_starts_on=today, publicity_ends_on=today + timedelta(days=5))
    result = run.results.first()
    objection = objection_services.objection_lodge(
        user=world.users["a_caseworker"], source_slug="refund-run", record_id=run.pk, row_key=str(result.employer_id),
        disputed_item="fact:has_arrears", grounds=f"{MARKER}异议理由", channel="on_behalf")
    world.add("objection", objection, f"{MARKER}异议理由")
    world.add("attachment", objection_services.objection_attach(
        user=world.users["a_caseworker"], objection_id=objection.pk,
        upload=SimpleUploadedFile(f"{MARKER}证明.pdf", b"%PDF-1.4 x", content_type="application/pdf")))
    RefundRun.objects.filter(pk=run.pk).update(status=status)


def _refunds_and_imports(world: World) -> None:
    user, reviewer = world.users["a_caseworker"], world.users["a_reviewer"]
    run = run_start(user=reviewer, year=2026, region_code=REGION_A)
    for chunk in RefundChunk.objects.filter(run=run):
        chunk_compute(chunk_id=chunk.pk)
    run_finalize(run_id=run.pk)
    run.refresh_from_db()
    world.add("refund_run", run)
    world.add("refund_result", run.results.first())
    world.add("refund_chunk", run.chunks.first())
    _payments(world, run)
    _objections(world, run)
    csv = f"uscc,name,region_code,entity_type,industry,employees\n{make_uscc(REGION_A, 7_700_009)},{MARKER}导入公司,{REGION_A},enterprise,industry,=1+2\n"
    batch = import_file(kind=ImportBatch.Kind.EMPLOYERS, handle=io.BytesIO(csv.encode()), file_name=f"{MARKER}.csv",
                        user=user)
    world.add("import_batch", batch, f"{MARKER}导入公司")
    world.add("api_token", api_token_issue(user=user, name=f"{MARKER}接口", created_by=reviewer)[0], f"{MARKER}接口")
    world.add("saved_filter", saved_filter_save(user=user, list_key="applicants", name=f"{MARKER}常用",
                                                querystring=f"q={MARKER}"), f"{MARKER}常用")
    audit.log_read(user=user, obj=world.records["person"], request=None)
    world.add("access_log", AccessLog.objects.filter(user=user).first())


def _fraud(world: World) -> None:
    """A fraud case of 南关区 through 立案, 认定 (the caseworker), 生效 (a reviewer) and 申诉: a finding, an appeal."""
    from apps.fraud import services as fraud_services

    user, reviewer = world.users["a_caseworker"], world.users["a_reviewer"]
    person = world.person("fraud_person")
    case = fraud_services.case_create(user=user, person=person, reported_on=date(2026, 11, 1),
                                      hospital=f"{MARKER}医院", amount_billed=Decimal("8600.00"),
                                      description=f"{MARKER}案情")
    fraud_services.case_transition(case=case, action="investigate", user=user)
    fraud_services.case_transition(case=case, action="find", user=user, misused_amount=Decimal("8600.00"),
                                   facts_summary=f"{MARKER}认定事实")
    fraud_services.case_transition(case=case, action="approve", user=reviewer)
    case = fraud_services.case_transition(case=case, action="appeal", user=user, note=f"{MARKER}申诉理由")
    world.add("fraud_case", case, f"{MARKER}医院", f"{MARKER}案情")
    world.add("fraud_finding", case.finding, f"{MARKER}认定事实")
    world.add("fraud_appeal", case.appeals.get(), f"{MARKER}申诉理由")


def _payments(world: World, run) -> None:
    """The run approved (four eyes: started by the reviewer, approved by the city supervisor), its payees'
    bank details filled in, a disbursement file approved and issued, and the bank's return failing one line:
    every payment page, API operation and admin model has a record of 南关区."""
    reviewer, supervisor = world.users["a_reviewer"], world.users["a_supervisor"]
    publicize(run, reviewer=world.users["a_first_reviewer"])  # 初审 and 公示 by a third reviewer, window passed
    run_approve(run_id=run.pk, user=supervisor, comment=f"{MARKER}审核")
    payees = Employer.objects.filter(pk__in=run.results.filter(eligible=True).values("employer_id"))
    for n, employer in enumerate(payees):
        Employer.objects.filter(pk=employer.pk).update(
            bank_name=f"{MARKER}银行", bank_account=f"6222{n:012d}", bank_account_name=employer.name)
    batch = payment_services.batch_prepare(user=reviewer, source_key=PAYMENT_SOURCE, source_id=run.pk)
    publication = Publication.objects.get(source="refunds.run", record_id=run.pk)
    world.add("publication", publication, publication.token)
    payment_services.batch_approve(user=supervisor, batch_id=batch.pk)
    payment_services.batch_issue(user=supervisor, batch_id=batch.pk)
    line = batch.lines.order_by("pk").first()
    payment_services.lines_record_return(rows=[{"reference": line.reference, "result": "failed",
                                                "failure_reason": f"{MARKER}账户不符"}], user=supervisor)
    batch.refresh_from_db()
    world.add("payment_batch", batch)
    world.add("payment_line", line, f"{MARKER}账户不符")
    _notices(world, run)
    _exports(world, run)


def _exports(world: World, run) -> None:
    """A finished background export of the run (its CSV stored), started by region A's caseworker."""
    from apps.core import export_jobs
    from apps.refunds.exports import SOURCE as EXPORT_SOURCE

    job = export_jobs.job_start(source=EXPORT_SOURCE, record=run, fmt="csv", user=world.users["a_caseworker"])
    world.add("export_job", export_jobs.job_run(job_id=job.pk))


def _notices(world: World, run) -> None:
    """A 文号 series of 南关区, one notice of the run (its PDF stored) and a finished batch with its ZIP."""
    from apps.documents import services as document_services
    from apps.documents.models import NoticeBatch, NoticeSeries
    from apps.refunds.notices import SOURCE as NOTICE_SOURCE

    series = NoticeSeries.objects.create(source=NOTICE_SOURCE.key, region_id=REGION_A, prefix=f"{MARKER}告",
                                         objection_channel=f"{MARKER}窗口")
    world.add("notice_series", series, series.prefix)
    key = NOTICE_SOURCE.row_keys(run.pk)[0]
    notice = document_services.notice_ensure(source=NOTICE_SOURCE, source_id=run.pk, row_key=key,
                                             user=world.users["a_caseworker"])
    world.add("notice", notice, notice.number, notice.code)
    batch = NoticeBatch.objects.create(source=NOTICE_SOURCE.key, source_id=run.pk, region_code=REGION_A,
                                       started_by=world.users["a_caseworker"])
    document_services.batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    world.add("notice_batch", batch)


def _notifications(world: World) -> None:
    """An 已发放到账 notice to a payee of 南关区 (a queued SMS) and to 南关区's caseworker (a delivered 站内信)."""
    run = world.records["refund_run"]
    enqueue(PAID.code, [Recipient(key="matrix", name=f"{MARKER}收款单位", region_code=REGION_A, phone="13800138000",
                                  user_id=world.users["a_caseworker"].pk,
                                  context={"amount": "3600.00", "reference": "P000001-00001", "paid_at": "2026-12-01"})],
            {"purpose": f"{MARKER}用途"}, dedupe_key="matrix:paid", ref=("refund-run", run.pk))
    inbox = Message.objects.get(dedupe_key__startswith="matrix:paid", channel="inbox")
    message_deliver(message_id=inbox.pk)
    inbox.refresh_from_db()
    assert inbox.status == Message.Status.SENT, inbox.last_error
    world.add("notification", inbox, f"{MARKER}收款单位", "138****8000")


def _gig(world: World) -> None:
    from apps.core.models import Region
    from apps.gig import services as gig
    from apps.gig.models import Availability, Broker, Posting

    user = world.users["a_caseworker"]
    Region.objects.get_or_create(code="220102001", defaults={"name": "永吉街道", "level": "township",
                                                              "parent_id": REGION_A})
    broker = world.add("gig_broker", gig.broker_register(broker=Broker(
        person=world.person("gig_broker_person"), region_id="220102001", phone="13904310001",
        registered_on=date(2026, 3, 1)), user=user))
    posting = world.add("gig_posting", gig.posting_create(posting=Posting(
        title=f"{MARKER}瓦工岗位", trade="bricklayer", pay=Decimal("260.00"), headcount=3, region_id=REGION_A,
        address=f"{MARKER}幸福街18号", start_date=date(2026, 4, 6), end_date=date(2026, 4, 10), broker=broker),
        user=user), f"{MARKER}瓦工岗位", f"{MARKER}幸福街18号")
    workers = [gig.availability_register(availability=Availability(
        person=world.person(f"gig_worker_person{n}"), region_id=REGION_A, available_from=date(2026, 4, 1),
        available_to=date(2026, 4, 30)), trades=["bricklayer"], user=user) for n in (1, 2)]
    world.add("gig_availability", workers[0])
    world.add("gig_placement", gig.placement_create(posting=posting, availability=workers[1],
                                                    start_date=date(2026, 4, 6), user=user, broker=broker))


def _public_posts(world: World) -> None:
    """A 公益性岗位 of 南关区, a 就业困难 person placed on it, and its computed March run (started by the caseworker)."""
    from apps.core.models import Region
    from apps.public_posts import services as post_services
    from apps.public_posts.models import PublicPost

    user = world.users["a_caseworker"]
    post = world.add("public_post", post_services.post_save(post=PublicPost(
        name=f"{MARKER}快递收发岗", post_type=PublicPost.PostType.RURAL_LOGISTICS, employer_name=f"{MARKER}街道办事处",
        region_id=REGION_A, places=3, start_date=date(2026, 1, 1)), user=user), f"{MARKER}快递收发岗",
        f"{MARKER}街道办事处")
    person = world.person("public_post_person")
    StatusTag.objects.create(person=person, tag=StatusTag.Tag.EMPLOYMENT_DIFFICULTY, since=date(2025, 1, 1))
    world.add("public_post_placement", post_services.placement_create(
        post=post, person=person, start_date=date(2026, 1, 1), agreed_end_date=date(2026, 12, 31), user=user))
    run = post_services.run_start(user=user, region=Region.objects.get(pk=REGION_A), month=date(2026, 3, 1))
    post_services.run_compute(run_id=run.pk)  # the on-commit enqueue does not run inside the world's transaction
    run.refresh_from_db()
    world.add("public_post_run", run)


def _integrations(world: World) -> None:
    """The outbound push of 南关区's 培训意愿登记 (written by the training service with the registration)."""
    from apps.integrations.models import OutboundMessage

    message = OutboundMessage.objects.get(source="training-willingness",
                                          source_id=world.records["training_willingness"].pk)
    world.add("outbound_message", message, str(message.message_id))


def _eldercare(world: World) -> None:
    """A 养老机构 of 南关区, a full-time carer on its staff, a published 黑名单 entry of a person and the carer's
    submitted 岗位补贴 claim (made by the caseworker)."""
    from apps.eldercare import services as elder
    from apps.eldercare.models import Institution as ElderInstitution
    from apps.eldercare.models import StaffMember as ElderStaff

    user = world.users["a_caseworker"]
    uscc = make_uscc(REGION_A, 7_700_090, "52")
    institution = world.add("eldercare_institution", elder.institution_save(institution=ElderInstitution(
        name=f"{MARKER}福寿养老院", uscc=uscc, region_id=REGION_A, beds=80, older_people_served=60,
        address=f"{MARKER}幸福街8号"), user=user), f"{MARKER}福寿养老院", uscc, f"{MARKER}幸福街8号")
    staff = world.add("eldercare_staff", elder.staff_save(staff=ElderStaff(
        institution=institution, person=world.person(
            "eldercare_person", id_number=make_id_number(REGION_A, date(1958, 11, 23), 487, False)), role=ElderStaff.Role.CAREGIVER,
        full_time=True, start_date=date(2025, 1, 1)), user=user))
    listed = world.person("eldercare_listed_person", id_number=make_id_number(REGION_A, date(1959, 2, 17), 491, True))
    entry = elder.blacklist_add(user=user, person=listed,
                                reason=f"{MARKER}虐待老年人", source=f"{MARKER}南民罚〔2026〕3号", listed_on=date(2026, 1, 5))
    world.add("eldercare_blacklist", elder.blacklist_publish(entry=entry, user=user, on=date(2026, 1, 5)),
              f"{MARKER}虐待老年人")
    world.add("eldercare_claim", elder.claim_submit(staff=staff, user=user, kind="post_subsidy",
                                                    claim_date=date(2026, 3, 1), months=2))


def _startup_loans(world: World) -> None:
    """A 创业担保贷款 of 南关区 (a 农民工 applicant) registered by the caseworker, approved by a reviewer, its schedule
    with two paid periods and the subsidy claim computed from them (waiting for review)."""
    from apps.startup_loans import services as loan_services

    user, reviewer = world.users["a_caseworker"], world.users["a_reviewer"]
    person = world.person("startup_loan_person")
    StatusTag.objects.create(person=person, tag=StatusTag.Tag.MIGRANT_WORKER, since=date(2025, 1, 1))
    application = loan_services.application_create(user=user, person=person, data=loan_services.ApplicationInput(
        application_date=date(2026, 3, 1), business_name=f"{MARKER}农家菜馆", amount_requested=Decimal("200000.00"),
        term_months=24, lender_bank=f"{MARKER}银行"))
    application = loan_services.application_review(application=application, user=reviewer, action="approve")
    loan_services.repayment_periods_write(rows=[loan_services.PeriodRow(
        application_id=application.pk, region_id=REGION_A, period=n, due_date=date(2026, 3 + n, 1),
        principal=Decimal("0.00"), interest=Decimal("583.33"), paid_date=date(2026, 3 + n, 1)) for n in (1, 2, 3)],
        import_batch_id=None)
    world.add("startup_loan", application, f"{MARKER}农家菜馆", f"{MARKER}银行", application.reference)
    world.add("startup_loan_period", application.periods.get(period=1))
    world.add("startup_loan_claim", loan_services.claim_create(application=application, user=user))
    from apps.startup_loans.models import Lender

    lender = loan_services.lender_save(user=user, lender=Lender(
        name=f"{MARKER}经办银行南关支行", uscc=make_uscc(REGION_A, 7_700_090), region_id=REGION_A,
        bank_name=f"{MARKER}开户行", bank_account="22050161007700900", bank_account_name=f"{MARKER}经办银行南关支行"))
    world.add("startup_lender", lender, lender.name, lender.uscc, "22050161007700900")


def build_world() -> World:
    world = World()
    for step in (_users, _applicants, _employers, _eligibility, _training, _childcare, _child_welfare,
                 _refunds_and_imports, _notifications, _gig, _fraud, _public_posts, _integrations, _eldercare, _startup_loans):
        step(world)
    missing = [kind for kind, record in world.records.items() if record is None]
    assert not missing, f"the world has no record of {missing}"
    for record in world.records.values():  # bulk-created rows (a chunk, a worklist item) get a history row too
        history = getattr(record, "history", None)
        if history is not None and not history.exists():
            record.save()
    return world
