"""The enrollment lifecycle as one table (apps.core.lifecycle): action, from which states, to which state,
who may make it, what must hold, what else it writes.

The caseworker UI draws its buttons from `ENROLLMENT_LIFECYCLE.available`, the API exposes
`POST /enrollments/{id}/transition/` with the same action names, the admin offers the same actions and
the tests walk the same table. Every move made is recorded as an EnrollmentTransition (who, when, from,
to, note); a refused one raises ApplicationError with a stable code and a Chinese reason:
unknown_action, transition_not_allowed, reviewer_required, program_full, employment_not_verified,
invalid_payload, invalid_employment (and the codes of the certificate and claim services).
The service that locks the row and applies a move is `enrollments.enrollment_transition`.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.review import REVIEWER_ROLES
from apps.training.models import (
    EmploymentEvidence,
    Enrollment,
    EnrollmentStatus,
    EnrollmentTransition,
    TrainingSubsidyClaim,
)
from apps.training.services.certificates import certificate_add
from apps.training.services.claims import (
    CLAIM_LIFECYCLE,
    NOT_THE_CLAIMANT,
    NOT_THE_REVIEWERS,
    claim_decide,
    subsidy_claim_create,
)
from apps.training.services.follow_ups import follow_ups_schedule

S = EnrollmentStatus

# ---------------------------------------------------------------- guards (a reason, or raise, to refuse)


def _capacity(enrollment: Enrollment, user, payload: dict) -> str | None:
    program = enrollment.program
    taken = program.enrollments.exclude(status__in=[S.REGISTERED, S.DROPPED_OUT]).count()
    if taken >= program.capacity:
        return f"培训项目“{program.name}”已满员（计划 {program.capacity} 人）"
    return None


def _employment_verified(enrollment: Enrollment, user, payload: dict) -> str | None:
    if not enrollment.employment_verified:
        # A 400 with the subsidy rule's own code, not a state conflict: the caseworker has a step to do.
        raise ApplicationError("employment_not_verified", "未核验劳动合同、服务协议或工资流水，不能申领培训补贴")
    return None


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
    follow_ups_schedule(enrollment=enrollment, completed_on=day)


def _assess(enrollment: Enrollment, user, payload: dict) -> None:
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
    subsidy_claim_create(enrollment=enrollment, user=user, kind=TrainingSubsidyClaim.Kind.TRAINING)


def _training_claim(enrollment: Enrollment) -> TrainingSubsidyClaim:
    claim = enrollment.claims.select_related("enrollment").filter(kind=TrainingSubsidyClaim.Kind.TRAINING).exclude(
        status=TrainingSubsidyClaim.Status.REJECTED).first()
    if claim is None:  # only reachable if data were edited by hand
        raise ConflictError("claim_missing", "未找到该学员的培训补贴申领记录")
    return claim


def _decide(decision: str):
    def effect(enrollment: Enrollment, user, payload: dict) -> None:
        claim_decide(claim=_training_claim(enrollment), user=user, decision=decision, today=payload.get("today"))

    effect.__name__ = f"_{decision}"
    return effect


def _not_the_claimant(enrollment: Enrollment, user, payload: dict) -> None:
    """Four eyes on the enrollment's buttons too: the claim's own rule (apps.core.review)."""
    NOT_THE_CLAIMANT(_training_claim(enrollment), user, payload)


def _not_the_reviewers(enrollment: Enrollment, user, payload: dict) -> None:
    """复核: neither the claimer nor the claim's first reviewer (the claim's own rule)."""
    NOT_THE_REVIEWERS(_training_claim(enrollment), user, payload)


def _record(enrollment: Enrollment, transition: Transition, from_status: str, user, note: str) -> None:
    EnrollmentTransition.objects.create(enrollment=enrollment, action=transition.action, from_status=from_status,
                                        to_status=transition.target, by=user, note=note[:300])


# ---------------------------------------------------------------- the table

# Offered from completion on, so a premature claim is refused with the rule's own reason.
CLAIMABLE = (S.COMPLETED, S.ASSESSED, S.EMPLOYMENT_VERIFIED)

# In the order the buttons appear.
ENROLLMENT_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("enroll", "录取", (S.REGISTERED,), S.ENROLLED, guards=(_capacity,), guard_code="program_full"),
        Transition("start", "开班培训", (S.ENROLLED,), S.IN_TRAINING),
        Transition("complete", "结业", (S.IN_TRAINING,), S.COMPLETED, effect=_complete, style="success"),
        Transition("drop_out", "退学", (S.REGISTERED, S.ENROLLED, S.IN_TRAINING), S.DROPPED_OUT,
                   style="outline-danger"),
        Transition("assess", "登记取证", (S.COMPLETED,), S.ASSESSED, effect=_assess, needs_form=True),
        Transition("verify_employment", "核验就业", (S.COMPLETED, S.ASSESSED), S.EMPLOYMENT_VERIFIED,
                   effect=_verify_employment, needs_form=True),
        Transition("claim_subsidy", "申领培训补贴", CLAIMABLE, S.SUBSIDY_CLAIMED, guards=(_employment_verified,),
                   effect=_claim, style="warning"),
        # 初审 → 公示 → 复核: the claim's own moves (apps.training.services.claims.CLAIM_LIFECYCLE), made through
        # the enrollment so that both move together; the claim's guards (window, objections) refuse here too.
        Transition("publish", CLAIM_LIFECYCLE.get("publish").label, (S.SUBSIDY_CLAIMED,), S.SUBSIDY_PUBLICIZING,
                   roles=REVIEWER_ROLES, actor_guards=(_not_the_claimant,), effect=_decide("publish"),
                   icon="megaphone", confirm=CLAIM_LIFECYCLE.get("publish").confirm),
        Transition("approve", CLAIM_LIFECYCLE.get("approve").label, (S.SUBSIDY_PUBLICIZING,), S.APPROVED,
                   roles=REVIEWER_ROLES, actor_guards=(_not_the_reviewers,), effect=_decide("approve"), style="success",
                   icon="check2-circle",
                   confirm="复核通过后，该学员的培训补贴申领进入待发放，金额不能再修改。确认复核通过？"),
        Transition("reject", "驳回申领", (S.SUBSIDY_CLAIMED, S.SUBSIDY_PUBLICIZING), S.EMPLOYMENT_VERIFIED,
                   roles=REVIEWER_ROLES, actor_guards=(_not_the_claimant,), effect=_decide("reject"),
                   style="outline-danger", confirm=CLAIM_LIFECYCLE.get("reject").confirm),
        Transition("pay", "确认发放", (S.APPROVED,), S.PAID, roles=REVIEWER_ROLES,
                   actor_guards=(_not_the_claimant,), effect=_decide("pay"), style="success",
                   confirm="确认发放后，该补贴记为已发放，不能撤销。确认已发放？"),
    ],
    status_label=lambda status: str(S(status).label),
    record=_record,
)

# The bank's move when the payment service's return marks a training-subsidy claim paid (claim_payments): no
# person makes it, so it is kept out of the table above, which the pages, the API and the admin read.
ENROLLMENT_BANK_PAYMENT = Lifecycle(
    transitions=[Transition("bank_paid", "银行回盘到账", (S.APPROVED,), S.PAID)],
    status_label=lambda status: str(S(status).label),
    record=_record,
)

# The happy path, for the stepper on the enrollment page and the dashboard's funnel.
MAIN_PATH = (S.REGISTERED, S.ENROLLED, S.IN_TRAINING, S.COMPLETED, S.ASSESSED, S.EMPLOYMENT_VERIFIED,
             S.SUBSIDY_CLAIMED, S.SUBSIDY_PUBLICIZING, S.APPROVED, S.PAID)
