"""Every create form of the UI posts once (issue 13, hole 2; apps.core.idempotency): the page carries a one-time
token; the same form posted twice (a double click, a browser resend) creates one record, and the second post lands
on the first post's result page with the repeat message.

One row per create form: how to build what it needs, the page that shows the form, where the form posts, what it
posts and what it creates. The token is read from the form on the page that posts to that address, as a browser
would send it."""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.applicants.models import HouseholdMember, InsuranceEnrollment, Person, StatusTag
from apps.child_welfare.models import Assessment, CaseCategory, CaseGuardian, PlanItem, SensitiveNote
from apps.childcare.models import (
    ClaimRun,
    Finding,
    Inspection,
    Institution,
    OperatingSubsidyClaim,
    StaffMember,
)
from apps.childcare.models import Enrollment as ChildcareEnrollment
from apps.core.demo import make_id_number, make_uscc
from apps.core.idempotency import REPEAT_MESSAGE
from apps.core.models import Region
from apps.eligibility.models import Determination
from apps.employers.models import Employer
from apps.gig.models import Availability as GigAvailability
from apps.gig.models import Broker as GigBroker
from apps.gig.models import FollowUp as GigFollowUp
from apps.gig.models import Placement as GigPlacement
from apps.gig.models import Posting as GigPosting
from apps.imports.models import ImportBatch
from apps.refunds.models import RefundRun
from apps.training.models import (
    Enrollment,
    Program,
    ShortageReport,
    TrainingSubsidyClaim,
    TrainingWillingness,
)
from tests.child_welfare.conftest import report
from tests.childcare.factories import InstitutionFactory
from tests.factories import EmployerFactory, PersonFactory
from tests.imports.helpers import EMPLOYER_HEADER, employer_row
from tests.training.conftest import make_enrollment, make_program, make_provider, occupations, walk_to  # noqa: F401

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Form:
    name: str
    # (caseworker, supervisor, occupations) -> (page url, post url, data, the queryset of what it creates)
    build: Callable


def _person(cw, sup, occ):
    data = {"name": "吴敏", "id_number": make_id_number("220102", date(1961, 4, 2), 51, True), "region": "220102"}
    url = reverse("applicants:create")
    return url, url, data, Person.objects.filter(name="吴敏")


def _related(what, data, model):
    def build(cw, sup, occ):
        person = PersonFactory(region_id="220102")
        return (reverse("applicants:detail", args=[person.pk]), reverse("applicants:add", args=[person.pk, what]),
                data, model.objects.all())
    return build


def _employer(cw, sup, occ):
    url = reverse("employers:create")
    data = {"uscc": make_uscc("220102", 4711), "name": "双击有限公司", "entity_type": "enterprise",
            "industry": "industry", "region": "220102"}
    return url, url, data, Employer.objects.filter(name="双击有限公司")


def _fraud_case(cw, sup, occ):
    from apps.fraud.models import FraudCase
    from tests.factories import PersonFactory

    person = PersonFactory(region_id="220102", name="冒用人")
    url = reverse("fraud:case-create")
    data = {"id_number": person.id_number, "kind": "work_injury_medical", "reported_on": "2026-11-20",
            "hospital": "双击医院", "amount_billed": "100.00"}
    return url, url, data, FraudCase.objects.filter(hospital="双击医院")


def _program(cw, sup, occ):
    url = reverse("training:program-create")
    data = {"code": "SJ-01", "name": "养老护理员班", "provider": make_provider().pk, "occupation": occ["ELD-01"].pk,
            "target_level": "junior", "funding_channel": "subsidised", "capacity": 30, "start_date": "2026-03-01",
            "end_date": "2026-04-01", "target_groups": ["unemployed"], "subsidy_key": "elderly_care"}
    return url, url, data, Program.objects.filter(code="SJ-01")


def _training_enrollment(cw, sup, occ):
    program = make_program(occ)
    url = reverse("training:enrollment-register")
    data = {"id_number": make_id_number("220102", date(1990, 5, 6), 77, False), "name": "赵学员",
            "program": program.pk, "target_group": "migrant_worker"}
    return url, url, data, Enrollment.objects.filter(program=program)


def _shortage(cw, sup, occ):
    employer = EmployerFactory(region_id="220102")
    url = reverse("training:demand")
    data = {"kind": "shortage", "s-employer": employer.pk, "s-occupation": occ["ELD-01"].pk, "s-count": 5,
            "s-wage_min": "3000", "s-wage_max": "4000", "s-reported_on": "2026-01-05"}
    return url, url, data, ShortageReport.objects.all()


def _willingness(cw, sup, occ):
    url = reverse("training:demand")
    data = {"kind": "willingness", "w-id_number": make_id_number("220102", date(1988, 1, 2), 31, True),
            "w-name": "钱意愿", "w-occupation": occ["ELD-01"].pk, "w-target_group": "unemployed"}
    return url, url, data, TrainingWillingness.objects.all()


def _assessment_claim(cw, sup, occ):
    enrollment = walk_to(make_enrollment(make_program(occ), cw), "assessed", sup, cw)
    url = reverse("training:enrollment-action", args=[enrollment.pk])
    data = {"action": "claim_assessment", "certificate": enrollment.certificates.get().pk}
    return (reverse("training:enrollment-detail", args=[enrollment.pk]), url, data,
            TrainingSubsidyClaim.objects.filter(enrollment=enrollment))


def _institution(cw, sup, occ):
    url = reverse("childcare:institution-create")
    data = {"name": "双击托育园", "uscc": make_uscc("220102", 4243, "52"), "category": "private_inclusive",
            "region": "220102", "inclusive_certificate_number": "吉普惠托〔2025〕9号",
            "inclusive_certified_from": "2025-01-01", "places_infant": 5, "places_toddler": 10,
            "places_preschool": 10, "status": "operating"}
    return url, url, data, Institution.objects.filter(name="双击托育园")


def _at_institution(url_name, data, queryset):
    def build(cw, sup, occ):
        institution = InstitutionFactory(region_id="220102")
        url = reverse(url_name, args=[institution.pk])
        return url, url, data, queryset(institution)
    return build


def _finding(cw, sup, occ):
    institution = InstitutionFactory(region_id="220102")
    inspection = Inspection.objects.create(institution=institution, kind="fire", visited_on=date(2025, 6, 1),
                                           inspector="区消防大队")
    return (reverse("childcare:institution-detail", args=[institution.pk]),
            reverse("childcare:finding-create", args=[inspection.pk]),
            {"severity": "serious", "description": "灭火器过期", "rectification_deadline": "2025-06-30"},
            Finding.objects.filter(inspection=inspection))


def _claim_compute(cw, sup, occ):
    institution = InstitutionFactory(region_id="220102")
    return (reverse("childcare:institution-detail", args=[institution.pk]),
            reverse("childcare:claim-compute", args=[institution.pk]), {"year": 2025},
            OperatingSubsidyClaim.objects.filter(institution=institution))


def _claim_run(cw, sup, occ):
    return reverse("childcare:claim-list"), reverse("childcare:run-start"), {"year": 2025}, ClaimRun.objects.all()


def _on_case(url_name, data, model):
    def build(cw, sup, occ):
        case = report(cw)
        url = reverse(url_name, args=[case.pk])
        return url, url, data, model.objects.filter(case=case)
    return build


ASSESSMENT = {"assessed_on": date.today().isoformat(), "summary": "需关注",
              **{f"{d}_severity": "medium" for d in ("basic_living", "medical", "education", "mental_health",
                                                      "safety", "guardianship")}}


def _refund_run(cw, sup, occ):
    url = reverse("refunds:list")
    return url, url, {"year": 2025, "region": "220102", "dry_run": "on"}, RefundRun.objects.all()


def _calculator_save(cw, sup, occ):
    url = reverse("eligibility:calculator") + "?calculator=stable-job-refund"
    data = {"calculator": "stable-job-refund", "facts-facts_year": "2025", "facts-entity_type": "enterprise",
            "facts-size_class": "large", "facts-months_paid_in_full": "12", "facts-headcount_start": "100",
            "facts-headcount_end": "100", "facts-contributions_paid": "1000.00", "action": "save"}
    return url, url, data, Determination.objects.all()


def _sensitive_note(cw, sup, occ):
    case = report(cw)
    url = reverse("child_welfare:sensitive", args=[case.pk])
    return url, url, {"text": "侵害细节（测试）"}, SensitiveNote.objects.filter(case=case)


def _upload(cw, sup, occ):
    url = reverse("imports:upload")
    content = "\n".join([EMPLOYER_HEADER, employer_row(1), employer_row(2)]).encode()
    return url, url, {"kind": "employers", "file": content}, ImportBatch.objects.all()


def _gig_posting(cw, sup, occ):
    url = reverse("gig:posting-create")
    data = {"title": "双击瓦工", "trade": "bricklayer", "employer": EmployerFactory(region_id="220102").pk,
            "pay": "260", "pay_unit": "day", "headcount": 2, "start_date": "2026-04-06", "end_date": "2026-04-10",
            "region": "220102", "address": "幸福街 18 号"}
    return url, url, data, GigPosting.objects.filter(title="双击瓦工")


def _gig_worker(cw, sup, occ):
    url = reverse("gig:availability-create")
    data = {"id_number": make_id_number("220102", date(1985, 3, 4), 61, False), "name": "周零工", "phone": "",
            "trades": ["loader"], "region": "220102", "available_from": "2026-04-01", "available_to": "2026-04-30",
            "pay_unit": "day"}
    return url, url, data, GigAvailability.objects.all()


def _gig_broker(cw, sup, occ):
    Region.objects.get_or_create(code="220102001", defaults={"name": "永吉街道", "level": "township",
                                                              "parent_id": "220102"})
    url = reverse("gig:broker-create")
    data = {"id_number": make_id_number("220102", date(1975, 3, 4), 63, False), "name": "吴经纪",
            "phone": "13904310001", "region": "220102001", "registered_on": "2026-03-01"}
    return url, url, data, GigBroker.objects.all()


def _gig_placement(cw, sup, occ):
    from tests.gig.conftest import make_posting, make_worker

    posting, worker = make_posting(cw), make_worker(cw)
    return (reverse("gig:posting-detail", args=[posting.pk]), reverse("gig:posting-place", args=[posting.pk]),
            {"availability": worker.pk, "start_date": "2026-04-06"}, GigPlacement.objects.all())


def _gig_follow_up(cw, sup, occ):
    from apps.gig.services import placement_create
    from tests.gig.conftest import START, make_posting, make_worker

    posting = make_posting(cw)
    placement = placement_create(posting=posting, availability=make_worker(cw), start_date=START, user=cw)
    return (reverse("gig:posting-detail", args=[posting.pk]), reverse("gig:follow-up-create", args=[placement.pk]),
            {"visited_on": "2026-04-07", "outcome": "on_job"}, GigFollowUp.objects.all())


FORMS = [
    Form("person", _person),
    Form("status_tag", _related("tag", {"tag-tag": "flexible_employment", "tag-since": "2024-03-01"}, StatusTag)),
    Form("insurance_enrollment", _related("enrollment", {"enrollment-kind": "maternity",
                                                         "enrollment-start_date": "2024-01-01"},
                                          InsuranceEnrollment)),
    Form("household_child", _related("member", {"member-id_number": make_id_number("220102", date(2025, 2, 1), 3, True),
                                                "member-name": "小红", "member-relation": "child"}, HouseholdMember)),
    Form("employer", _employer),
    Form("training_program", _program),
    Form("training_enrollment", _training_enrollment),
    Form("training_shortage", _shortage),
    Form("training_willingness", _willingness),
    Form("training_assessment_claim", _assessment_claim),
    Form("childcare_institution", _institution),
    Form("childcare_enrollment", _at_institution(
        "childcare:enrollment-create", {"child_id_number": make_id_number("220102", date(2024, 1, 5), 3, False),
                                        "child_name": "刘小宝", "age_group": "toddler", "start_date": "2025-01-01"},
        lambda institution: ChildcareEnrollment.objects.filter(institution=institution))),
    Form("childcare_staff", _at_institution(
        "childcare:staff-create", {"name": "孙保育", "post": "caregiver", "qualification": "childcare_worker"},
        lambda institution: StaffMember.objects.filter(institution=institution))),
    Form("childcare_inspection", _at_institution(
        "childcare:inspection-create", {"kind": "fire", "visited_on": "2025-06-01", "inspector": "区消防大队"},
        lambda institution: Inspection.objects.filter(institution=institution))),
    Form("childcare_finding", _finding),
    Form("childcare_claim", _claim_compute),
    Form("childcare_claim_run", _claim_run),
    Form("child_welfare_assessment", _on_case("child_welfare:assessment-add", ASSESSMENT, Assessment)),
    Form("child_welfare_plan_item", _on_case("child_welfare:plan-add", {
        "domain": "education", "goal": "按时入学", "service": "协调学校", "responsible_type": "department",
        "responsible_name": "区教育局", "due_date": "2026-09-01", "status": "planned"}, PlanItem)),
    Form("child_welfare_category", _on_case("child_welfare:category-add", {
        "category": "disabled", "since": date.today().isoformat()}, CaseCategory)),
    Form("child_welfare_guardian", _on_case("child_welfare:guardian-add", {
        "name": "李奶奶", "relationship": "祖母", "situation": "normal"}, CaseGuardian)),
    Form("child_welfare_sensitive_note", _sensitive_note),
    Form("refund_run", _refund_run),
    Form("fraud_case", _fraud_case),
    Form("eligibility_determination", _calculator_save),
    Form("import_upload", _upload),
    Form("gig_posting", _gig_posting),
    Form("gig_worker", _gig_worker),
    Form("gig_broker", _gig_broker),
    Form("gig_placement", _gig_placement),
    Form("gig_follow_up", _gig_follow_up),
]

FORM_TAG = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)


def _token(page: str, page_url: str, post_url: str) -> str:
    """The token of the form on the page that posts to `post_url` (no action: the page's own address)."""
    for attrs, body in FORM_TAG.findall(page):
        action = re.search(r'action="([^"]*)"', attrs)
        target = html.unescape(action.group(1)).split("#")[0] if action else page_url
        token = re.search(r'name="form_token" value="([0-9a-f-]{36})"', body)
        if target == post_url and token:
            return token.group(1)
    raise AssertionError(f"no form posting to {post_url} with a one-time token on {page_url}")


def _post(web, url, data):
    data = {key: SimpleUploadedFile("employers.csv", value, content_type="text/csv") if isinstance(value, bytes)
            else value for key, value in data.items()}
    return web.post(url, data)


@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
def test_a_double_submitted_create_form_creates_once_and_shows_the_first_result(form, caseworker, supervisor,
                                                                                 request, client_for):
    page_url, post_url, data, created = form.build(caseworker, supervisor, request.getfixturevalue("occupations"))
    web = client_for(caseworker)
    page = web.post(page_url, {"purpose": "核查侵害情况以制定保护计划"}) if form.name == "child_welfare_sensitive_note" else web.get(page_url)
    assert page.status_code == 200  # (the note form shows once a purpose to read the notes is given)
    data = {**data, "form_token": _token(page.content.decode(), page_url, post_url)}
    before = created.count()
    first = _post(web, post_url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    after = created.count()
    assert after > before  # one record (a household member may bring the household's head along)
    second = _post(web, post_url, data)
    assert created.count() == after
    assert (second.status_code, second["Location"]) == (302, first["Location"])
    assert REPEAT_MESSAGE in web.get(second["Location"]).content.decode()


def test_a_new_page_is_a_new_token_and_a_second_real_submission_creates_again(caseworker, client_for):
    web = client_for(caseworker)
    url = reverse("employers:create")
    for n in (1, 2):
        token = _token(web.get(url).content.decode(), url, url)
        web.post(url, {"uscc": make_uscc("220102", 4800 + n), "name": f"第{n}家有限公司", "entity_type": "enterprise",
                       "industry": "industry", "region": "220102", "form_token": token})
    assert Employer.objects.filter(name__endswith="家有限公司").count() == 2


def test_a_refused_post_frees_its_token_for_the_corrected_form(caseworker, client_for):
    web = client_for(caseworker)
    url = reverse("employers:create")
    token = _token(web.get(url).content.decode(), url, url)
    data = {"uscc": make_uscc("220102", 4900), "name": "改正后有限公司", "entity_type": "enterprise",
            "industry": "industry", "form_token": token}
    refused = web.post(url, {**data, "region": "220204"})  # outside the caseworker's region: the service refuses
    assert refused.status_code == 200 and _token(refused.content.decode(), url, url) == token
    assert web.post(url, {**data, "region": "220102"}).status_code == 302
    assert Employer.objects.filter(name="改正后有限公司").count() == 1


def test_the_edit_pages_carry_no_token(caseworker, client_for):
    employer = EmployerFactory(region_id="220102", revenue_10k=Decimal("10"))
    page = client_for(caseworker).get(reverse("employers:edit", args=[employer.pk])).content.decode()
    assert 'name="form_token"' not in page
