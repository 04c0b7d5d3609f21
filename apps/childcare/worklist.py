"""托育's 待办 (registered in ChildcareConfig.ready()): subsidy claims waiting for a reviewer who did not submit
them (初审, four eyes), claims whose 公示 window has passed with no open objection waiting for a 复核 by neither the
submitter nor the first reviewer, and 普惠 certifications that run out soon or have run out while the institution still operates."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse

from apps.childcare.models import Institution, OperatingSubsidyClaim
from apps.childcare.services.claims import OBJECTION_SLUG
from apps.core.money import format_money
from apps.core.registry import WorkItem, WorklistSource, worklist_window
from apps.core.review import REVIEWER_ROLES
from apps.core.scoping import scope_queryset
from apps.eligibility.calculators.childcare_operating import CERTIFICATION_REQUIRED
from apps.objections.models import Objection
from apps.objections.worklist import open_objections_source


def claims_awaiting_review(user, today):
    claims = scope_queryset(OperatingSubsidyClaim.objects.filter(status=OperatingSubsidyClaim.Status.SUBMITTED),
                            user, "institution__region")
    return claims.exclude(submitted_by=user).select_related("institution", "submitted_by").order_by(
        "submitted_at", "id")


def claim_item(claim: OperatingSubsidyClaim) -> WorkItem:
    return WorkItem(what=f"{claim.institution.name} {claim.year}年运营补助",
                    why=f"已提交审核，补助金额 {format_money(claim.amount)} 元（提交人：{claim.submitted_by}）",
                    url=reverse("childcare:claim-detail", args=[claim.pk]), since=claim.submitted_at)


def claims_awaiting_final_review(user, today):
    """公示中 past the window's last day, with no objection still open on it (the objection holds the claim: it
    is on the objections' own 待办 until decided)."""
    open_objection = Objection.objects.filter(source=OBJECTION_SLUG, record_id=OuterRef("pk"),
                                              status__in=Objection.OPEN)
    claims = scope_queryset(OperatingSubsidyClaim.objects.filter(status=OperatingSubsidyClaim.Status.PUBLICIZING,
                                                                 publicity_ends_on__lt=today),
                            user, "institution__region")
    return (claims.exclude(submitted_by=user).exclude(first_reviewed_by=user).exclude(Exists(open_objection))
            .select_related("institution").order_by("publicity_ends_on", "id"))


def final_review_item(claim: OperatingSubsidyClaim) -> WorkItem:
    return WorkItem(what=f"{claim.institution.name} {claim.year}年运营补助",
                    why=f"公示期已于 {claim.publicity_ends_on:%Y-%m-%d} 届满，补助金额 {format_money(claim.amount)} 元，请复核",
                    url=reverse("childcare:claim-detail", args=[claim.pk]), due=claim.publicity_ends_on)


def certifications_expiring(user, today):
    """Operating institutions that are paid only on a 普惠 certification whose end date is within the window
    (or already past: expired and not renewed)."""
    until = today + timedelta(days=worklist_window("certification_expiring"))
    institutions = Institution.objects.filter(status=Institution.Status.OPERATING,
                                              category__in=sorted(CERTIFICATION_REQUIRED),
                                              inclusive_certified_to__lte=until)
    return scope_queryset(institutions, user).select_related("region").order_by("inclusive_certified_to", "id")


def certification_item(institution: Institution) -> WorkItem:
    number = institution.inclusive_certificate_number or "普惠认定"
    return WorkItem(what=f"{institution.name}（{institution.region.name}）",
                    why=f"{number}有效期至 {institution.inclusive_certified_to:%Y-%m-%d}，到期后不在认定期内的月份不享受补助，请督促机构办理复核",
                    url=reverse("childcare:institution-detail", args=[institution.pk]),
                    due=institution.inclusive_certified_to)


SOURCES = (
    WorklistSource(key="childcare.claim_review", module="childcare", label="托育补助待初审",
                   queryset=claims_awaiting_review, item=claim_item, roles=REVIEWER_ROLES, order=20),
    WorklistSource(key="childcare.claim_final_review", module="childcare", label="托育补助公示期满待复核",
                   queryset=claims_awaiting_final_review, item=final_review_item, roles=REVIEWER_ROLES, order=21),
    open_objections_source(module="childcare", slug=OBJECTION_SLUG, order=22),
    WorklistSource(key="childcare.certification_expiring", module="childcare", label="普惠认定到期",
                   queryset=certifications_expiring, item=certification_item, order=25),
)
