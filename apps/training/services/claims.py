"""Training and skills-assessment subsidy claims: the amount from the calculator, then the reviewers' decisions
as one small lifecycle, CLAIM_LIFECYCLE:

已申领 → `publish` 初审通过并公示 (a reviewer who did not claim it; opens the 公示, apps.publicity source
`training.claim`, window `training.publicity_working_days` working days from the next working day) → 公示中 →
`approve` 复核通过 (a reviewer who is neither the claimer nor the first reviewer, once today is past the window's
last day — 409 publicity_window_open — and no objection on it is open — 409 objection_open) → 已审核 → `pay`
→ 已发放. `reject` 驳回 from 已申领 and 公示中 takes the public list down (a new claim is published afresh).

A training-subsidy claim moves with its enrollment (the enrollment lifecycle's claim_subsidy, publish, approve,
reject and pay call these services); an assessment-subsidy claim is decided on its own. docs/publicity.md.
"""

import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.review import REVIEWER_ROLES, check_reviewer, not_the_maker
from apps.eligibility.calculators import training as training_calculator
from apps.eligibility.calculators.base import MissingParameter, Result
from apps.eligibility.parameters import parameter_snapshot, parameter_versions_freeze
from apps.objections.guards import no_open_objection
from apps.payments.selectors import source_has_live_batch
from apps.publicity.services import (
    publication_open_onto,
    publication_withdraw,
    window_passed,
)
from apps.training.models import CLAIM_SLUG, Certificate, Enrollment, TrainingSubsidyClaim
from apps.training.notices_out import notify_claim_published
from apps.training.services.verification import claim_fingerprint

logger = logging.getLogger(__name__)

Status = TrainingSubsidyClaim.Status
PAYMENT_SOURCE = "training.claim"  # apps.training.payments
PUBLICITY_SOURCE = "training.claim"  # apps.training.publicity (record id = the claim id)
OBJECTION_SLUG = CLAIM_SLUG  # apps.training.objections (row key = the person id)
# One row per claim: an open objection on it holds the claim's 复核.
_NO_OPEN_OBJECTION = no_open_objection(OBJECTION_SLUG, lambda claim: "该补贴申领有未处理完毕的异议，异议处理后方可复核")


def _facts(enrollment: Enrollment, certificate_level: str | None) -> training_calculator.TrainingFacts:
    program = enrollment.program
    return training_calculator.TrainingFacts(
        program=program.subsidy_key or program.code,
        training_end_date=enrollment.completed_on or program.end_date,
        training_completed=enrollment.completed_on is not None,
        verified_employment_evidence=frozenset({enrollment.employment_evidence}) if enrollment.employment_verified
        else frozenset(),
        certificate_level=certificate_level,
    )


def _calculate(enrollment: Enrollment, certificate_level: str | None) -> Result:
    facts = _facts(enrollment, certificate_level)
    try:
        params = parameter_snapshot(as_of=training_calculator.snapshot_date(facts), region_code=enrollment.region_id)
        return training_calculator.calculate(facts, params)
    except MissingParameter as error:
        raise ApplicationError("parameter_missing", str(error)) from error


def _level_label(level: str) -> str:
    return str(training_calculator.CERTIFICATE_LEVELS.get(level, level))


@transaction.atomic
def subsidy_claim_create(*, enrollment: Enrollment, user, kind: str, certificate: Certificate | None = None
                         ) -> TrainingSubsidyClaim:
    """Training subsidy: needs verified employment. Assessment subsidy: needs a certificate.

    The amount is the calculator's, from the parameters in force on the training end date; the
    explanation and the parameter versions are stored with the claim so it can be shown and recomputed.
    """
    program = enrollment.program
    if kind == TrainingSubsidyClaim.Kind.TRAINING:
        if not enrollment.employment_verified:
            raise ApplicationError("employment_not_verified",
                                   "未核验劳动合同、服务协议或工资流水，不能申领培训补贴")
        level, result_key = program.target_level, "training_subsidy"
        result = _calculate(enrollment, None)
    elif kind == TrainingSubsidyClaim.Kind.ASSESSMENT:
        calculator_level = certificate.calculator_level if certificate is not None else None
        if certificate is None or certificate.enrollment_id != enrollment.pk or calculator_level is None:
            raise ApplicationError("no_certificate",
                                   "须凭职业技能等级证书或专项职业能力证书申领技能评价补贴")
        level, result_key = calculator_level, "assessment_subsidy"
        result = _calculate(enrollment, level)
    else:
        raise ApplicationError("invalid_kind", "补贴类型不正确")
    duplicate = TrainingSubsidyClaim.objects.filter(
        person_id=enrollment.person_id, occupation_id=program.occupation_id, level=level, kind=kind,
    ).exclude(status=Status.REJECTED)
    if duplicate.exists():
        raise ConflictError("subsidy_already_claimed",
                            f"{enrollment.person.name} 已申领过{program.occupation.name}"
                            f"（{_level_label(level)}）的{TrainingSubsidyClaim.Kind(kind).label}，不能重复申领")
    amount = result.data[result_key]
    if amount <= 0:
        reasons = "；".join(r.message for r in result.reasons if r.code not in ("no_certificate",
                                                                               "employment_not_verified"))
        logger.info("subsidy claim refused: not subsidised", extra={"enrollment": enrollment.pk, "kind": kind,
                                                                    "level": level})
        raise ApplicationError("not_subsidised", reasons or "该项目或等级不在补贴标准内")
    explanation = result.to_dict()
    try:
        with transaction.atomic():
            claim = TrainingSubsidyClaim.objects.create(
                enrollment=enrollment, person_id=enrollment.person_id, occupation_id=program.occupation_id,
                level=level, kind=kind, amount=amount, explanation=explanation,
                parameter_versions=[{"key": p["key"], "version": p["version"]} for p in explanation["parameters"]],
                claimed_by=user,
                **claim_fingerprint(facts=_facts(enrollment, None if kind == TrainingSubsidyClaim.Kind.TRAINING
                                                 else level), result=result))
    except IntegrityError as error:  # a concurrent claim won the race
        raise ConflictError("subsidy_already_claimed", "该人员已申领过同一职业和等级的补贴，不能重复申领") from error
    parameter_versions_freeze(versions=claim.parameter_versions,
                              on=enrollment.completed_on or program.end_date)
    logger.info("subsidy claim computed", extra={"claim": claim.pk, "enrollment": enrollment.pk, "kind": kind,
                                                 "level": level, "amount": f"{amount}",
                                                 "parameter_versions": claim.parameter_versions})
    return claim


# ---------------------------------------------------------------- the reviewer's decisions


def _record_approval(claim: TrainingSubsidyClaim, user, payload: dict) -> None:
    claim.approved_by, claim.approved_at = user, timezone.now()


def _published(claim: TrainingSubsidyClaim, user, payload: dict) -> None:
    """初审通过: the first reviewer, and the publication (token + window) opened in the move's transaction; the
    person hears of it (短信, apps.training.notices_out) in the same transaction."""
    claim.reviewed_by, claim.reviewed_at = user, timezone.now()
    publication = publication_open_onto(claim, source_key=PUBLICITY_SOURCE, region_code=claim.enrollment.region_id,
                                        user=user, on=payload.get("today"))
    notify_claim_published(claim, publication)


def _rejected(claim: TrainingSubsidyClaim, user, payload: dict) -> None:
    """驳回: recorded as the decision; a claim on the public list comes down."""
    _record_approval(claim, user, payload)
    publication_withdraw(source_key=PUBLICITY_SOURCE, record_id=claim.pk, user=user, record=claim)


def _record_payment(claim: TrainingSubsidyClaim, user, payload: dict) -> None:
    claim.paid_at = timezone.now()


def _not_paid_through_a_file(claim: TrainingSubsidyClaim, user, payload: dict) -> str | None:
    """A claim in a disbursement file is paid when the bank's return says so (claim_payments), not by hand."""
    if source_has_live_batch(source_key=PAYMENT_SOURCE, source_id=claim.pk):
        return "该申领已制作发放文件，发放结果以银行回盘为准，不能手工确认发放"
    return None


# Four eyes (apps.core.review): whoever claimed the subsidy may not review, reject or pay it.
NOT_THE_CLAIMANT = not_the_maker("claimed_by_id")
# 复核: neither the claimer nor the first reviewer.
NOT_THE_REVIEWERS = not_the_maker("claimed_by_id", "reviewed_by_id")

CLAIM_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("publish", "初审通过并公示", (Status.CLAIMED,), Status.PUBLICIZING, roles=REVIEWER_ROLES,
                   actor_guards=(NOT_THE_CLAIMANT,), effect=_published, state_code="claim_not_claimed",
                   icon="megaphone",
                   confirm="初审通过后，学员姓名（脱敏）、职业（工种）、等级、补贴类型和金额将在公开页面公示（无需登录即可查看），"
                           "公示期按工作日计算。确认初审通过并公示？"),
        Transition("approve", "复核通过", (Status.PUBLICIZING,), Status.APPROVED, roles=REVIEWER_ROLES,
                   actor_guards=(NOT_THE_REVIEWERS,), guards=(window_passed, _NO_OPEN_OBJECTION),
                   effect=_record_approval, state_code="claim_not_publicized", style="success", icon="check2-circle",
                   confirm="复核通过后，该补贴申领进入待发放，金额不能再修改。确认复核通过？"),
        Transition("reject", "驳回", (Status.CLAIMED, Status.PUBLICIZING), Status.REJECTED, roles=REVIEWER_ROLES,
                   actor_guards=(NOT_THE_CLAIMANT,), effect=_rejected, style="outline-danger", icon="x-circle",
                   confirm="驳回后，公示中的名单随即撤下。确认驳回？"),
        Transition("pay", "发放", (Status.APPROVED,), Status.PAID, roles=REVIEWER_ROLES,
                   actor_guards=(NOT_THE_CLAIMANT,), guards=(_not_paid_through_a_file,), effect=_record_payment,
                   style="success"),
    ],
    status_label=lambda status: str(Status(status).label),
)

# The bank's move (apps.training.payments → claim_payments): no person makes it, so no face reads this table.
BANK_PAID = "bank_paid"


def _record_bank_payment(claim: TrainingSubsidyClaim, user, payload: dict) -> None:
    claim.paid_at = payload["paid_at"]


CLAIM_BANK_PAYMENT = Lifecycle(
    transitions=[Transition(BANK_PAID, "银行回盘到账", (Status.APPROVED,), Status.PAID, effect=_record_bank_payment)],
    status_label=lambda status: str(Status(status).label),
)


def claim_actions(*, claim: TrainingSubsidyClaim, user) -> list[Transition]:
    """The moves this user may make on this claim now (the enrollment page's and the API's reading)."""
    return CLAIM_LIFECYCLE.available(claim, user)


@transaction.atomic
def claim_decide(*, claim: TrainingSubsidyClaim, user, decision: str, today: date | None = None
                 ) -> TrainingSubsidyClaim:
    """publish: claimed → 公示中; approve: 公示中 → approved (after the window); reject: claimed / 公示中 →
    rejected; pay: approved → paid. Reviewers only. `today` stands for the day (tests, demo data)."""
    # Every decision is a reviewer's: say so first, whatever the decision or the claim's state.
    check_reviewer(user)
    CLAIM_LIFECYCLE.get(decision)  # an unknown decision is refused before the row is locked
    claim = TrainingSubsidyClaim.objects.select_for_update().select_related("enrollment").get(pk=claim.pk)
    from_status = claim.status
    CLAIM_LIFECYCLE.apply(claim, decision, user=user, payload={"today": today})
    logger.info("subsidy claim decided", extra={"claim": claim.pk, "decision": decision, "from_status": from_status,
                                                "to_status": claim.status, "user": user.pk})
    return claim
