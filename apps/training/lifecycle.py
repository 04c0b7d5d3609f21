"""The enrollment lifecycle as one table: (state, action) → new state, guard, effect.

The caseworker UI draws its buttons from `available_actions`, the API exposes `POST
/enrollments/{id}/transition/` with the same action names, the admin uses the same service, and the
tests walk the same table. Every transition — allowed — is written to EnrollmentTransition (who,
when, from, to, note); a refused one raises ApplicationError with a stable code and a Chinese reason.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import REVIEW_ROLES
from apps.core.exceptions import ApplicationError, ConflictError
from apps.eligibility.calculators.base import MissingParameter
from apps.training.models import (
    EmploymentEvidence,
    Enrollment,
    EnrollmentStatus,
    EnrollmentTransition,
    FollowUp,
    TrainingSubsidyClaim,
)

S = EnrollmentStatus
# Follow-ups after completion (R6: skill level, employment status and wage after training): the months are
# the policy parameter training.follow_up_months in force on the completion day for the program's region.
FOLLOW_UP_MONTHS_KEY = "training.follow_up_months"


def follow_up_months(day: date, region_code: str) -> tuple[int, ...]:
    from apps.eligibility.parameters import parameter_snapshot

    snapshot = parameter_snapshot(as_of=day, region_code=region_code)
    try:
        return tuple(int(m) for m in snapshot.get(FOLLOW_UP_MONTHS_KEY).value)
    except MissingParameter as error:
        raise ApplicationError("missing_parameter", str(error)) from error

Guard = Callable[[Enrollment, Any, dict], None]
Effect = Callable[[Enrollment, Any, dict], None]


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # the button
    style: str  # Bootstrap colour of the button
    needs_form: bool = False  # the UI asks for details (certificate, employment) before posting
    reviewer_only: bool = False


ACTIONS = {a.name: a for a in (
    Action("enroll", _("录取"), "primary"),
    Action("start", _("开班培训"), "primary"),
    Action("complete", _("结业"), "success"),
    Action("drop_out", _("退学"), "outline-danger"),
    Action("assess", _("登记取证"), "primary", needs_form=True),
    Action("verify_employment", _("核验就业"), "primary", needs_form=True),
    Action("claim_subsidy", _("申领培训补贴"), "warning"),
    Action("approve", _("审核通过"), "success", reviewer_only=True),
    Action("reject", _("驳回申领"), "outline-danger", reviewer_only=True),
    Action("pay", _("确认发放"), "success", reviewer_only=True),
)}


# ---------------------------------------------------------------- guards (raise to refuse)


def _reviewer(enrollment: Enrollment, user, payload: dict) -> None:
    if not user.has_role(*REVIEW_ROLES):
        raise ApplicationError("reviewer_required", "补贴审核和发放须由审核人办理")


def _capacity(enrollment: Enrollment, user, payload: dict) -> None:
    program = enrollment.program
    taken = program.enrollments.exclude(status__in=[S.REGISTERED, S.DROPPED_OUT]).count()
    if taken >= program.capacity:
        raise ConflictError("program_full", f"培训项目“{program.name}”已满员（计划 {program.capacity} 人）")


def _employment_verified(enrollment: Enrollment, user, payload: dict) -> None:
    if not enrollment.employment_verified:
        raise ApplicationError("employment_not_verified",
                               "未核验劳动合同、服务协议或工资流水，不能申领培训补贴")


# ---------------------------------------------------------------- effects (what else the action writes)


def _parse_date(payload: dict, name: str, label: str, errors: dict, required: bool = True) -> date | None:
    raw = payload.get(name)
    if raw in (None, ""):
        if required:
            errors[name] = [f"请填写{label}"]
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        errors[name] = [f"{label}格式应为 YYYY-MM-DD"]
        return None


def _complete(enrollment: Enrollment, user, payload: dict) -> None:
    errors: dict = {}
    day = _parse_date(payload, "completed_on", "结业日期", errors, required=False) or timezone.localdate()
    if errors:
        raise ApplicationError("invalid_payload", "结业信息有误", errors)
    enrollment.completed_on = day
    FollowUp.objects.bulk_create(
        [FollowUp(enrollment=enrollment, months=m, due_on=_add_months(day, m))
         for m in follow_up_months(day, enrollment.region_id)],
        ignore_conflicts=True,
    )


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    return day + timedelta(days=30 * months)


def _assess(enrollment: Enrollment, user, payload: dict) -> None:
    from apps.training.services import certificate_add

    certificate_add(enrollment=enrollment, user=user, data=payload, check_status=False)


def _verify_employment(enrollment: Enrollment, user, payload: dict) -> None:
    errors: dict = {}
    evidence = payload.get("employment_evidence") or ""
    if evidence not in EmploymentEvidence.values:
        errors["employment_evidence"] = ["请选择就业证明：劳动合同、服务协议或工资流水"]
    employer = payload.get("employer")
    employer_name = (payload.get("employer_name") or (employer.name if employer else "")).strip()
    if not employer_name:
        errors["employer_name"] = ["请填写就业单位"]
    start = _parse_date(payload, "employment_start", "入职日期", errors)
    wage = None
    try:
        wage = Decimal(str(payload.get("monthly_wage")))
        if wage < 0 or not wage.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["monthly_wage"] = ["请填写月工资（元），如 3500.00"]
    if start and enrollment.completed_on and start < enrollment.program.start_date:
        errors["employment_start"] = ["入职日期不能早于开班日期"]
    if errors:
        raise ApplicationError("invalid_employment", "就业核验信息有误", errors)
    enrollment.employment_evidence = evidence
    enrollment.employer = employer
    enrollment.employer_name = employer_name
    enrollment.employment_start = start
    enrollment.monthly_wage = wage
    enrollment.employment_verified_at = timezone.now()
    enrollment.employment_verified_by = user


def _claim(enrollment: Enrollment, user, payload: dict) -> None:
    from apps.training.services import subsidy_claim_create

    subsidy_claim_create(enrollment=enrollment, user=user, kind=TrainingSubsidyClaim.Kind.TRAINING)


def _training_claim(enrollment: Enrollment) -> TrainingSubsidyClaim:
    claim = enrollment.claims.filter(kind=TrainingSubsidyClaim.Kind.TRAINING).exclude(
        status=TrainingSubsidyClaim.Status.REJECTED).first()
    if claim is None:  # only reachable if data were edited by hand
        raise ConflictError("claim_missing", "未找到该学员的培训补贴申领记录")
    return claim


def _approve(enrollment: Enrollment, user, payload: dict) -> None:
    from apps.training.services import claim_decide

    claim_decide(claim=_training_claim(enrollment), user=user, decision="approve")


def _reject(enrollment: Enrollment, user, payload: dict) -> None:
    from apps.training.services import claim_decide

    claim_decide(claim=_training_claim(enrollment), user=user, decision="reject")


def _pay(enrollment: Enrollment, user, payload: dict) -> None:
    from apps.training.services import claim_decide

    claim_decide(claim=_training_claim(enrollment), user=user, decision="pay")


@dataclass(frozen=True)
class Transition:
    target: str
    guards: tuple[Guard, ...] = ()
    effect: Effect | None = None


_CLAIMABLE = (S.COMPLETED, S.ASSESSED, S.EMPLOYMENT_VERIFIED)

TRANSITIONS: dict[tuple[str, str], Transition] = {
    (S.REGISTERED, "enroll"): Transition(S.ENROLLED, (_capacity,)),
    (S.REGISTERED, "drop_out"): Transition(S.DROPPED_OUT),
    (S.ENROLLED, "start"): Transition(S.IN_TRAINING),
    (S.ENROLLED, "drop_out"): Transition(S.DROPPED_OUT),
    (S.IN_TRAINING, "complete"): Transition(S.COMPLETED, effect=_complete),
    (S.IN_TRAINING, "drop_out"): Transition(S.DROPPED_OUT),
    (S.COMPLETED, "assess"): Transition(S.ASSESSED, effect=_assess),
    (S.COMPLETED, "verify_employment"): Transition(S.EMPLOYMENT_VERIFIED, effect=_verify_employment),
    (S.ASSESSED, "verify_employment"): Transition(S.EMPLOYMENT_VERIFIED, effect=_verify_employment),
    # Offered from completion on, so a premature claim is refused with the rule's own reason.
    **{(state, "claim_subsidy"): Transition(S.SUBSIDY_CLAIMED, (_employment_verified,), _claim)
       for state in _CLAIMABLE},
    (S.SUBSIDY_CLAIMED, "approve"): Transition(S.APPROVED, (_reviewer,), _approve),
    (S.SUBSIDY_CLAIMED, "reject"): Transition(S.EMPLOYMENT_VERIFIED, (_reviewer,), _reject),
    (S.APPROVED, "pay"): Transition(S.PAID, (_reviewer,), _pay),
}

# The happy path, for the stepper on the enrollment page.
MAIN_PATH = (S.REGISTERED, S.ENROLLED, S.IN_TRAINING, S.COMPLETED, S.ASSESSED, S.EMPLOYMENT_VERIFIED,
             S.SUBSIDY_CLAIMED, S.APPROVED, S.PAID)


def available_actions(enrollment: Enrollment, user) -> list[Action]:
    actions = [ACTIONS[action] for (state, action) in TRANSITIONS if state == enrollment.status]
    return [a for a in actions if not a.reviewer_only or user.has_role(*REVIEW_ROLES)]


def refusal(status: str, action: str) -> ConflictError:
    label = ACTIONS[action].label if action in ACTIONS else action
    return ConflictError("transition_not_allowed",
                         f"当前状态“{S(status).label}”不能执行“{label}”操作")


@transaction.atomic
def enrollment_transition(*, enrollment: Enrollment, action: str, user, note: str = "",
                          payload: dict | None = None) -> Enrollment:
    """Apply `action` to the enrollment or refuse it. Locks the row so two clicks cannot both pass."""
    if action not in ACTIONS:
        raise ApplicationError("unknown_action", f"未知的操作“{action}”", {"action": ["未知的操作"]})
    enrollment = Enrollment.objects.select_for_update().select_related("program", "person").get(pk=enrollment.pk)
    transition = TRANSITIONS.get((enrollment.status, action))
    if transition is None:
        raise refusal(enrollment.status, action)
    payload = payload or {}
    for guard in transition.guards:
        guard(enrollment, user, payload)
    from_status = enrollment.status
    try:
        with transaction.atomic():
            if transition.effect is not None:
                transition.effect(enrollment, user, payload)
            enrollment.status = transition.target
            enrollment._change_reason = f"{ACTIONS[action].label}{'：' + note if note else ''}"
            enrollment.save()
    except IntegrityError as error:
        raise ConflictError("conflict", "数据与已有记录冲突，请刷新后重试") from error
    EnrollmentTransition.objects.create(enrollment=enrollment, action=action, from_status=from_status,
                                        to_status=transition.target, by=user, note=note[:300])
    return enrollment


