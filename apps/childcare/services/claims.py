"""Annual operating-subsidy claims (普惠托育服务补助): compute, then draft → submitted → approved / returned.

The amount always comes from apps.eligibility.calculators.childcare_operating.calculate with the
parameter snapshot of 31 December of the year, for the institution's region. This module only gathers
the facts (child-months, by the counting rule in child_months.py) and stores the Result.

Decisions (see README "托育机构"):
- 普惠 certification gates the 普惠民办 category only (the calculator's `requires_inclusive_certification`):
  a 公办 institution (差额补助 or 自收自支) is paid for every counted child-month, certified or not. For a
  普惠民办 institution the child-months in months where its certification is valid on at least one day are
  paid; the others are computed with `inclusive_certified=False` (refused with the reason), so the
  explanation shows both parts.
- Suspended / closed institutions and open serious safety findings are *flagged* on the claim; an open
  serious finding additionally *blocks approval* until it is rectified (the claim waits, nothing is lost).
- 初审 → 公示 → 复核 (docs/publicity.md): a reviewer who did not submit the claim passes the first review and
  publishes it (公示中, window from apps.publicity: `childcare.publicity_working_days` working days from the next
  working day); a reviewer who is neither the submitter nor the first reviewer approves it (复核) once today is
  past the window's last day (409 publicity_window_open) and no objection (apps.objections) on it is open
  (409 objection_open). Returning it (from 待审核 or 公示中) takes the public list down.
- Four eyes: the person who submitted a claim cannot review it; an approved claim is frozen.
  The moves, who may make them and what they write are one table, CLAIM_LIFECYCLE, which the UI, the API
  and the admin all go through.
"""

import logging
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.childcare.child_months import Span, counted_months, month_bounds
from apps.childcare.models import Attendance, Enrollment, Institution, OperatingSubsidyClaim
from apps.childcare.notices_out import notify_claim_published
from apps.childcare.selectors import institution_has_open_serious_finding
from apps.childcare.services.verification import claim_fingerprint_store
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.review import REVIEWER_ROLES, not_the_maker
from apps.eligibility.calculators import childcare_operating
from apps.eligibility.calculators.base import (
    MissingParameter,
    ParameterSnapshot,
    Result,
    SchemeNotInForce,
    no_scheme_result,
    year_end,
)
from apps.eligibility.parameters import parameter_snapshot, parameter_versions_freeze
from apps.objections.guards import no_open_objection
from apps.publicity.services import (
    publication_open_onto,
    publication_withdraw,
    window_passed,
)

logger = logging.getLogger(__name__)

MIN_DAYS_KEY = "childcare.min_attendance_days_per_month"
PUBLICITY_SOURCE = "childcare.claim"  # apps.childcare.publicity
OBJECTION_SLUG = "childcare-claim"  # the payment slug (apps.childcare.payments)
# One row per claim: an open objection on it holds the claim's 复核.
_NO_OPEN_OBJECTION = no_open_objection(OBJECTION_SLUG, lambda claim: f"{claim}的补助申报有未处理完毕的异议，异议处理后方可复核")
Status = OperatingSubsidyClaim.Status


FLAG_LABELS = {
    "serious_finding_open": "存在未整改的严重安全问题（整改前不能审核通过）",
    "suspended": "机构暂停运营",
    "closed": "机构已关闭",
    "uncertified_months": "部分月份不在普惠认定有效期内，该部分不予补助（普惠民办机构）",
    "no_children": "该年度无计入的在托婴幼儿",
    "no_scheme_in_force": "该年度尚无施行中的普惠托育服务补助政策",
}


# ---------------------------------------------------------------- computing


def _spans_for(institution: Institution, year: int) -> tuple[list[Span], dict]:
    """Every enrollment in `year` of every child who was at this institution in `year` (a moved child's
    other institutions decide which of them the month belongs to), and their attendance."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    in_year = Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))
    children = Enrollment.objects.filter(in_year, institution=institution).values("child_id")
    rows = Enrollment.objects.filter(in_year, child_id__in=children).values_list(
        "id", "child_id", "institution_id", "start_date", "end_date")
    spans = [Span(*row) for row in rows]
    attendance = {(e, m): d for e, m, d in Attendance.objects.filter(
        enrollment_id__in=[s.enrollment_id for s in spans], month__year=year).values_list(
        "enrollment_id", "month", "days_present")}
    return spans, attendance


def _calculate(institution: Institution, year: int, pairs: list, snapshot: ParameterSnapshot, *,
               certified: bool = True) -> Result:
    # The child-months of each month: the calculator pays each month at the rate in force for it.
    monthly = childcare_operating.monthly_child_months(pairs, year)
    facts = childcare_operating.ChildcareOperatingFacts(
        year=year, category=institution.category, region_code=institution.region_id,
        child_months=sum(monthly), inclusive_certified=certified, monthly_child_months=monthly)
    return childcare_operating.calculate(facts, snapshot)


def _used_versions(results: list[tuple[str, Result]]) -> dict[str, Any]:
    """key -> the version id the parts used, or the list of them when a key was used at several (a rate table
    that changed during the year), in the order the explanation lists them."""
    used: dict[str, list] = {}
    for _label, result in results:
        for parameter in result.parameters:
            ids = used.setdefault(parameter.key, [])
            if parameter.version not in ids:
                ids.append(parameter.version)
    return {key: ids[0] if len(ids) == 1 else ids for key, ids in used.items()}


def claim_figures(*, institution: Institution, year: int) -> dict[str, Any]:
    """Everything a claim stores, computed now (also used for previews). Raises ApplicationError when the
    policy parameters for the year are missing."""
    try:
        snapshot = parameter_snapshot(as_of=year_end(year), region_code=institution.region_id)
        min_days = snapshot.get(MIN_DAYS_KEY)
    except SchemeNotInForce as error:  # a year before the programme: a normal "not eligible" claim
        return _no_scheme_figures(error)
    except MissingParameter as error:
        raise ApplicationError("parameters_missing", str(error)) from error

    spans, attendance = _spans_for(institution, year)
    counted = counted_months(spans, attendance, year, min_days.value)
    certified: list[tuple[Any, date]] = []
    uncertified: list[tuple[Any, date]] = []
    monthly = {}
    per_month = Counter(month for (_child, month), span in counted.items() if span.institution_id == institution.id)
    for month in range(1, 13):
        is_certified = institution.certified_between(*month_bounds(year, month))
        monthly[f"{month:02d}"] = {"children": per_month.get(month, 0), "certified": is_certified}
    for (child, month), span in counted.items():
        if span.institution_id != institution.id:
            continue
        pair = (child, date(year, month, 1))
        (certified if monthly[f"{month:02d}"]["certified"] else uncertified).append(pair)

    gated = childcare_operating.requires_inclusive_certification(institution.category)
    results: list[tuple[str, Result]] = []
    if not gated:  # 公办 (paid whatever the certification says) or 非普惠民办 (never paid): one part
        results.append(("全年", _calculate(institution, year, certified + uncertified, snapshot)))
    else:
        if certified or not uncertified:
            results.append(("普惠认定有效期内", _calculate(institution, year, certified, snapshot)))
        if uncertified:
            results.append(("普惠认定有效期外", _calculate(institution, year, uncertified, snapshot,
                                                     certified=False)))

    flags = []
    if institution_has_open_serious_finding(institution):
        flags.append("serious_finding_open")
    if institution.status != Institution.Status.OPERATING:
        flags.append(institution.status)
    if uncertified and gated:
        flags.append("uncertified_months")
    if not certified and not uncertified:
        flags.append("no_children")

    versions = _used_versions(results)
    versions[min_days.key] = min_days.version
    return {
        "child_months": len(certified) + len(uncertified),
        "certified_child_months": len(certified) if gated else 0,
        "amount": sum((r.amount for _label, r in results), Decimal("0.00")),
        "monthly": monthly,
        "explanation": [{**r.to_dict(), "label": label} for label, r in results],
        "parameter_versions": versions,
        "min_attendance_days": min_days.value,
        "flags": flags,
    }


def _no_scheme_figures(error: SchemeNotInForce) -> dict[str, Any]:
    result = no_scheme_result(childcare_operating.NAME, error)
    return {"child_months": 0, "certified_child_months": 0, "amount": Decimal("0.00"),
            "monthly": {f"{month:02d}": {"children": 0, "certified": False} for month in range(1, 13)},
            "explanation": [{**result.to_dict(), "label": "全年"}], "parameter_versions": {},
            "min_attendance_days": None, "flags": ["no_scheme_in_force"]}


def check_year(year: int) -> None:
    if year > timezone.localdate().year:
        raise ApplicationError("invalid_year", f"{year}年尚未开始，不能测算", {"year": ["年度不能晚于今年"]})


def _store_figures(claim: OperatingSubsidyClaim, user) -> None:
    """Put freshly computed figures on the claim (the caller saves)."""
    check_year(claim.year)
    figures = claim_figures(institution=claim.institution, year=claim.year)
    figures.pop("min_attendance_days")
    for field, value in figures.items():
        setattr(claim, field, value)
    parameter_versions_freeze(versions=claim.parameter_versions.values(), on=year_end(claim.year))
    claim_fingerprint_store(claim)
    claim.computed_at, claim.computed_by = timezone.now(), user


@transaction.atomic
def claim_compute(*, institution: Institution, year: int, user) -> OperatingSubsidyClaim:
    """Create or recompute the claim. Refused once submitted (until returned) or approved."""
    check_year(year)
    claim = OperatingSubsidyClaim.objects.select_for_update().filter(institution=institution, year=year).first()
    if claim is not None and not claim.editable:
        raise ConflictError("claim_frozen", f"{claim}补助申报状态为“{claim.get_status_display()}”，不能重新测算")
    claim = claim or OperatingSubsidyClaim(institution=institution, year=year)
    _store_figures(claim, user)
    claim.save()
    logger.info("claim computed", extra={"claim_id": claim.pk, "institution_id": institution.pk, "year": year,
                                         "child_months": claim.child_months, "amount": str(claim.amount),
                                         "flags": claim.flags})
    return claim


# ---------------------------------------------------------------- workflow: the table


def _no_open_serious_finding(claim: OperatingSubsidyClaim, user, payload: dict) -> str | None:
    if institution_has_open_serious_finding(claim.institution):
        return f"{claim.institution.name}存在未整改的严重安全问题，整改复查通过后方可审核通过"
    return None


def _recompute_and_mark_submitted(claim: OperatingSubsidyClaim, user, payload: dict) -> None:
    # Facts may have changed since the last computation: submit what the data says now.
    _store_figures(claim, user)
    claim.submitted_by, claim.submitted_at = user, timezone.now()


def _mark_reviewed(claim: OperatingSubsidyClaim, user, payload: dict) -> None:
    claim.reviewed_by, claim.reviewed_at = user, timezone.now()
    claim.review_comment = payload.get("comment", "").strip()


def _published(claim: OperatingSubsidyClaim, user, payload: dict) -> None:
    """初审通过: open the publication (token + window) in the move's transaction."""
    claim.first_reviewed_by, claim.first_reviewed_at = user, timezone.now()
    publication = publication_open_onto(claim, source_key=PUBLICITY_SOURCE, region_code=claim.institution.region_id,
                                        user=user, on=payload.get("today"))
    notify_claim_published(claim, publication)


def _returned(claim: OperatingSubsidyClaim, user, payload: dict) -> None:
    """退回: a claim on the public list comes down (its publication is removed; a resubmitted claim is
    published afresh, with a new link and a new window)."""
    _mark_reviewed(claim, user, payload)
    publication_withdraw(source_key=PUBLICITY_SOURCE, record_id=claim.pk, user=user, record=claim)
    claim.first_reviewed_by = claim.first_reviewed_at = None


def _log_transition(claim: OperatingSubsidyClaim, transition: Transition, from_status: str, user, note: str) -> None:
    logger.info("claim %s", transition.action, extra={
        "claim_id": claim.pk, "action": transition.action, "from_status": from_status,
        "to_status": transition.target, "user_id": getattr(user, "pk", None), "amount": str(claim.amount)})


# Four eyes (apps.core.review): whoever submitted the claim may not review it, supervisor or not.
_NOT_THE_SUBMITTER = not_the_maker("submitted_by_id")
# 复核: neither the submitter nor the first reviewer.
_NOT_THE_REVIEWERS = not_the_maker("submitted_by_id", "first_reviewed_by_id")

CLAIM_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("submit", "提交审核", sources=OperatingSubsidyClaim.EDITABLE, target=Status.SUBMITTED,
                   state_code="claim_not_editable", effect=_recompute_and_mark_submitted, icon="send"),
        Transition("publish", "初审通过并公示", sources=(Status.SUBMITTED,), target=Status.PUBLICIZING,
                   roles=REVIEWER_ROLES, actor_guards=(_NOT_THE_SUBMITTER,), state_code="claim_not_submitted",
                   effect=_published, icon="megaphone",
                   confirm="初审通过后，机构名称、脱敏信用代码、年度和补助金额将在公开页面公示（无需登录即可查看），"
                           "公示期按工作日计算。确认初审通过并公示？"),
        Transition("approve", "复核通过", sources=(Status.PUBLICIZING,), target=Status.APPROVED,
                   roles=REVIEWER_ROLES, actor_guards=(_NOT_THE_REVIEWERS,), state_code="claim_not_publicized",
                   guards=(window_passed, _NO_OPEN_OBJECTION, _no_open_serious_finding),
                   guard_code="serious_finding_open", effect=_mark_reviewed, style="success", icon="check2-circle",
                   confirm="复核通过后，本申报的补助金额和在托人·月数据将冻结并列入拨付清单，不能再修改。确认复核通过？"),
        Transition("return", "退回", sources=(Status.SUBMITTED, Status.PUBLICIZING), target=Status.RETURNED,
                   roles=REVIEWER_ROLES, actor_guards=(_NOT_THE_SUBMITTER,), state_code="claim_not_submitted",
                   needs_reason=True, effect=_returned, style="outline-warning", icon="arrow-return-left",
                   confirm="退回后，公示中的名单随即撤下。确认退回？"),
    ],
    status_label=lambda status: str(Status(status).label),
    record=_log_transition,
    reason_code="comment_required", reason_field="comment",
)


def claim_actions(*, claim: OperatingSubsidyClaim, user) -> list[Transition]:
    """The workflow buttons this user gets on this claim now (recomputing is not a move: see `editable`)."""
    return CLAIM_LIFECYCLE.available(claim, user)


# ---------------------------------------------------------------- workflow: the moves


def _lock(claim: OperatingSubsidyClaim) -> OperatingSubsidyClaim:
    return OperatingSubsidyClaim.objects.select_for_update().select_related("institution").get(pk=claim.pk)


def _move(claim: OperatingSubsidyClaim, action: str, *, user, comment: str = "",
          today: date | None = None) -> OperatingSubsidyClaim:
    claim = _lock(claim)
    CLAIM_LIFECYCLE.apply(claim, action, user=user, note=comment.strip(),
                          payload={"comment": comment, "today": today})
    return claim


@transaction.atomic
def claim_submit(*, claim: OperatingSubsidyClaim, user) -> OperatingSubsidyClaim:
    return _move(claim, "submit", user=user)


@transaction.atomic
def claim_publish(*, claim: OperatingSubsidyClaim, user, comment: str = "",
                  today: date | None = None) -> OperatingSubsidyClaim:
    return _move(claim, "publish", user=user, comment=comment, today=today)


@transaction.atomic
def claim_approve(*, claim: OperatingSubsidyClaim, user, comment: str = "",
                  today: date | None = None) -> OperatingSubsidyClaim:
    return _move(claim, "approve", user=user, comment=comment, today=today)


@transaction.atomic
def claim_return(*, claim: OperatingSubsidyClaim, user, comment: str) -> OperatingSubsidyClaim:
    return _move(claim, "return", user=user, comment=comment or "")


@transaction.atomic
def claim_transition(*, claim: OperatingSubsidyClaim, action: str, user, comment: str = "") -> OperatingSubsidyClaim:
    """Any move of the table by its action name (the UI's and the admin's one entry point)."""
    return _move(claim, action, user=user, comment=comment)
