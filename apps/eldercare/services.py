"""Writes of 养老服务人才: institutions, staff, the 严重失信名单 (list, remove, publish for 公示) and the incentive
claims (the calculator's decision stored with its steps and parameter versions; four-eyes review).

吉民发〔2024〕33号 二(四)11: "对列入严重违法失信名单的养老机构经营主体和人员，依法依规 … 进行公示，开展失信惩戒" — so
a listed institution or person is refused every incentive (the calculator's first rule), at submission and again at
approval.
"""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.applicants.models import Person
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.locks import serialize
from apps.core.review import REVIEWER_ROLES, not_the_maker, set_reviewer
from apps.core.scoping import user_can_see_region
from apps.core.validators import validate_uscc
from apps.eldercare.models import BlacklistEntry, IncentiveClaim, Institution, StaffMember
from apps.eligibility.calculators import elderly_care_incentive as calculator
from apps.eligibility.calculators.base import FactRefused, MissingParameter, Result
from apps.eligibility.parameters import parameter_snapshot, parameter_versions_freeze
from apps.publicity.services import publication_open_onto

logger = logging.getLogger(__name__)

PUBLICITY_SOURCE = "eldercare.blacklist"
# Paid once per person (the claims' partial unique index says the same; a returned claim may be made again).
ONE_TIME_KINDS = ("vocational_training", "startup", "entry_award")


def _full_clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ApplicationError("invalid", "提交的数据有误", error.message_dict) from error


def _check_region(user, field: str, code: str | None) -> None:
    if not (code and user_can_see_region(user, code)):
        raise ApplicationError("region_out_of_scope", "所选记录不在您的经办范围内。",
                               {field: ["所选记录不在您的经办范围内。"]})


def _save(instance, message: str) -> None:
    """Save; a unique index a concurrent write won is the model's Chinese sentence, not a 500."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ConflictError("duplicate", message) from error


# ------------------------------------------------------------------ institutions


@transaction.atomic
def institution_save(*, institution: Institution, user) -> Institution:
    """Create or update an institution of the user's region; the 统一社会信用代码 is checked and stored compact."""
    _check_region(user, "region", institution.region_id)
    try:
        institution.uscc = validate_uscc(institution.uscc)
    except ValidationError as error:
        raise ApplicationError("invalid_uscc", error.messages[0], {"uscc": error.messages}) from error
    if institution.pk is None:
        institution.created_by = user
    _full_clean(institution, exclude=["created_by"])
    _save(institution, "该统一社会信用代码的养老机构已登记。")
    logger.info("eldercare institution saved", extra={"institution": institution.pk, "region": institution.region_id})
    return institution


# ------------------------------------------------------------------ staff


@transaction.atomic
def staff_save(*, staff: StaffMember, user) -> StaffMember:
    """Register (or correct) a staff member: the person from the applicants registry, both in the user's region."""
    institution = staff.institution
    _check_region(user, "institution", institution.region_id)
    _check_region(user, "person", staff.person.region_id)
    staff.region_id = institution.region_id
    if staff.end_date and staff.end_date < staff.start_date:
        raise ApplicationError("invalid", "离职日期不能早于入职日期", {"end_date": ["离职日期不能早于入职日期"]})
    if staff.pk is None:
        staff.created_by = user
    _full_clean(staff, exclude=["created_by"])
    _save(staff, "该人员已在本机构在职，不能重复登记。")
    logger.info("eldercare staff saved", extra={"staff": staff.pk, "institution": institution.pk})
    return staff


# ------------------------------------------------------------------ 严重失信名单


@transaction.atomic
def blacklist_add(*, user, reason: str, source: str, listed_on: date, institution: Institution | None = None,
                  person: Person | None = None) -> BlacklistEntry:
    """列入: an institution or a person (exactly one), in the user's region, with the reason and the deciding document."""
    if (institution is None) == (person is None):
        raise ApplicationError("subject_required", "请选择列入的养老机构或人员（只选一项）",
                               {"institution": ["请选择养老机构或人员（只选一项）"]})
    if institution is not None:
        _check_region(user, "institution", institution.region_id)
        entry = BlacklistEntry(subject=BlacklistEntry.Subject.INSTITUTION, institution=institution,
                               region_id=institution.region_id)
    else:
        assert person is not None
        _check_region(user, "person", person.region_id)
        entry = BlacklistEntry(subject=BlacklistEntry.Subject.PERSON, person=person, region_id=person.region_id)
    entry.reason, entry.source, entry.listed_on, entry.created_by = reason.strip(), source.strip(), listed_on, user
    if not entry.reason:
        raise ApplicationError("invalid", "请填写失信行为", {"reason": ["请填写失信行为"]})
    _full_clean(entry, exclude=["created_by"])
    entry.save()
    logger.info("eldercare blacklist entry added", extra={"entry": entry.pk, "subject": entry.subject,
                                                          "listed_on": listed_on.isoformat()})
    return entry


@transaction.atomic
def blacklist_remove(*, entry: BlacklistEntry, user, removed_on: date, note: str = "") -> BlacklistEntry:
    """移出 (信用修复): from `removed_on` the subject is no longer listed; the public list comes down."""
    entry = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
    _check_region(user, "entry", entry.region_id)
    if entry.removed_on is not None:
        raise ConflictError("already_removed", f"该条目已于 {entry.removed_on.isoformat()} 移出")
    if removed_on <= entry.listed_on:
        message = f"移出日期须晚于列入日期 {entry.listed_on.isoformat()}"
        raise ApplicationError("invalid", message, {"removed_on": [message]})
    entry.removed_on, entry.removal_note = removed_on, note[:200]
    entry._change_reason = f"移出：{note}"[:100]  # type: ignore[attr-defined]
    entry.save()
    logger.info("eldercare blacklist entry removed", extra={"entry": entry.pk, "removed_on": removed_on.isoformat()})
    return entry


@transaction.atomic
def blacklist_publish(*, entry: BlacklistEntry, user, on: date | None = None) -> BlacklistEntry:
    """公示 the entry through apps.publicity (once: a second call keeps the first publication and window)."""
    entry = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
    _check_region(user, "entry", entry.region_id)
    if entry.removed_on is not None:
        raise ConflictError("already_removed", "已移出名单的条目不再公示")
    publication_open_onto(entry, source_key=PUBLICITY_SOURCE, region_code=entry.region_id, user=user, on=on)
    entry._change_reason = "公示"  # type: ignore[attr-defined]
    entry.save()
    logger.info("eldercare blacklist entry published", extra={"entry": entry.pk})
    return entry


def _nearest(entries: list[BlacklistEntry], day: date) -> BlacklistEntry | None:
    """The entry that decides `day`: one listing on that day, else the latest one listed before it (for the steps)."""
    on_day = [e for e in entries if e.listed_on_day(day)]
    if on_day:
        return on_day[0]
    earlier = [e for e in entries if e.listed_on <= day]
    return max(earlier, key=lambda e: e.listed_on) if earlier else None


# ------------------------------------------------------------------ incentive claims


def claim_facts(*, staff: StaffMember, kind: str, claim_date: date, months: int = 0, honour_level: str = "",
                training_certificate: bool = False, founder: bool = False
                ) -> calculator.ElderlyCareIncentiveFacts:
    """The calculator's facts for a staff member: the registry's fields and the 黑名单 entries (two queries)."""
    institution_entry = _nearest(list(BlacklistEntry.objects.filter(institution_id=staff.institution_id)), claim_date)
    person_entry = _nearest(list(BlacklistEntry.objects.filter(person_id=staff.person_id)), claim_date)
    return calculator.ElderlyCareIncentiveFacts(
        kind=kind, claim_date=claim_date, full_time=staff.full_time, start_date=staff.start_date, months=months,
        skill_level=staff.skill_level, honour_level=honour_level, college_graduate=staff.college_graduate,
        training_certificate=training_certificate, founder=founder,
        institution_listed_on=institution_entry.listed_on if institution_entry else None,
        institution_removed_on=institution_entry.removed_on if institution_entry else None,
        institution_listing_reason=institution_entry.reason if institution_entry else "",
        person_listed_on=person_entry.listed_on if person_entry else None,
        person_removed_on=person_entry.removed_on if person_entry else None,
        person_listing_reason=person_entry.reason if person_entry else "")


def claim_evaluate(*, staff: StaffMember, kind: str, claim_date: date, **facts) -> Result:
    """The decision for these facts now (no write): the claim form's preview and the submission's check."""
    if kind not in calculator.KINDS:
        raise ApplicationError("invalid", "请选择补贴类别", {"kind": ["请选择补贴类别"]})
    params = parameter_snapshot(as_of=claim_date, region_code=staff.region_id)
    try:
        return calculator.calculate(claim_facts(staff=staff, kind=kind, claim_date=claim_date, **facts), params)
    except FactRefused as error:
        raise ApplicationError(error.code, error.message, {error.field: [error.message]}) from error
    except MissingParameter as error:
        raise ApplicationError("parameter_missing", str(error)) from error


def _refusal(result: Result) -> ApplicationError:
    message = "；".join(reason.message for reason in result.reasons)
    code = result.reasons[0].code if result.reasons else "not_eligible"
    return ApplicationError(code, message, {"kind": [message]})


@transaction.atomic
def claim_submit(*, staff: StaffMember, user, kind: str, claim_date: date, months: int = 0, honour_level: str = "",
                 training_certificate: bool = False, founder: bool = False) -> IncentiveClaim:
    """申领: compute the decision; a refusal (黑名单, not full-time, service too short …) is the calculator's reason.
    The stored claim keeps the steps and the parameter versions; it waits for a reviewer who is not the maker."""
    _check_region(user, "staff", staff.region_id)
    if staff.end_date is not None and staff.end_date < claim_date:
        raise ConflictError("staff_left", f"{staff.person.name} 已于 {staff.end_date.isoformat()} 离职，不能申领",
                            {"staff": ["该人员已离职"]})
    # One claim decision per person at a time: a double submit or a concurrent one waits here, then sees the first.
    serialize(f"eldercare.claim:{staff.person_id}")
    result = claim_evaluate(staff=staff, kind=kind, claim_date=claim_date, months=months, honour_level=honour_level,
                            training_certificate=training_certificate, founder=founder)
    if not result.eligible:
        logger.info("eldercare claim refused", extra={"staff": staff.pk, "kind": kind,
                                                      "code": result.reasons[0].code if result.reasons else ""})
        raise _refusal(result)
    if kind in ONE_TIME_KINDS and IncentiveClaim.objects.filter(person_id=staff.person_id, kind=kind).exclude(
            status=IncentiveClaim.Status.REJECTED).exists():
        label = calculator.KINDS[kind]
        raise ConflictError("already_claimed", f"{staff.person.name} 已申领过{label}（一次性补贴），不能重复申领",
                            {"kind": [f"已申领过{label}"]})
    claim = IncentiveClaim(staff=staff, institution_id=staff.institution_id, person_id=staff.person_id,
                           region_id=staff.region_id, kind=kind, claim_date=claim_date, months=months,
                           honour_level=honour_level, training_certificate=training_certificate, founder=founder,
                           amount=result.amount, explanation=result.to_dict(), submitted_by=user)
    _full_clean(claim, exclude=["submitted_by", "reviewed_by"])
    _save(claim, "该人员已申领过这项一次性补贴，不能重复申领。")
    parameter_versions_freeze(versions=claim.explanation["parameters"], on=claim_date)
    logger.info("eldercare claim submitted", extra={"claim": claim.pk, "kind": kind, "amount": str(claim.amount)})
    return claim


def _still_not_listed(claim: IncentiveClaim, user, payload: dict) -> str | None:
    """At approval the 黑名单 is read again, on the approval day: a listing since the submission refuses it."""
    today = payload.get("today") or timezone.localdate()
    for entry in BlacklistEntry.objects.filter(institution_id=claim.institution_id) | BlacklistEntry.objects.filter(
            person_id=claim.person_id):
        if entry.listed_on_day(today):
            return (f"{entry.subject_name} 已于 {entry.listed_on.isoformat()} 列入养老服务严重失信名单（{entry.reason}），"
                    "不予审核通过")
    return None


def _record_review(claim, transition: Transition, from_status: str, user, note: str) -> None:
    logger.info("eldercare claim reviewed", extra={"claim": claim.pk, "action": transition.action, "from": from_status})


CLAIM_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("approve", "审核通过", (IncentiveClaim.Status.SUBMITTED,), IncentiveClaim.Status.APPROVED,
                   roles=REVIEWER_ROLES, actor_guards=(not_the_maker("submitted_by_id"),),
                   guards=(_still_not_listed,), guard_code="blacklisted", effect=set_reviewer,
                   confirm="审核通过后补贴金额不再变更，确定审核通过？", icon="check2-circle", style="success"),
        Transition("reject", "退回", (IncentiveClaim.Status.SUBMITTED,), IncentiveClaim.Status.REJECTED,
                   roles=REVIEWER_ROLES, actor_guards=(not_the_maker("submitted_by_id"),), effect=set_reviewer,
                   needs_reason=True, style="outline-danger", icon="arrow-counterclockwise",
                   confirm="退回后可重新申领，确定退回？"),
    ],
    status_label=lambda status: str(IncentiveClaim.Status(status).label),
    record=_record_review,
)


@transaction.atomic
def claim_review(*, claim: IncentiveClaim, user, action: str, note: str = "", today: date | None = None
                 ) -> IncentiveClaim:
    """审核通过 or 退回 by a reviewer who did not submit the claim (four eyes)."""
    claim = IncentiveClaim.objects.select_for_update().get(pk=claim.pk)
    _check_region(user, "claim", claim.region_id)
    CLAIM_LIFECYCLE.apply(claim, action, user=user, note=note, payload={"note": note, "today": today})
    return claim
