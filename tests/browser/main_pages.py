"""The main pages of the portal, for the browser tests that visit them all (phone layout, Content-Security-Policy).

`demo_portal()` fills the database the way `make run` does (seed_demo) plus the two things the demo has none of
(a stored determination, a district's refund run, an import batch with errors), so every list has rows and every detail page a record.
`main_pages(user)` names one page of every kind the user may open — each list, a detail of each list's first
record in the user's region, the forms — as (name, path) pairs, names usable as screenshot file names.
"""

from django.core.management import call_command
from django.urls import reverse

DEMO_PASSWORD = "pw"  # tests.browser.conftest.login types the TOTP code only after this password


def demo_portal():
    from apps.accounts.models import User
    from apps.eligibility.api import FACT_EXAMPLES
    from apps.eligibility.services import determination_create
    from apps.imports.models import ImportBatch, ImportIssue
    from apps.refunds.services import run_start

    call_command("seed_demo", verbosity=0)
    users = {user.username: user for user in User.objects.filter(username__in=["caseworker", "supervisor"])}
    for user in users.values():
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    caseworker = users["caseworker"]
    determination_create(user=caseworker, calculator="stable-job-refund", facts=FACT_EXAMPLES["stable-job-refund"],
                         label="南关区示范企业 2025 年度稳岗返还测算")
    run_start(user=caseworker, year=2026, region_code=caseworker.region_id, dry_run=True)  # the demo's is the province's
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.EMPLOYERS, status=ImportBatch.Status.REJECTED,
                                       file_name="用人单位-二季度补充名单.csv", sha256="0" * 64, created_by=caseworker,
                                       scope_prefix=caseworker.region_id, rows_total=3, error_count=2,
                                       message="校验未通过，未导入")
    ImportIssue.objects.bulk_create([
        ImportIssue(batch=batch, line=2, column="uscc", value="91220102MA0000000X",
                    message="统一社会信用代码校验位错误"),
        ImportIssue(batch=batch, line=3, column="region", value="220204", message="不在您的经办范围内"),
    ])
    return users


def _first(queryset, user, region_field: str = "region"):
    """The first record of the queryset inside the user's region (lowest id: the same one every run)."""
    from apps.core.scoping import scope_queryset

    return scope_queryset(queryset.all(), user, region_field).order_by("pk").first()


def _notice(run):
    from apps.documents.models import Notice
    from apps.documents.services import notice_ensure
    from apps.refunds.notices import SOURCE

    found = Notice.objects.filter(source=SOURCE.key, source_id=run.pk, superseded_at__isnull=True).order_by("pk").first()
    keys = SOURCE.row_keys(run.pk)
    return found or (notice_ensure(source=SOURCE, source_id=run.pk, row_key=keys[0]) if keys else None)


def main_pages(user) -> list[tuple[str, str]]:
    from apps.accounts.permissions import AUDIT_READER_ROLES, REVIEW_ROLES
    from apps.applicants.models import Person
    from apps.child_welfare.models import Case
    from apps.childcare.models import ClaimRun, Institution, OperatingSubsidyClaim
    from apps.childcare.models import Enrollment as ChildcareEnrollment
    from apps.eligibility.models import Determination
    from apps.employers.models import Employer
    from apps.imports.models import ImportBatch
    from apps.refunds.models import RefundResult, RefundRun
    from apps.training.models import Enrollment as TrainingEnrollment
    from apps.training.models import Program

    person = _first(Person.objects, user)
    employer = _first(Employer.objects, user)
    run = _first(RefundRun.objects, user)
    result = _first(RefundResult.objects.filter(run=run), user, "employer__region")
    program = _first(Program.objects, user)
    training_enrollment = _first(TrainingEnrollment.objects, user, "program__region")
    institution = _first(Institution.objects, user)
    child = _first(ChildcareEnrollment.objects, user, "institution__region")
    claim = _first(OperatingSubsidyClaim.objects, user, "institution__region")
    claim_run = ClaimRun.objects.order_by("pk").first()
    case = _first(Case.objects, user)
    determination = _first(Determination.objects, user)
    batch = ImportBatch.objects.filter(created_by__username="caseworker").order_by("pk").first()
    from apps.gig.models import Availability as GigWorker
    from apps.gig.models import Broker as GigBroker
    from apps.gig.models import Posting as GigPosting

    gig_posting = _first(GigPosting.objects.filter(status="open", placements__isnull=False).distinct(), user)
    gig_worker = _first(GigWorker.objects, user)
    gig_broker = _first(GigBroker.objects, user)

    pages = [
        ("dashboard", reverse("dashboard")),
        ("worklist", reverse("worklist")),
        ("applicants-list", reverse("applicants:list")),
        ("applicants-detail", reverse("applicants:detail", args=[person.pk])),
        ("applicants-form", reverse("applicants:create")),
        ("applicants-duplicates", reverse("applicants:duplicates")),
        ("employers-list", reverse("employers:list")),
        ("employers-detail", reverse("employers:detail", args=[employer.pk])),
        ("employers-form", reverse("employers:create")),
        ("eligibility-calculator", reverse("eligibility:calculator")),
        ("eligibility-determinations", reverse("eligibility:determination-list")),
        ("eligibility-determination-detail", reverse("eligibility:determination-detail", args=[determination.pk])),
        ("eligibility-matches", reverse("eligibility:match-list")),
        ("refunds-list", reverse("refunds:list")),
        ("refunds-run-detail", reverse("refunds:detail", args=[run.pk])),
        ("refunds-result-detail", reverse("refunds:result", args=[run.pk, result.employer_id])),
        ("refunds-notice", reverse("refunds:notice", args=[run.pk, result.employer_id])),
        ("training-dashboard", reverse("training:dashboard")),
        ("training-catalogue", reverse("training:catalogue")),
        ("training-programs", reverse("training:program-list")),
        ("training-program-detail", reverse("training:program-detail", args=[program.pk])),
        ("training-enrollments", reverse("training:enrollment-list")),
        ("training-enrollment-detail", reverse("training:enrollment-detail", args=[training_enrollment.pk])),
        ("training-enrollment-form", reverse("training:enrollment-register")),
        ("training-demand", reverse("training:demand")),
        ("training-worklist", reverse("training:worklist")),
        ("training-indicators", reverse("training:indicators")),
        ("childcare-dashboard", reverse("childcare:dashboard")),
        ("childcare-institutions", reverse("childcare:institution-list")),
        ("childcare-institution-detail", reverse("childcare:institution-detail", args=[institution.pk])),
        ("childcare-institution-form", reverse("childcare:institution-create")),
        ("childcare-children", reverse("childcare:enrollment-list")),
        ("childcare-child-detail", reverse("childcare:enrollment-detail", args=[child.pk])),
        ("childcare-claims", reverse("childcare:claim-list")),
        ("childcare-claim-detail", reverse("childcare:claim-detail", args=[claim.pk])),
        ("child-welfare-dashboard", reverse("child_welfare:dashboard")),
        ("child-welfare-cases", reverse("child_welfare:case-list")),
        ("child-welfare-case-detail", reverse("child_welfare:case-detail", args=[case.pk])),
        ("child-welfare-report-form", reverse("child_welfare:case-report")),
        ("child-welfare-visit-form", reverse("child_welfare:visit-add", args=[case.pk])),
        ("child-welfare-offline-visits", reverse("child_welfare:offline")),
        ("child-welfare-caseload", reverse("child_welfare:caseload")),
        ("child-welfare-matching", reverse("child_welfare:matching")),
        ("child-welfare-statistics", reverse("child_welfare:statistics")),
        ("imports-upload", reverse("imports:upload")),
        ("imports-batch", reverse("imports:detail", args=[batch.pk])),
        ("notifications-inbox", reverse("notifications:inbox")),
        ("integrations-deliveries", reverse("integrations:delivery-list")),
        ("objections-list", reverse("objections:list")),
        ("gig-postings", reverse("gig:posting-list")),
        ("gig-posting-detail", reverse("gig:posting-detail", args=[gig_posting.pk])),
        ("gig-posting-form", reverse("gig:posting-create")),
        ("gig-workers", reverse("gig:availability-list")),
        ("gig-worker-detail", reverse("gig:availability-detail", args=[gig_worker.pk])),
        ("gig-worker-form", reverse("gig:availability-create")),
        ("gig-brokers", reverse("gig:broker-list")),
        ("gig-broker-detail", reverse("gig:broker-detail", args=[gig_broker.pk])),
        ("gig-broker-form", reverse("gig:broker-create")),
        ("gig-performance", reverse("gig:performance")),
        ("fraud-cases", reverse("fraud:case-list")),
        ("fraud-case-form", reverse("fraud:case-create")),
        ("fraud-statistics", reverse("fraud:statistics")),
    ]
    from apps.fraud.models import FraudCase

    fraud_case = _first(FraudCase.objects.filter(status="found"), user)
    if fraud_case is not None:
        pages.append(("fraud-case-detail", reverse("fraud:case-detail", args=[fraud_case.pk])))
    from apps.public_posts.models import PublicPost, SubsidyRun

    pages += [("public-posts", reverse("public_posts:post-list")), ("public-post-form", reverse("public_posts:post-create")),
              ("public-post-runs", reverse("public_posts:run-list"))]
    public_post = _first(PublicPost.objects.filter(placements__isnull=False).distinct(), user)
    if public_post is not None:
        pages.append(("public-post-detail", reverse("public_posts:post-detail", args=[public_post.pk])))
    public_post_run = _first(SubsidyRun.objects.all(), user)
    if public_post_run is not None:
        pages.append(("public-post-run", reverse("public_posts:run-detail", args=[public_post_run.pk])))
    from apps.eldercare.models import BlacklistEntry as ElderBlacklistEntry
    from apps.eldercare.models import IncentiveClaim as ElderClaim
    from apps.eldercare.models import Institution as ElderInstitution
    from apps.eldercare.models import StaffMember as ElderStaff

    pages += [("eldercare-institutions", reverse("eldercare:institution-list")),
              ("eldercare-institution-form", reverse("eldercare:institution-create")),
              ("eldercare-staff", reverse("eldercare:staff-list")), ("eldercare-staff-form", reverse("eldercare:staff-create")),
              ("eldercare-claims", reverse("eldercare:claim-list")),
              ("eldercare-blacklist", reverse("eldercare:blacklist-list")),
              ("eldercare-blacklist-form", reverse("eldercare:blacklist-create")),
              ("eldercare-indicators", reverse("eldercare:indicators"))]
    for label, model, url_name in (("eldercare-institution", ElderInstitution, "eldercare:institution-detail"),
                                   ("eldercare-staff-detail", ElderStaff, "eldercare:staff-detail"),
                                   ("eldercare-claim", ElderClaim, "eldercare:claim-detail"),
                                   ("eldercare-blacklist-entry", ElderBlacklistEntry, "eldercare:blacklist-detail")):
        record = _first(model.objects.all(), user)
        if record is not None:
            pages.append((label, reverse(url_name, args=[record.pk])))
    from apps.startup_loans.models import Lender, LoanApplication, SubsidyClaim

    pages += [("startup-loans", reverse("startup_loans:application-list")),
              ("startup-loan-form", reverse("startup_loans:application-create")),
              ("startup-loan-claims", reverse("startup_loans:claim-list")),
              ("startup-lenders", reverse("startup_loans:lender-list")),
              ("startup-lender-form", reverse("startup_loans:lender-create"))]
    startup_lender = _first(Lender.objects.all(), user)
    if startup_lender is not None:
        pages.append(("startup-lender-edit", reverse("startup_loans:lender-update", args=[startup_lender.pk])))
    startup_loan = _first(LoanApplication.objects.filter(status="approved", periods__isnull=False).distinct(), user)
    if startup_loan is not None:
        pages.append(("startup-loan-detail", reverse("startup_loans:application-detail", args=[startup_loan.pk])))
    startup_claim = _first(SubsidyClaim.objects.all(), user)
    if startup_claim is not None:
        pages.append(("startup-loan-claim", reverse("startup_loans:claim-detail", args=[startup_claim.pk])))
    if claim_run is not None:
        pages.append(("childcare-claim-run", reverse("childcare:run-detail", args=[claim_run.pk])))
    notice = _notice(run)
    if notice is not None:  # the public verify page of a notice of the run (its PDF made on first use)
        pages.append(("documents-verify", reverse("documents:verify", args=[notice.code])))
    if user.has_role(*AUDIT_READER_ROLES):
        pages += [
            ("access-log", reverse("access-log")),
            ("history", reverse("history", args=["applicants", "person", person.pk])),
        ]
    if user.has_role(*REVIEW_ROLES):
        pages.append(("notifications-messages", reverse("notifications:message-list")))
    return pages
