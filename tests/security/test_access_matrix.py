"""The access matrix: every URL pattern the resolver knows, requested by the other region.

Patterns are enumerated from `get_resolver()` (pages, the DRF routers with their format suffixes, the admin),
not from a hand list: a new view is either classified here — filled with the ids of region A's records from
tests/security/access_world.py — or named in ALLOWLIST with a reason, else `test_every_pattern_is_covered`
fails. For each pattern, as a caseworker and a supervisor of 吉林市船营区 (region B):

- a pattern with an id of region A (detail, edit, action, export): every method answers 403, 404 or 405 (the
  back office: a caseworker who is not staff is sent to its login page), nothing in the database changes, and
  no answer shows any identifying value of region A;
- a pattern without one (lists, dashboards, blank forms, exports, the admin's changelists and add forms): GET
  shows none of region A's identifying values.

And so the test cannot pass by refusing everybody: a user of region A opens every detail (200) and sees
region A's values in every list that lists rows. The figures are printed with `-s`.
"""

import io
import json
import re
import zipfile
from collections import Counter
from datetime import date

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import login_verified
from tests.security.access_world import MARKER, World, build_world

# --- The patterns --------------------------------------------------------------------------------------------

GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()\\]|\\.|\[[^\]]*\])+\)|<(?:\w+:)?(?P<conv>\w+)>|\([^)]*\)")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        text = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + text.lstrip("^"),
                             namespace + (f"{entry.namespace}:" if entry.namespace else ""))
        elif isinstance(entry, URLPattern):
            route = (prefix + text.lstrip("^")).replace("$", "").replace("^", "")
            yield route, (namespace + entry.name) if entry.name else None


def _key(route: str, name: str | None) -> str:
    """A pattern's name, `name.<format>` for a DRF format-suffix twin, the route when it has no name."""
    if name is None:
        return route
    return f"{name}.<format>" if "(?P<format>" in route or "<drf_format_suffix:format>" in route else name


def enumerate_patterns() -> dict[str, str]:
    """{key: route} for every URL pattern of the project."""
    found: dict[str, str] = {}
    for route, name in _walk(get_resolver().url_patterns):
        found.setdefault(_key(route, name), route)
    return found


PATTERNS = enumerate_patterns()


def params_of(route: str) -> list[str]:
    """The route's parameters; unnamed groups (simple_history's `^([^/]+)/history/([^/]+)/$`) are _0, _1."""
    unnamed = iter(range(100))
    return [m.group("name") or m.group("conv") or f"_{next(unnamed)}" for m in GROUP.finditer(route)]


def fill(route: str, values: dict[str, object]) -> str:
    """The route with its parameters replaced by `values`."""
    names = iter(params_of(route))
    url = "/" + GROUP.sub(lambda match: str(values[next(names)]), route)
    return url.replace("\\.", ".").replace("/?", "/")


# --- What each pattern names ----------------------------------------------------------------------------------

# Patterns with ids: {key: {parameter: world kind, or a fixed value}}; "kind.attr" reads an attribute.
OBJECTS: dict[str, dict[str, str]] = {
    "api-import-detail": {"pk": "import_batch"},
    "applicant-detail": {"pk": "person"},
    "employer-detail": {"pk": "employer"},
    "contribution-detail": {"pk": "contribution"},
    "training-provider-detail": {"pk": "provider"},
    "training-program-detail": {"pk": "program"},
    "training-enrollment-detail": {"pk": "training_enrollment"},
    "training-enrollment-claim-assessment-subsidy": {"pk": "training_enrollment"},
    "training-enrollment-transition": {"pk": "training_enrollment_registered"},
    "training-follow-up-detail": {"pk": "follow_up"},
    "training-follow-up-record": {"pk": "follow_up"},
    "training-claim-detail": {"pk": "training_claim"},
    "training-claim-decide": {"pk": "training_claim"},
    "training-claim-notice": {"pk": "training_claim"},
    "training-claim-publish": {"pk": "training_claim"},
    "training-claim-publicity": {"pk": "training_claim"},
    "childcare-institution-detail": {"pk": "institution"},
    "childcare-enrollment-detail": {"pk": "childcare_enrollment"},
    "childcare-enrollment-leave": {"pk": "childcare_enrollment"},
    "childcare-claim-detail": {"pk": "childcare_claim"},
    "childcare-claim-approve": {"pk": "childcare_claim"},
    "childcare-claim-return-claim": {"pk": "childcare_claim"},
    "childcare-claim-publish": {"pk": "childcare_claim"},
    "childcare-claim-publicity": {"pk": "childcare_claim"},
    "childcare-claim-submit": {"pk": "childcare_claim"},
    "childcare-claim-notice": {"pk": "childcare_claim"},
    "childcare-claim-run-detail": {"pk": "claim_run"},
    "gig-broker-detail": {"pk": "gig_broker"},
    "gig-posting-detail": {"pk": "gig_posting"},
    "gig-posting-matches": {"pk": "gig_posting"},
    "gig-posting-transition": {"pk": "gig_posting"},
    "gig-posting-place": {"pk": "gig_posting"},
    "gig-worker-detail": {"pk": "gig_availability"},
    "gig-worker-matches": {"pk": "gig_availability"},
    "gig-worker-close": {"pk": "gig_availability"},
    "gig-placement-detail": {"pk": "gig_placement"},
    "gig-placement-follow-up": {"pk": "gig_placement"},
    "gig:posting-detail": {"pk": "gig_posting"},
    "gig:posting-place": {"pk": "gig_posting"},
    "gig:posting-action": {"pk": "gig_posting"},
    "gig:follow-up-create": {"pk": "gig_placement"},
    "gig:availability-detail": {"pk": "gig_availability"},
    "gig:availability-close": {"pk": "gig_availability"},
    "gig:broker-detail": {"pk": "gig_broker"},
    "gig:broker-deregister": {"pk": "gig_broker"},
    "cw-case-detail": {"pk": "case"},
    "cw-case-add-sensitive-note": {"pk": "case"},
    "cw-case-categories": {"pk": "case"},
    "cw-case-read-sensitive-notes": {"pk": "case"},
    "cw-case-risk": {"pk": "case"},
    "cw-case-transitions": {"pk": "case"},
    "cw-case-offline-visits": {"pk": "case"},
    "cw-assessment-detail": {"pk": "assessment"},
    "cw-plan-detail": {"pk": "plan_item"},
    "cw-visit-detail": {"pk": "visit"},
    "cw-referral-detail": {"pk": "referral"},
    "cw-referral-respond": {"pk": "referral"},
    "saved-filter-delete": {"pk": "saved_filter"},
    "refund-run-detail": {"pk": "refund_run"},
    "public-post-detail": {"pk": "public_post"},
    "public-post-placements": {"pk": "public_post"},
    "public-post-set-status": {"pk": "public_post"},
    "public-post-placement-detail": {"pk": "public_post_placement"},
    "public-post-placement-exit": {"pk": "public_post_placement"},
    "public-post-placement-renew": {"pk": "public_post_placement"},
    "public-post-run-detail": {"pk": "public_post_run"},
    "public-post-run-lines": {"pk": "public_post_run"},
    "public-post-run-approve": {"pk": "public_post_run"},
    "public-post-run-reject": {"pk": "public_post_run"},
    "public_posts:post-detail": {"pk": "public_post"},
    "public_posts:post-status": {"pk": "public_post"},
    "public_posts:placement-create": {"pk": "public_post"},
    "public_posts:placement-exit": {"pk": "public_post_placement"},
    "public_posts:placement-renew": {"pk": "public_post_placement"},
    "public_posts:run-detail": {"pk": "public_post_run"},
    "public_posts:run-review": {"pk": "public_post_run"},
    "public_posts:run-resume": {"pk": "public_post_run"},
    "public_posts:run-export": {"pk": "public_post_run"},
    "eldercare:institution-detail": {"pk": "eldercare_institution"},
    "eldercare:institution-update": {"pk": "eldercare_institution"},
    "eldercare:staff-detail": {"pk": "eldercare_staff"},
    "eldercare:claim-create": {"pk": "eldercare_staff"},
    "eldercare:blacklist-detail": {"pk": "eldercare_blacklist"},
    "eldercare:blacklist-remove": {"pk": "eldercare_blacklist"},
    "eldercare:blacklist-publish": {"pk": "eldercare_blacklist"},
    "eldercare:claim-detail": {"pk": "eldercare_claim"},
    "eldercare:claim-review": {"pk": "eldercare_claim"},
    "eldercare-institution-detail": {"pk": "eldercare_institution"},
    "eldercare-staff-detail": {"pk": "eldercare_staff"},
    "eldercare-blacklist-detail": {"pk": "eldercare_blacklist"},
    "eldercare-blacklist-remove": {"pk": "eldercare_blacklist"},
    "eldercare-blacklist-publish": {"pk": "eldercare_blacklist"},
    "eldercare-blacklist-publicity": {"pk": "eldercare_blacklist"},
    "eldercare-claim-detail": {"pk": "eldercare_claim"},
    "eldercare-claim-approve": {"pk": "eldercare_claim"},
    "eldercare-claim-reject": {"pk": "eldercare_claim"},
    "refund-run-approve": {"pk": "refund_run"},
    "refund-run-export": {"pk": "refund_run"},
    "refund-run-reject": {"pk": "refund_run"},
    "refund-run-first-review": {"pk": "refund_run"},
    "refund-run-publish": {"pk": "refund_run"},
    "refund-run-publicity": {"pk": "refund_run"},
    "refund-run-reconcile": {"pk": "refund_run"},
    "refund-run-confirm-notified": {"pk": "refund_run"},
    "refund-run-results": {"pk": "refund_run"},
    "refund-run-summary": {"pk": "refund_run"},
    "history": {"app_label": "=applicants", "model_name": "=person", "pk": "person"},
    "applicants:duplicate-resolve": {"pk": "duplicate_candidate"},
    "applicants:detail": {"pk": "person"},
    "applicants:edit": {"pk": "person"},
    "applicants:add": {"pk": "person", "what": "=tag"},
    "employers:detail": {"pk": "employer"},
    "employers:edit": {"pk": "employer"},
    "eligibility:determination-detail": {"pk": "determination"},
    "eligibility:match-resolve": {"pk": "benefit_match"},
    "training:program-detail": {"pk": "program"},
    "training:enrollment-detail": {"pk": "training_enrollment"},
    "training:enrollment-action": {"pk": "training_enrollment_registered"},
    "childcare:institution-detail": {"pk": "institution"},
    "childcare:institution-update": {"pk": "institution"},
    "childcare:staff-create": {"pk": "institution"},
    "childcare:inspection-create": {"pk": "institution"},
    "childcare:enrollment-create": {"pk": "institution"},
    "childcare:claim-compute": {"pk": "institution"},
    "childcare:finding-create": {"pk": "inspection"},
    "childcare:finding-rectify": {"pk": "finding"},
    "childcare:enrollment-detail": {"pk": "childcare_enrollment"},
    "childcare:enrollment-action": {"pk": "childcare_enrollment", "action": "=leave"},
    "childcare:run-detail": {"pk": "claim_run"},
    "childcare:claim-detail": {"pk": "childcare_claim"},
    "childcare:claim-notice": {"pk": "childcare_claim"},
    "childcare:claim-notice-pdf": {"pk": "childcare_claim"},
    "training:claim-notice": {"pk": "training_claim"},
    "training:claim-notice-pdf": {"pk": "training_claim"},
    "childcare:claim-action": {"pk": "childcare_claim", "action": "=approve"},
    "imports:detail": {"pk": "import_batch"},
    "imports:progress": {"pk": "import_batch"},
    "imports:errors": {"pk": "import_batch", "fmt": "=csv"},
    "child_welfare:case-detail": {"pk": "case"},
    "child_welfare:case-edit": {"pk": "case"},
    "child_welfare:case-risk": {"pk": "case"},
    "child_welfare:case-export": {"pk": "case"},
    "child_welfare:case-transition": {"pk": "case", "action": "=verify"},
    "child_welfare:category-add": {"pk": "case"},
    "child_welfare:guardian-add": {"pk": "case"},
    "child_welfare:sensitive": {"pk": "case"},
    "child_welfare:assessment-add": {"pk": "case"},
    "child_welfare:assessment-edit": {"pk": "case", "assessment_id": "assessment"},
    "child_welfare:plan-add": {"pk": "case"},
    "child_welfare:plan-edit": {"pk": "case", "item_id": "plan_item"},
    "child_welfare:visit-add": {"pk": "case"},
    "child_welfare:referral-add": {"pk": "case"},
    "child_welfare:referral-respond": {"pk": "case", "referral_id": "referral"},
    "child_welfare:match-refer": {"pk": "case"},
    "refunds:detail": {"pk": "refund_run"},
    "refunds:progress": {"pk": "refund_run"},
    "refunds:approve": {"pk": "refund_run"},
    "refunds:first-review": {"pk": "refund_run"},
    "refunds:publish": {"pk": "refund_run"},
    "refunds:reject": {"pk": "refund_run"},
    "refunds:export": {"pk": "refund_run"},
    "refunds:result": {"pk": "refund_run", "employer_id": "employer"},
    "refunds:reconcile": {"pk": "refund_run"},
    "refunds:confirm-notified": {"pk": "refund_run"},
    "objections:lodge": {"source": "=refund-run", "record_id": "refund_run", "row_key": "employer"},
    "objections:detail": {"pk": "objection"},
    "objections:assign": {"pk": "objection"},
    "objections:decide": {"pk": "objection"},
    "objections:attach": {"pk": "objection"},
    "objections:attachment": {"pk": "objection", "attachment_id": "attachment"},
    "objection-detail": {"pk": "objection"},
    "objection-assign": {"pk": "objection"},
    "objection-decide": {"pk": "objection"},
    "objection-attachments": {"pk": "objection"},
    # Payments: the run's disbursement file, its lines, and the pages and operations named by the run.
    "payment-batch-detail": {"pk": "payment_batch"},
    "payment-batch-approve": {"pk": "payment_batch"},
    "payment-batch-cancel": {"pk": "payment_batch"},
    "payment-batch-file": {"pk": "payment_batch"},
    "payment-batch-issue": {"pk": "payment_batch"},
    "payment-batch-lines": {"pk": "payment_batch"},
    "payment-line-close": {"pk": "payment_line"},
    "api-payment-batches": {"source": "=refund-run", "source_id": "refund_run"},
    "api-payment-readiness": {"source": "=refund-run", "source_id": "refund_run"},
    "api-payment-reissue": {"source": "=refund-run", "source_id": "refund_run"},
    "api-payment-supplement": {"source": "=refund-run", "source_id": "refund_run"},
    "api-payment-report": {"source": "=refund-run", "source_id": "refund_run"},
    "payments:batch": {"pk": "payment_batch"},
    "payments:batch-file": {"pk": "payment_batch", "fmt": "=csv"},
    "payments:batch-move": {"pk": "payment_batch", "action": "=approve"},
    "payments:line-close": {"pk": "payment_line"},
    "payments:source": {"source": "=refund-run", "source_id": "refund_run"},
    "payments:prepare": {"source": "=refund-run", "source_id": "refund_run"},
    "payments:reissue": {"source": "=refund-run", "source_id": "refund_run"},
    "payments:supplement": {"source": "=refund-run", "source_id": "refund_run"},
    "payments:report": {"source": "=refund-run", "source_id": "refund_run"},
    "refunds:notice": {"pk": "refund_run", "employer_id": "employer"},
    "notification-detail": {"pk": "notification"},
    "notifications:inbox-read": {"pk": "notification"},  # another user's 站内信: a 404 for anyone else
    "refunds:notice-pdf": {"pk": "refund_run", "employer_id": "employer"},
    # Notices (apps.documents): the run's batch pages and API, named by the run.
    "documents:batch-start": {"slug": "=refund-run", "source_id": "refund_run"},
    "documents:batch-status": {"slug": "=refund-run", "source_id": "refund_run"},
    "documents:batch-download": {"slug": "=refund-run", "source_id": "refund_run"},
    "refund-run-notices": {"pk": "refund_run"},
    "refund-run-notices-download": {"pk": "refund_run"},
    # Background exports (apps.core.export_jobs): the run's job of region A's caseworker, page and API.
    "refund-run-exports": {"pk": "refund_run"},
    "export-job": {"pk": "export_job"},
    "export-job-download": {"pk": "export_job"},
    "export-job-api-detail": {"pk": "export_job"},
    "export-job-api-download": {"pk": "export_job"},
    "fraud-case-detail": {"pk": "fraud_case"},
    "fraud-case-transition": {"pk": "fraud_case"},
    "fraud:case-detail": {"pk": "fraud_case"},
    "fraud:case-action": {"pk": "fraud_case", "action": "=uphold"},
    "training-willingness-detail": {"pk": "training_willingness"},
    "training-shortage-detail": {"pk": "shortage_report"},
    "integration-delivery-detail": {"pk": "outbound_message"},
    "integrations:delivery-resend": {"pk": "outbound_message"},
    "startup-loan-detail": {"pk": "startup_loan"},
    "startup-loan-review": {"pk": "startup_loan"},
    "startup-loan-claims": {"pk": "startup_loan"},
    "startup-loan-claim-detail": {"pk": "startup_loan_claim"},
    "startup-loan-claim-review": {"pk": "startup_loan_claim"},
    "startup_loans:application-detail": {"pk": "startup_loan"},
    "startup_loans:application-review": {"pk": "startup_loan", "action": "=reject"},
    "startup_loans:claim-create": {"pk": "startup_loan"},
    "startup_loans:claim-detail": {"pk": "startup_loan_claim"},
    "startup_loans:claim-review": {"pk": "startup_loan_claim", "action": "=approve"},
    "startup_loans:application-lender": {"pk": "startup_loan"},
    "startup_loans:lender-update": {"pk": "startup_lender"},
}

# Lists and pages without an id that show no rows of a region (a form, totals, links): region A's user is not
# expected to see region A's values there. Every other list must show them to region A.
NO_ROWS = {
    "saved-filter-save",  # POST only: saves the signed-in user's own filter
    "api-root", "api-me", "api-eligibility-list", "api-policy-parameters", "api-import-upload",
    "applicants:create", "employers:create", "eligibility:calculator", "eligibility:determination-create",
    "training:program-create", "training:enrollment-register", "training:enrollment-import",
    "training:catalogue", "training:indicators", "training:demand",
    "childcare:institution-create", "childcare:attendance-import", "childcare:run-start",
    "startup_loans:lender-create",
    "child_welfare:case-report", "child_welfare:offline", "child_welfare:statistics", "child_welfare:statistics-export",
    "imports:upload", "training-occupation-list", "childcare-attendance-import-file",
    "childcare-claim-compute", "admin:index", "admin:password_change", "admin:app_list",
    # Rows without a name, a number or free text of the record (ids, years, amounts, counts): a leak there
    # shows as a row count on the API and in the admin, not as text.
    "childcare:dashboard", "refunds:list", "childcare-claim-run-list",
    "eldercare:institution-create",  # a blank form: the user's own regions
    "eldercare:indicators",  # region names and counts
    "public_posts:run-list", "public-post-run-list", "public_posts:run-start",  # months, regions, amounts  # the last: POST only (start a run)
    "childcare:claim-export", "childcare-claim-export",  # the current year's claims: the world's are 2025's
    # The bulk bars (apps.core.bulk): POST only, the ids in the body — test_a_bulk_bar_reaches_no_record_of_region_a
    "eligibility:match-bulk", "childcare:claim-bulk", "training:enrollment-bulk", "child_welfare:case-bulk",
    "notifications:inbox-unread", "notifications:inbox-read-all",  # a count of my own 站内信; POST only
    "admin:publicity_publication_changelist",  # ids, dates, counts; the token only on the change page
    "gig:availability-create", "gig:broker-create",  # blank forms: trades and the user's own regions
    "fraud:case-create",  # a blank form
    "startup_loans:application-create",  # a blank form
    "fraud:statistics",  # counts and totals per status and region name
    "admin:fraud_finding_changelist", "admin:fraud_appeal_changelist",  # the case's number, amounts, dates
}
# Lists where the other region legitimately has rows of its own (its users, their sign-in reads).
OWN_ROWS = {"admin:accounts_user_changelist", "admin:core_accesslog_changelist"}
# Lists that need a query to list anything.
QUERIES = {"admin:autocomplete": "?app_label=training&model_name=enrollment&field_name=person&term=",
           # The global search box lists what it finds; the query is echoed, so it must not be the marker itself.
           "search": f"?q={MARKER[:-1]}"}
# Pages nobody opens in this role (append-only tables, the security administrator's tokens): the other
# region's refusal is still checked, region A's own is expected.
REFUSED_TO_ALL = {
    "admin:accounts_apitoken_change": "API tokens: the 安全管理员 only (tests/accounts)",
    "admin:accounts_apitoken_delete": "API tokens: the 安全管理员 only (tests/accounts)",
    "admin:accounts_apitoken_history": "API tokens: the 安全管理员 only (tests/accounts)",
    "admin:accounts_apitoken_changelist": "API tokens: the 安全管理员 only (tests/accounts)",
    "admin:core_accesslog_delete": "the access log is append-only",
    "admin:refunds_refundrun_delete": "refund runs are read-only in the back office",
    "admin:fraud_fraudcase_delete": "a fraud case is a legal record: closed through its lifecycle, never deleted",
    "admin:public_posts_placement_delete": "placements are written by the service only (docs/public_posts.md)",
    "admin:public_posts_subsidyrun_delete": "subsidy runs are read-only in the back office (docs/public_posts.md)",
    "admin:eldercare_institution_delete": "registry rows are corrected, never deleted (docs/eldercare.md)",
    "admin:eldercare_staffmember_delete": "registry rows are corrected, never deleted (docs/eldercare.md)",
    "admin:eldercare_blacklistentry_delete": "黑名单 entries are written by the service only (docs/eldercare.md)",
    "admin:eldercare_incentiveclaim_delete": "claims are read-only in the back office (docs/eldercare.md)",
    "admin:refunds_refundresult_delete": "refund results are read-only in the back office",
    "admin:startup_loans_loanapplication_delete": "applications are kept: returned, never deleted (docs/startup_loans.md)",
    "admin:startup_loans_subsidyclaim_delete": "subsidy claims are read-only in the back office (docs/startup_loans.md)",
    "admin:startup_loans_repaymentperiod_delete": "the schedule is written by the import only (docs/startup_loans.md)",
    "admin:startup_loans_lender_delete": "lenders are kept: loans and paid subsidy files name them (docs/startup_loans.md)",
    "admin:refunds_refundchunk_delete": "refund chunks are read-only in the back office",
    "admin:payments_paymentbatch_delete": "disbursement files are read-only in the back office (docs/payments.md)",
    "admin:payments_paymentline_delete": "disbursement lines are read-only in the back office (docs/payments.md)",
    "admin:notifications_message_delete": "the outbox is read-only in the back office",
    "admin:integrations_outboundmessage_delete": "the outbound outbox is read-only in the back office",
    "admin:documents_notice_delete": "notices are read-only in the back office",
    "admin:documents_noticebatch_delete": "notice batches are read-only in the back office",
    "admin:publicity_publication_delete": "publications are read-only in the back office (docs/publicity.md)",
    "admin:objections_objection_delete": "objections are read-only in the back office (docs/objections.md)",
    "admin:eligibility_determination_delete": "stored decisions are read-only in the back office (docs/births.md)",
    "admin:eligibility_benefitmatch_delete": "主动发现 leads are read-only in the back office (docs/births.md)",
    "admin:gig_placement_add": "a placement is made against the posting's headcount: the page or the API (docs/gig.md)",
    "admin:gig_availability_add": "a registration needs its trades: the page or the API (docs/gig.md)",
    "admin:fraud_finding_delete": "findings are read-only in the back office (docs/fraud.md)",
    "admin:fraud_appeal_delete": "appeals are read-only in the back office (docs/fraud.md)",
}

ALLOWLIST: dict[str, str] = {
    "login": "the sign-in page: public, no records",
    "logout": "signs the user out, no records",
    "accounts:otp_verify": "the second sign-in step of the signed-in user only",
    "accounts:otp_enrol": "enrols the signed-in user's own authenticator",
    "healthz": "liveness probe, no records",
    "api-schema": "the OpenAPI schema: describes operations, holds no records",
    "api-docs": "Swagger UI for the schema, no records",
    "api-redoc": "ReDoc for the schema, no records",
    "api-eligibility-calculate": "computes from the facts in the request body; no record of any region",
    "training-occupation-detail": "occupations are the national catalogue, the same in every region",
    "admin:login": "the back office's sign-in page",
    "admin:logout": "signs the user out",
    "admin:password_change_done": "a confirmation page, no records",
    "admin:jsi18n": "JavaScript translations",
    "admin/(?P<url>.*)": "the admin's catch-all: a redirect to its login page or a 404",
    "admin:view_on_site": "a redirect to get_absolute_url of a content type; the page it leads to is tested",
    "imports:template": "the blank XLSX template of an import kind: headers and the shipped sample row, no records",
    "my-tokens": "the signed-in account's own API tokens (tests/accounts/test_integration_landing.py)",
    "service-worker": "the offline visit page's service worker: a static script, public, no records "
                      "(tests/child_welfare/test_offline_page.py)",
    "documents:verify": "the public check of a notice (no sign-in): whoever holds its 16-character code (31^16) sees "
                        "its 文号, unit and amount, by design (tests/refunds/test_notices.py)",
    "documents:verify-form": "the public check's form: redirects to documents:verify",
    # 公示名单: public by design (no sign-in), reached only by a run's unguessable token, no personal data —
    # test_the_public_list_shows_no_personal_data below proves it on the world's published run.
    "publicity:list": "the public list (公示名单) of a published run: units, masked codes, amounts; no person",
    "publicity:download": "the public list as CSV/XLSX: the same public columns",
}

# Admin models that belong to no region: reference data and sign-in records, reached by administrators only.
ADMIN_UNREGIONED = {
    "core.region": "the GB/T 2260 region table: public reference data",
    "core.calendarday": "the national holiday and 调休 calendar: public reference data",
    "training.occupation": "the national occupation catalogue",
    "eligibility.policyparameter": "published policy values with their source documents",
    "eligibility.verificationrun": "a decisions_verify run: counts, no personal data",
    "auth.group": "permission groups",
    "notifications.messagetemplate": "the province's notification templates: text, no records",
    "otp_totp.totpdevice": "second-factor devices: superusers only",
    "axes.accessattempt": "sign-in lockout records: superusers only",
    "axes.accesslog": "sign-in records: superusers only",
    "axes.accessfailurelog": "failed sign-ins: superusers only",
}
ADMIN_KIND = {  # admin model → world kind, where the world's kind name differs from the model name
    "accounts.user": "user", "accounts.apitoken": "api_token", "core.accesslog": "access_log",
    "core.savedfilter": "saved_filter",
    "public_posts.publicpost": "public_post", "public_posts.placement": "public_post_placement",
    "public_posts.subsidyrun": "public_post_run",
    "eldercare.institution": "eldercare_institution", "eldercare.staffmember": "eldercare_staff",
    "eldercare.blacklistentry": "eldercare_blacklist", "eldercare.incentiveclaim": "eldercare_claim",
    "startup_loans.loanapplication": "startup_loan", "startup_loans.subsidyclaim": "startup_loan_claim",
    "startup_loans.repaymentperiod": "startup_loan_period", "startup_loans.lender": "startup_lender",
    "applicants.person": "person", "applicants.statustag": "status_tag",
    "applicants.insuranceenrollment": "insurance_enrollment", "applicants.duplicatecandidate": "duplicate_candidate",
    "employers.employer": "employer", "employers.contribution": "contribution",
    "training.provider": "provider", "training.program": "program", "training.shortagereport": "shortage_report",
    "training.trainingwillingness": "training_willingness", "training.enrollment": "training_enrollment",
    "training.trainingsubsidyclaim": "training_claim", "training.followup": "follow_up",
    "training.worklistitem": "worklist_item", "childcare.institution": "institution",
    "childcare.staffmember": "staff_member", "childcare.inspection": "inspection", "childcare.finding": "finding",
    "childcare.enrollment": "childcare_enrollment", "childcare.attendance": "attendance",
    "childcare.operatingsubsidyclaim": "childcare_claim", "childcare.claimrun": "claim_run",
    "child_welfare.case": "case", "child_welfare.assessment": "assessment", "child_welfare.planitem": "plan_item",
    "child_welfare.visit": "visit", "child_welfare.referral": "referral", "child_welfare.escalation": "escalation",
    "child_welfare.childrendirector": "children_director", "child_welfare.charityresource": "charity_resource",
    "refunds.refundrun": "refund_run", "refunds.refundresult": "refund_result", "refunds.refundchunk": "refund_chunk",
    "imports.importbatch": "import_batch", "eligibility.determination": "determination",
    "eligibility.benefitmatch": "benefit_match", "payments.paymentbatch": "payment_batch",
    "payments.paymentline": "payment_line", "notifications.message": "notification", "integrations.outboundmessage": "outbound_message", "publicity.publication": "publication", "objections.objection": "objection",
    "gig.broker": "gig_broker", "gig.posting": "gig_posting", "gig.availability": "gig_availability",
    "gig.placement": "gig_placement",
    "fraud.fraudcase": "fraud_case", "fraud.finding": "fraud_finding", "fraud.appeal": "fraud_appeal",
    "documents.notice": "notice", "documents.noticebatch": "notice_batch", "documents.noticeseries": "notice_series",
}
ADMIN_OBJECT = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/.*(object_id|\(\[)")
ADMIN_LIST = re.compile(r"^admin:(?P<app>\w+?)_(?P<model>[a-z]+)_(changelist|add)$")


def admin_model(route: str) -> str | None:
    match = re.match(r"^admin/(?P<app>\w+)/(?P<model>\w+)/", route)
    return f"{match['app']}.{match['model']}" if match else None


def classify(key: str, route: str) -> tuple[str, object]:
    """('object', {param: value spec}) | ('list', None) | ('allow', reason) | ('unknown', None)."""
    name = key.removesuffix(".<format>")
    if name in ALLOWLIST:
        return "allow", ALLOWLIST[name]
    params = [p for p in params_of(route) if p != "format"]
    if route.startswith("admin/") and params and admin_model(route):
        model = admin_model(route)
        if model in ADMIN_UNREGIONED:
            return "allow", ADMIN_UNREGIONED[model]
        if model in ADMIN_KIND and set(params) <= {"object_id", "id", "_0", "_1"}:
            kind = ADMIN_KIND[model]
            return "object", {"object_id": kind, "id": kind, "_0": kind, "_1": f"history:{kind}"}
        return "unknown", None
    if route.startswith("admin/") and admin_model(route) in ADMIN_UNREGIONED:
        return "allow", ADMIN_UNREGIONED[admin_model(route)]
    if not params:
        return "list", None
    if name in OBJECTS and set(OBJECTS[name]) == set(params):
        return "object", OBJECTS[name]
    if route.startswith("admin/") and key == "admin:app_list":
        return "list_app", None
    return "unknown", None


CLASSES = {key: classify(key, route) for key, route in PATTERNS.items()}


# --- The world and the users -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module, rolled back at its end; each test runs in a savepoint inside it."""
    from apps.core.models import Region
    from apps.core.regions import load_regions
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            if not Region.objects.exists():
                load_regions(Region)
            load_policy_parameters()
            built = build_world()
            sign_in(built)
            built.baseline = state(built)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


UNTRACKED = {"core.accesslog", "core.formsubmission", "sessions.session", "otp_totp.totpdevice",
             "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "accounts.user"}


def state(world: World) -> dict:
    """Row counts of every table (history tables too) and the stored row of every record of the world — in
    plain SQL, one statement for the counts: this runs after every pattern."""
    models = [model for model in apps.get_models()
              if model._meta.label_lower not in UNTRACKED and model._meta.managed and not model._meta.proxy]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models))
        counts = dict(zip((m._meta.label_lower for m in models), cursor.fetchone(), strict=True))
        rows = {}
        for kind, record in world.records.items():
            if kind in ("user", "access_log", "api_token"):  # sign-ins and reads touch these by design
                continue
            meta = type(record)._meta
            cursor.execute(f"SELECT * FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s", [record.pk])
            rows[kind] = cursor.fetchone()
    return {"counts": counts, "rows": rows}


def changed_since_baseline(world: World) -> list[str]:
    """The tables whose row count, and the world's records whose stored row, differ from the baseline."""
    after = state(world)
    if after == world.baseline:
        return []
    changed = {k for k in after["counts"] if after["counts"][k] != world.baseline["counts"][k]}
    changed |= {k for k in after["rows"] if after["rows"][k] != world.baseline["rows"][k]}
    return sorted(changed)


def value(world: World, spec: str):
    if spec.startswith("="):
        return spec[1:]
    if spec.startswith("history:"):  # the record's latest historical version
        return world.records[spec.removeprefix("history:")].history.first().history_id
    return world.records[spec].pk


def url_for(world: World, key: str) -> str:
    route = PATTERNS[key]
    kind, spec = CLASSES[key]
    values: dict[str, object] = {"format": "json"}
    if kind == "object":
        values.update({param: value(world, s) for param, s in spec.items() if param in params_of(route)})
    if kind == "list_app":
        values["app_label"] = "applicants"
    return fill(route, values) + QUERIES.get(key, "")


def text_of(response) -> str:
    """What a person would read in the answer: HTML or JSON as text, a CSV, the cells of an XLSX."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                           if name.endswith(".xml"))
    text = raw.decode("utf-8", "replace")
    if "json" in response.get("Content-Type", ""):
        try:
            text += json.dumps(json.loads(raw), ensure_ascii=False)
        except ValueError:
            pass
    return text


# A search box's hint ("身份证号 / 2201**********123X / 后四位") is the page's own text, not a record's: a world
# person whose masked number happens to be the example was the flaky applicants:list and search finding.
PLACEHOLDER = re.compile(r'\splaceholder="[^"]*"')


def leaked(world: World, response) -> list[str]:
    text = PLACEHOLDER.sub("", text_of(response))
    return sorted(secret for secret in world.secrets | {MARKER} if secret in text)


FIGURES: Counter = Counter()
REFUSED = {403, 404, 405}


def client_of(world: World, who: str) -> Client:
    """The user's client, signed in once for the module (its session row lives outside the tests' savepoints)."""
    return world.clients[who]


def sign_in(world: World) -> None:
    world.clients = {}
    for who, user in world.users.items():
        client = Client()
        client.raise_request_exception = False  # a 500 is an answer the user would get: counted, not raised
        world.clients[who] = login_verified(client, user)


OBJECT_KEYS = sorted(k for k, (kind, _) in CLASSES.items() if kind == "object")
LIST_KEYS = sorted(k for k, (kind, _) in CLASSES.items() if kind in ("list", "list_app"))
UNKNOWN_KEYS = sorted(k for k, (kind, _) in CLASSES.items() if kind == "unknown")
METHODS = ("get", "post", "patch", "delete")  # PUT: the same update path as PATCH


def test_every_pattern_is_covered():
    """A new URL pattern is either filled here (OBJECTS, the admin's models) or allowlisted with a reason."""
    assert not UNKNOWN_KEYS, ("URL patterns the access matrix does not know — add them to OBJECTS or "
                              f"ALLOWLIST in {__file__}:\n" + "\n".join(f"{k}  ({PATTERNS[k]})" for k in UNKNOWN_KEYS))
    stale = [k for k in [*OBJECTS, *ALLOWLIST, *NO_ROWS, *OWN_ROWS, *QUERIES, *REFUSED_TO_ALL] if k not in PATTERNS and f"{k}.<format>" not in PATTERNS]
    assert not stale, f"entries for patterns that no longer exist: {stale}"
    allowed = sum(1 for kind, _ in CLASSES.values() if kind == "allow")
    print(f"\naccess matrix: {len(PATTERNS)} patterns, {len(OBJECT_KEYS)} with an id, {len(LIST_KEYS)} without, "
          f"{allowed} allowlisted")


OTHER = {"page": ("b_caseworker", "b_supervisor"), "admin": ("b_admin",)}  # b_supervisor: no model permissions
OWN = {"page": ("a_caseworker", "a_supervisor"), "admin": ("a_admin",)}


def refused(url: str, response) -> bool:
    """403/404/405 — or the back office's own answers, which are the same for an unknown id: a user who may
    not use it is sent to its login page; a missing object (an id out of scope) is a redirect to its index
    with "does not exist"; `<id>/` alone always redirects to `<id>/change/`."""
    if response.status_code in REFUSED:
        return True
    if response.status_code != 302 or not url.startswith("/admin/"):
        return False
    location = response["Location"]
    return location.startswith("/admin/login/") or location == "/admin/" or location == f"{url}change/"


def rows(response) -> int | None:
    """How many records a list answered with, when it says: an API page's results, an admin changelist."""
    if response.status_code != 200:
        return None
    if "json" in response.get("Content-Type", ""):
        body = response.json()
        results = body.get("results") if isinstance(body, dict) else body
        return len(results) if isinstance(results, list) else None
    changelist = (response.context or {}).get("cl") if response.context is not None else None
    return changelist.result_count if changelist is not None else None


@pytest.mark.django_db
@pytest.mark.parametrize("key", OBJECT_KEYS)
def test_the_other_region_cannot_open_or_change_a_record(world, key):
    url = url_for(world, key)
    face = "admin" if url.startswith("/admin/") else "page"
    methods = METHODS if url.startswith("/api/") else ("get", "post")
    problems = []
    for who in OTHER[face]:
        client = client_of(world, who)
        for method in methods:
            extra = {} if method in ("get", "post") else {"content_type": "application/json"}
            response = getattr(client, method)(url, {} if method in ("get", "post") else "", **extra)
            FIGURES["requests"] += 1
            if not refused(url, response):
                problems.append(f"{who} {method.upper()} {url} → {response.status_code}")
            if leaks := leaked(world, response):
                problems.append(f"{who} {method.upper()} {url} shows {leaks}")
    if changed := changed_since_baseline(world):
        problems.append(f"the other region's requests changed {changed}")
    # Region A opens it (so a refusal above is about the region, not a page that refuses everybody).
    if not problems:
        statuses = []
        for who in OWN[face]:
            response = client_of(world, who).get(url)
            FIGURES["requests"] += 1
            statuses.append(response.status_code)
            if response.status_code == 200 or (response.status_code == 302
                                               and response["Location"] == f"{url}change/"):
                break
        else:
            if key in REFUSED_TO_ALL and statuses[-1] == 403:
                FIGURES["refused_to_all"] += 1
            elif statuses[-1] == 405:
                FIGURES["post_only"] += 1  # an action: region A's POST is its own app's test
            else:
                problems.append(f"region A's own users get {statuses} at {url}: the refusals above prove nothing")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("key", LIST_KEYS)
def test_the_other_regions_lists_show_none_of_its_rows(world, key):
    url = url_for(world, key)
    face = "admin" if url.startswith("/admin/") else "page"
    lists_rows = key not in NO_ROWS and not key.endswith("_add") and key not in REFUSED_TO_ALL
    problems = []
    for who in OTHER[face]:
        response = client_of(world, who).get(url)
        FIGURES["requests"] += 1
        if response.status_code >= 500:
            problems.append(f"{who} GET {url} → {response.status_code}")
        if leaks := leaked(world, response):
            problems.append(f"{who} GET {url} ({response.status_code}) shows {leaks}")
        if lists_rows and key not in OWN_ROWS and (count := rows(response)):  # the world's records are all region A's
            problems.append(f"{who} GET {url} lists {count} rows of region A")
    if not problems and lists_rows:
        seen = []
        for who in OWN[face]:
            response = client_of(world, who).get(url)
            FIGURES["requests"] += 1
            count = rows(response)
            seen.append((response.status_code, count))
            if response.status_code == 200 and (count if count is not None else leaked(world, response)):
                break
        else:
            problems.append(f"region A's own users see none of region A's rows at {url} ({seen}): "
                            "the absence above proves nothing (or add it to NO_ROWS)")
    assert not problems, "\n".join(problems)


# Routes with two ids: the other region's *own* parent with region A's child record (`/cases/<theirs>/plan/<A's>/`).
MIXED = {
    "child_welfare:assessment-edit": ("case", {"assessment_id": "assessment"}),
    "child_welfare:plan-edit": ("case", {"item_id": "plan_item"}),
    "child_welfare:referral-respond": ("case", {"referral_id": "referral"}),
    "refunds:result": ("refund_run", {"employer_id": "employer"}),
    "refunds:notice": ("refund_run", {"employer_id": "employer"}),
    "refunds:notice-pdf": ("refund_run", {"employer_id": "employer"}),
}


def their_own(world: World, kind: str):
    """A parent record of region B, made by region B's users (inside the test's savepoint)."""
    from apps.child_welfare.services import case_report
    from apps.core.demo import make_id_number
    from apps.refunds.services import run_start

    if kind == "case":
        return case_report(user=world.users["b_caseworker"], child_name="船营童", region_code="220204",
                           child_id_number=make_id_number("220204", date(2016, 5, 6), 881, False),
                           referral_source="school")
    return run_start(user=world.users["b_supervisor"], year=2026, region_code="220204")


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(MIXED))
def test_a_record_of_region_a_is_not_reached_through_the_other_regions_own_parent(world, key):
    parent_kind, children = MIXED[key]
    assert key in OBJECT_KEYS and set(children) <= set(params_of(PATTERNS[key]))
    parent = their_own(world, parent_kind)
    before = state(world)
    url = fill(PATTERNS[key], {"pk": parent.pk, **{p: value(world, s) for p, s in children.items()}})
    problems = []
    for method in ("get", "post"):
        response = getattr(client_of(world, "b_supervisor" if parent_kind == "refund_run" else "b_caseworker"),
                           method)(url, {})
        FIGURES["requests"] += 1
        if response.status_code not in REFUSED:
            problems.append(f"{method.upper()} {url} → {response.status_code}")
        if leaks := leaked(world, response):
            problems.append(f"{method.upper()} {url} shows {leaks}")
    assert state(world) == before, "the request changed region A's records"
    assert not problems, "\n".join(problems)


# The bulk bars: region A's record id in the body, with a choice region B's users have (a worker of their own).
BULK = {
    "eligibility:match-bulk": ("benefit_match", "handled"),
    "childcare:claim-bulk": ("childcare_claim", "approve"),
    "training:enrollment-bulk": ("training_enrollment_registered", "enroll"),
    "child_welfare:case-bulk": ("case", "worker:b_caseworker"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(BULK))
def test_a_bulk_bar_reaches_no_record_of_region_a(world, key):
    from apps.core.bulk import NOT_FOUND_MESSAGE
    from apps.core.idempotency import new_token

    assert key in NO_ROWS
    kind, choice = BULK[key]
    if choice.startswith("worker:"):
        choice = str(world.users[choice.removeprefix("worker:")].pk)
    record = world.records[kind]
    problems = []
    for who in OTHER["page"]:
        client = client_of(world, who)
        response = client.post(fill(PATTERNS[key], {}), {"ids": [str(record.pk), "x"], "choice": choice,
                                                         "form_token": new_token()})
        FIGURES["requests"] += 1
        answers = [response]
        if response.status_code == 302:
            answers.append(client.get(response["Location"]))
            if NOT_FOUND_MESSAGE not in text_of(answers[-1]) and "请选择批量操作的处理结果" not in text_of(answers[-1]):
                problems.append(f"{who} POST {key}: no report of the record as not found")
        elif response.status_code not in REFUSED:
            problems.append(f"{who} POST {key} → {response.status_code}")
        for answer in answers:
            if leaks := leaked(world, answer):
                problems.append(f"{who} POST {key} shows {leaks}")
    if changed := changed_since_baseline(world):
        problems.append(f"the other region's bulk posts changed {changed}")
    assert not problems, "\n".join(problems)


def test_figures(capsys):
    with capsys.disabled():
        print(f"\naccess matrix figures: {dict(FIGURES)}")


@pytest.mark.django_db
def test_the_public_list_shows_no_personal_data(world):
    """The public pages of the world's published run, read without signing in: the units' names are there
    (the list works), and no person's name, ID number or phone, no bank account, bank or full USCC."""
    from apps.applicants.models import Person
    from apps.employers.models import Employer
    from apps.refunds.selectors import publicity_rows

    publication = world.records["publication"]
    run = world.records["refund_run"]
    personal = set()
    for name, id_number, phone in Person.objects.values_list("name", "id_number", "phone"):
        personal.update(v for v in (name, id_number, phone) if v)
    for uscc, account, bank in Employer.objects.filter(
            pk__in=run.results.values("employer_id")).values_list("uscc", "bank_account", "bank_name"):
        personal.update(v for v in (uscc, account, bank) if v)
    client = Client()
    names = [row[0] for row in publicity_rows(run)]
    assert names
    for path in ("", "download.csv", "download.xlsx"):
        response = client.get(f"/public/publicity/{publication.token}/{path}")
        assert response.status_code == 200, path
        text = text_of(response)
        assert all(name in text for name in names), path
        assert sorted(v for v in personal if v in text) == [], path
