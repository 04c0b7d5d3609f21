"""Writes for enrollments: registering a trainee and moving an enrollment along its lifecycle."""

import logging
from datetime import date

from django.db import IntegrityError, transaction

from apps.applicants.services import person_get_or_create
from apps.core.exceptions import ApplicationError, ConflictError
from apps.training.models import (
    Enrollment,
    EnrollmentStatus,
    EnrollmentTransition,
    Program,
    TargetGroup,
    TrainingSubsidyClaim,
)
from apps.training.services.claims import claim_decide
from apps.training.services.enrollment_lifecycle import ENROLLMENT_LIFECYCLE

logger = logging.getLogger(__name__)


@transaction.atomic
def enrollment_register(*, person, program: Program, target_group: str, phone: str = "", user=None) -> Enrollment:
    if target_group not in TargetGroup.values:
        raise ApplicationError("invalid_target_group", "人员类别不正确", {"target_group": ["请选择人员类别"]})
    if Enrollment.objects.filter(person=person, program=program).exists():
        raise ConflictError("already_enrolled", f"{person.name} 已报名培训项目“{program.name}”")
    enrollment = Enrollment.objects.create(person=person, program=program, target_group=target_group,
                                           phone=phone or person.phone, region_id=program.region_id)
    if user is not None:
        EnrollmentTransition.objects.create(enrollment=enrollment, action="register", from_status="",
                                            to_status=EnrollmentStatus.REGISTERED, by=user, note="报名")
    logger.info("enrollment registered", extra={"enrollment": enrollment.pk, "program": program.pk,
                                                "target_group": target_group, "region": enrollment.region_id})
    return enrollment


@transaction.atomic
def enrollment_register_by_id_number(*, id_number: str, name: str, phone: str, program: Program,
                                     target_group: str, user) -> Enrollment:
    person, _ = person_get_or_create(id_number=id_number, user=user,
                                     defaults={"name": name, "phone": phone, "region_id": program.region_id})
    return enrollment_register(person=person, program=program, target_group=target_group, phone=phone, user=user)


@transaction.atomic
def enrollment_transition(*, enrollment: Enrollment, action: str, user, note: str = "",
                          payload: dict | None = None) -> Enrollment:
    """Apply `action` to the enrollment or refuse it. Locks the row so two clicks cannot both pass."""
    ENROLLMENT_LIFECYCLE.get(action)  # an unknown action is refused before the row is locked
    enrollment = Enrollment.objects.select_for_update().select_related("program", "person").get(pk=enrollment.pk)
    from_status = enrollment.status
    try:
        with transaction.atomic():
            ENROLLMENT_LIFECYCLE.apply(enrollment, action, user=user, note=note, payload=payload)
    except IntegrityError as error:
        raise ConflictError("conflict", "数据与已有记录冲突，请刷新后重试") from error
    logger.info("enrollment transition applied", extra={
        "enrollment": enrollment.pk, "action": action, "from_status": from_status, "to_status": enrollment.status,
        "user": getattr(user, "pk", None)})
    return enrollment


@transaction.atomic
def claim_move(*, claim: TrainingSubsidyClaim, decision: str, user, note: str = "",
               today: date | None = None) -> TrainingSubsidyClaim:
    """A reviewer's move on a claim (publish, approve, reject, pay), whatever its kind: a training-subsidy claim
    moves with its enrollment (the enrollment lifecycle's move of the same name, which calls the claim's),
    an assessment-subsidy claim on its own (claims.claim_decide). The page's, the API's one entry point."""
    if claim.kind == TrainingSubsidyClaim.Kind.TRAINING:
        ENROLLMENT_LIFECYCLE.get(decision)
        enrollment_transition(enrollment=claim.enrollment, action=decision, user=user, note=note,
                              payload={"today": today})
        return TrainingSubsidyClaim.objects.get(pk=claim.pk)
    return claim_decide(claim=claim, user=user, decision=decision, today=today)
