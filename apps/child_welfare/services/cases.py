"""Writes on the case itself: report, edit, risk, the lifecycle (with the move to another region), categories,
guardians and the purpose-logged sensitive notes. Every change is scoped, versioned and recorded."""

import logging
from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.applicants.services import person_get_or_create
from apps.child_welfare import monitoring
from apps.child_welfare.ages import ADULT_AGE, child_age
from apps.child_welfare.lifecycle import CASE_LIFECYCLE, REPORT, TRANSFER_IN, closure_reason_of
from apps.child_welfare.models import (
    Case,
    CaseCategory,
    CaseGuardian,
    CaseTransition,
    Category,
    ChildrenDirector,
    ClosureReason,
    RiskChange,
    RiskLevel,
    SensitiveNote,
    Status,
)
from apps.child_welfare.selectors import case_get, caseworkers_for_region, has_open_case
from apps.child_welfare.services.locking import StaleVersionError, claim_version, comparable, save_recorded
from apps.core import audit
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.models import AccessLog, Region
from apps.core.scoping import prefix_covers, user_can_see_region

logger = logging.getLogger(__name__)

CASE_EDITABLE = ("township", "village", "address", "referral_source", "household_situation", "household_size",
                 "director", "assigned_worker", "identity_verified", "documents_verified",
                 "at_inclusive_kindergarten", "kindergarten_approved", "urban")
PURPOSE_MIN_LENGTH = 4


def _record(case: Case, *, user, action: str, from_status: str, reason: str = "", **extra) -> CaseTransition:
    return CaseTransition.objects.create(case=case, action=action, from_status=from_status, to_status=case.status,
                                         reason=reason, by=user, **extra)


def _check_region(user, region_code: str, field: str = "region") -> Region:
    region = Region.objects.filter(code=region_code).first()
    if region is None or not user_can_see_region(user, region_code):
        raise ApplicationError("region_out_of_scope", "区划不存在或不在您的经办范围内", {field: ["请选择本辖区的县区或街道"]})
    if region.level in (Region.Level.PROVINCE, Region.Level.PREFECTURE):
        raise ApplicationError("region_too_broad", "个案须落到县区及以下区划", {field: ["请选择县区、街道或村社区"]})
    return region


def _check_worker(worker: User | None, region_code: str, field: str = "assigned_worker") -> None:
    if worker is None:
        return
    if worker.role != User.Role.CASEWORKER or not worker.is_active or not user_can_see_region(worker, region_code):
        raise ApplicationError("worker_out_of_region", "责任经办人须为该区划的在岗经办人",
                               {field: ["该经办人不负责此区划"]})


def _target_worker(worker_id: int | None, region_code: str) -> User | None:
    """The receiving region's worker named by id. The caller may not see that region's accounts, so an id that
    names nobody and one of an account elsewhere get the same refusal (no existence oracle for user ids)."""
    if worker_id is None:
        return None
    worker = User.objects.filter(pk=worker_id).first()
    if worker is None:
        raise ApplicationError("worker_out_of_region", "责任经办人须为该区划的在岗经办人",
                               {"target_worker": ["该经办人不负责此区划"]})
    _check_worker(worker, region_code, "target_worker")
    return worker


def _check_director(director: ChildrenDirector | None, case: Case) -> None:
    """A children's director works in the case's region: above it (the county) or below it (a street)."""
    if director is None or prefix_covers(director.region.scope_prefix, case.region_id) \
            or prefix_covers(case.region.scope_prefix, director.region_id):
        return
    raise ApplicationError("director_out_of_region", "儿童主任不在该个案所在区划", {"director": ["区划不符"]})


# ---------------------------------------------------------------- report and edit


@transaction.atomic
def case_report(*, user, child_id_number: str, child_name: str, region_code: str, referral_source: str,
                risk_level: str = RiskLevel.MEDIUM, risk_reason: str = "",
                categories: Sequence[tuple[str, date]] = (), guardians: Sequence[dict] = (),
                assigned_worker: User | None = None, reported_on: date | None = None, **details) -> Case:
    """A child is reported: find or register the person, open the case, record it and schedule the first visit."""
    region = _check_region(user, region_code)
    child, _ = person_get_or_create(id_number=child_id_number, defaults={"name": child_name, "region": region})
    if child_age(child) >= ADULT_AGE:
        raise ApplicationError("child_adult", "该人员已年满18周岁，不属于困境儿童", {"child_id_number": ["已成年"]})
    if has_open_case(child.pk):
        raise ConflictError("open_case_exists", "该儿童已有未结案的个案，请勿重复报告",
                            {"child_id_number": ["已有未结案个案"]})
    if assigned_worker is None and user.role == User.Role.CASEWORKER:
        assigned_worker = user
    _check_worker(assigned_worker, region.code)
    unknown = {key for key in details if key not in CASE_EDITABLE}
    if unknown:
        raise ApplicationError("unknown_field", "未知字段", {key: ["未知字段"] for key in unknown})
    case = Case(child=child, region=region, referral_source=referral_source, risk_level=risk_level,
                assigned_worker=assigned_worker, reported_on=reported_on or date.today(), **details)
    monitoring.schedule(case, today=date.today())
    try:
        with transaction.atomic():
            save_recorded(case, user, "报告")
    except IntegrityError as error:  # a simultaneous report of the same child passed the check above first
        raise ConflictError("open_case_exists", "该儿童已有未结案的个案，请勿重复报告",
                            {"child_id_number": ["已有未结案个案"]}) from error
    for category, since in categories:
        CaseCategory.objects.create(case=case, category=category, since=since)
    for guardian in guardians:
        CaseGuardian.objects.create(case=case, **guardian)
    RiskChange.objects.create(case=case, from_level="", to_level=risk_level, reason=risk_reason or "报告时初始评定",
                              by=user)
    _record(case, user=user, action=REPORT, from_status="", reason="")
    logger.info("child welfare case reported", extra={
        "case_id": case.pk, "region": region.code, "risk_level": risk_level, "user_id": user.pk,
        "assigned_worker_id": assigned_worker.pk if assigned_worker else None})
    return case


@transaction.atomic
def case_update(*, user, case_id: int, expected_version: int | None, data: dict) -> Case:
    unknown = set(data) - set(CASE_EDITABLE)
    if unknown:
        raise ApplicationError("unknown_field", "这些字段不能在此修改", {key: ["不可修改"] for key in unknown})
    case = case_get(user=user, pk=case_id)
    claim_version(case, expected_version, data)
    if "assigned_worker" in data and comparable(data["assigned_worker"]) != case.assigned_worker_id:
        _check_reassign(user, case, data["assigned_worker"])
    _check_director(data.get("director"), case)
    for name, value in data.items():
        setattr(case, name, value)
    save_recorded(case, user, "编辑")
    return case


def _check_reassign(user, case: Case, worker: User | None) -> None:
    """Only a supervisor (or administrator) names another responsible worker, one of the case's region."""
    if not user.is_supervisor:
        raise ApplicationError("assign_forbidden", "只有审核人或管理员可以更换责任经办人",
                               {"assigned_worker": ["无权更换"]})
    _check_worker(worker, case.region_id)
    logger.info("child welfare case reassigned", extra={
        "case_id": case.pk, "user_id": user.pk, "assigned_worker_id": comparable(worker)})


@transaction.atomic
def case_reassign(*, user, case_id: int, worker: User) -> Case:
    """Another responsible worker for one case, without an edit form (the case list's bulk bar): the case is
    locked and its version bumped like an edit; a closed case and a case already with `worker` are refused."""
    case = case_get(user=user, pk=case_id, for_update=True)
    if case.status == Status.CLOSED:
        raise ConflictError("case_closed", "个案已结案，不能更换责任经办人")
    if case.assigned_worker_id == worker.pk:
        raise ConflictError("already_assigned", f"责任经办人已是{worker}，无需改派")
    _check_reassign(user, case, worker)
    claim_version(case, case.version, {"assigned_worker": worker})
    case.assigned_worker = worker
    save_recorded(case, user, f"改派责任经办人：{worker}")
    return case


@transaction.atomic
def case_set_risk(*, user, case_id: int, expected_version: int | None, risk_level: str, reason: str) -> Case:
    if not reason.strip():
        raise ApplicationError("reason_required", "调整风险等级须说明原因", {"reason": ["必填"]})
    if risk_level not in RiskLevel.values:
        raise ApplicationError("invalid_risk_level", "风险等级无效", {"risk_level": ["请选择高、中、低"]})
    case = case_get(user=user, pk=case_id)
    claim_version(case, expected_version, {"risk_level": risk_level})
    if case.risk_level == risk_level:
        raise ApplicationError("risk_unchanged", "风险等级未改变", {"risk_level": ["与当前等级相同"]})
    RiskChange.objects.create(case=case, from_level=case.risk_level, to_level=risk_level, reason=reason, by=user)
    logger.info("child welfare risk level changed", extra={
        "case_id": case.pk, "from_level": case.risk_level, "to_level": risk_level, "user_id": user.pk})
    case.risk_level = risk_level
    monitoring.schedule(case, today=date.today())
    save_recorded(case, user, "调整风险等级")
    return case


# ---------------------------------------------------------------- lifecycle


@transaction.atomic
def case_transition(*, user, case_id: int, action: str, reason: str = "", closure_reason: str = "",
                    target_region_code: str = "", target_worker_id: int | None = None,
                    expected_version: int | None = None) -> Case:
    """Apply one move of CASE_LIFECYCLE. Closing as moved_out transfers the case to the target region."""
    transition = CASE_LIFECYCLE.get(action)  # an unknown action is refused before the case is looked up
    case = case_get(user=user, pk=case_id, for_update=True)
    if expected_version is not None and expected_version != case.version:
        raise StaleVersionError(obj=case, submitted={})
    payload = {"closure_reason": closure_reason}
    if action == "close":
        CASE_LIFECYCLE.check(case, action, user, payload, reason)
        if closure_reason_of(payload) == ClosureReason.MOVED_OUT:
            return _transfer(case, user=user, reason=reason, target_region_code=target_region_code,
                             target_worker_id=target_worker_id)
    from_status = case.status

    def save(obj: Case) -> None:
        obj.version += 1
        monitoring.schedule(obj, today=date.today())
        save_recorded(obj, user, transition.label)

    CASE_LIFECYCLE.apply(case, action, user=user, note=reason, payload=payload, save=save)
    logger.info("child welfare case transition applied", extra={
        "case_id": case.pk, "action": action, "from_status": from_status, "to_status": case.status,
        "user_id": user.pk})
    return case


def _pick_worker(region_code: str) -> User | None:
    """The caseworker closest to the region: same region first, then the county above a street."""
    workers = caseworkers_for_region(region_code)
    return workers[0] if workers else None


def _transfer(case: Case, *, user, reason: str, target_region_code: str, target_worker_id: int | None) -> Case:
    """Moved out: close here, hand the same case (with its whole history) to the target region's caseworker.
    The old region loses access because the case's region changes; the receiving region re-verifies."""
    target = Region.objects.filter(code=target_region_code).first()
    if target is None or target.level in (Region.Level.PROVINCE, Region.Level.PREFECTURE):
        raise ApplicationError("target_region_required", "迁出结案须选择转入的县区",
                               {"target_region": ["请选择转入县区"]})
    if target.code == case.region_id:
        raise ApplicationError("target_region_same", "转入区划不能与当前区划相同", {"target_region": ["区划相同"]})
    worker = _target_worker(target_worker_id, target.code) or _pick_worker(target.code)
    old_region, from_status, today = case.region, case.status, date.today()
    case.status, case.closure_reason, case.closed_on = Status.CLOSED, ClosureReason.MOVED_OUT, today
    _record(case, user=user, action="close", from_status=from_status, reason=reason,
            closure_reason=ClosureReason.MOVED_OUT, from_region=old_region, to_region=target)
    monitoring.resolve_escalations(case, resolution="已迁出")
    case.region, case.assigned_worker, case.director = target, worker, None
    case.township = case.village = ""
    case.documents_verified = False  # local documents (低保、特困证明) are checked again where the child lives now
    case.status, case.closure_reason, case.closed_on = Status.REPORTED, "", None
    case.version += 1
    monitoring.schedule(case, today=today)
    save_recorded(case, user, f"迁出至{target.name}")
    _record(case, user=user, action=TRANSFER_IN, from_status=Status.CLOSED,
            reason=f"由{old_region.full_name}转入：{reason}", from_region=old_region, to_region=target)
    logger.info("child welfare case transferred", extra={
        "case_id": case.pk, "from_region": old_region.code, "to_region": target.code, "user_id": user.pk,
        "assigned_worker_id": worker.pk if worker else None})
    return case


# ---------------------------------------------------------------- case details


@transaction.atomic
def category_add(*, user, case_id: int, category: str, since: date, note: str = "") -> CaseCategory:
    case = case_get(user=user, pk=case_id)
    if category not in Category.values:
        raise ApplicationError("invalid_category", "困境类别无效", {"category": ["无效"]})
    try:
        with transaction.atomic():
            return CaseCategory.objects.create(case=case, category=category, since=since, note=note)
    except IntegrityError as error:
        raise ConflictError("category_exists", "该个案已有此困境类别", {"category": ["已存在"]}) from error


@transaction.atomic
def category_remove(*, user, case_id: int, category_id: int) -> None:
    case = case_get(user=user, pk=case_id)
    CaseCategory.objects.filter(case=case, pk=category_id).delete()


@transaction.atomic
def guardian_add(*, user, case_id: int, **data) -> CaseGuardian:
    case = case_get(user=user, pk=case_id)
    guardian = CaseGuardian(case=case, **data)
    guardian.full_clean()
    guardian.save()
    return guardian


@transaction.atomic
def sensitive_note_add(*, user, case_id: int, text: str) -> SensitiveNote:
    case = case_get(user=user, pk=case_id)
    if not text.strip():
        raise ApplicationError("text_required", "请填写内容", {"text": ["必填"]})
    return SensitiveNote.objects.create(case=case, text=text.strip(), by=user)


@transaction.atomic
def sensitive_notes_read(*, user, case_id: int, purpose: str, request=None) -> list[SensitiveNote]:
    """PIPL purpose-bound access: no purpose, no read; the purpose is logged with the read."""
    case = case_get(user=user, pk=case_id)
    if len(purpose.strip()) < PURPOSE_MIN_LENGTH:
        raise ApplicationError("purpose_required", "查看敏感信息须填写查看事由（至少4个字）", {"purpose": ["必填"]})
    audit.log_read(user=user, obj=case, request=request, action=AccessLog.Action.SENSITIVE, purpose=purpose.strip())
    return list(case.sensitive_notes.select_related("by"))


@transaction.atomic
def director_save(*, director: ChildrenDirector) -> ChildrenDirector:
    director.full_clean()
    director.save()
    return director
