"""Writes. Every change to a case goes through here: scoped, versioned, recorded.

Optimistic locking: a save names the version it started from; `_claim_version` runs
`UPDATE … SET version = version + 1 WHERE id = %s AND version = %s` and a stale version (0 rows) is
refused with the other person's values, instead of silently overwriting them.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import User
from apps.applicants.services import person_get_or_create
from apps.child_welfare import lifecycle, monitoring
from apps.child_welfare.models import (
    Assessment,
    AssessmentDomain,
    Case,
    CaseCategory,
    CaseGuardian,
    CaseTransition,
    Category,
    ChildrenDirector,
    ClosureReason,
    Domain,
    PlanItem,
    Referral,
    RiskChange,
    RiskLevel,
    SensitiveNote,
    Status,
    Visit,
)
from apps.child_welfare.selectors import case_get, child_age, has_open_case
from apps.core import audit
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.models import AccessLog, Region
from apps.core.scoping import user_can_see_region

CASE_EDITABLE = ("township", "village", "address", "referral_source", "household_situation", "household_size",
                 "director", "assigned_worker", "identity_verified", "documents_verified",
                 "at_inclusive_kindergarten", "kindergarten_approved", "urban")
PURPOSE_MIN_LENGTH = 4


class StaleVersionError(ConflictError):
    """The record changed since the user loaded it. `current` holds the values now in the database."""

    def __init__(self, *, obj, submitted: dict):
        latest = obj.history.select_related("history_user").order_by("-history_date", "-history_id").first()
        who = str(latest.history_user) if latest and latest.history_user else "其他用户"
        when = timezone.localtime(latest.history_date).strftime("%Y-%m-%d %H:%M") if latest else ""
        fields = {}
        for name, mine in submitted.items():
            theirs = getattr(obj, name)
            if _comparable(theirs) != _comparable(mine):
                fields[name] = [f"{who} 已改为：{_display(obj, name)}"]
        if not fields:
            fields["version"] = [f"{who} 已修改了此记录的其他内容"]
        super().__init__("stale_version",
                         f"{obj._meta.verbose_name}已被 {who} 于 {when} 修改（当前版本 {obj.version}），您的保存未生效。"
                         f"请核对对方的修改后重新提交。", fields)
        self.current = obj
        self.changed_by = who


def _comparable(value):
    return getattr(value, "pk", value)


def _display(obj, name: str) -> str:
    field = obj._meta.get_field(name)
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    value = getattr(obj, name)
    if isinstance(value, bool):
        return "是" if value else "否"
    return "（空）" if value in (None, "") else str(value)


def _claim_version(obj, expected: int | None, submitted: dict) -> None:
    """Bump the version in the database iff it is still `expected`; the row stays locked until commit."""
    model = type(obj)
    if expected is None:
        raise ApplicationError("version_required", "请提交所编辑记录的版本号（version）", {"version": ["必填"]})
    if model.objects.filter(pk=obj.pk, version=expected).update(version=F("version") + 1) == 0:
        raise StaleVersionError(obj=model.objects.get(pk=obj.pk), submitted=submitted)
    obj.version = expected + 1


def _save(obj, user, reason: str = "") -> None:
    obj._history_user = user
    if reason:
        obj._change_reason = reason[:100]
    obj.save()


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


# ---------------------------------------------------------------- report and edit


@transaction.atomic
def case_report(*, user, child_id_number: str, child_name: str, region_code: str, referral_source: str,
                risk_level: str = RiskLevel.MEDIUM, risk_reason: str = "", categories: list[tuple[str, date]] = (),
                guardians: list[dict] = (), assigned_worker: User | None = None, reported_on: date | None = None,
                **details) -> Case:
    """A child is reported: find or register the person, open the case, record it and schedule the first visit."""
    region = _check_region(user, region_code)
    child, _ = person_get_or_create(id_number=child_id_number, defaults={"name": child_name, "region": region})
    if child_age(child) >= 18:
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
    _save(case, user, "报告")
    for category, since in categories:
        CaseCategory.objects.create(case=case, category=category, since=since)
    for guardian in guardians:
        CaseGuardian.objects.create(case=case, **guardian)
    RiskChange.objects.create(case=case, from_level="", to_level=risk_level, reason=risk_reason or "报告时初始评定",
                              by=user)
    _record(case, user=user, action=lifecycle.REPORT, from_status="", reason="")
    return case


@transaction.atomic
def case_update(*, user, case_id: int, expected_version: int | None, data: dict) -> Case:
    unknown = set(data) - set(CASE_EDITABLE)
    if unknown:
        raise ApplicationError("unknown_field", "这些字段不能在此修改", {key: ["不可修改"] for key in unknown})
    case = case_get(user=user, pk=case_id)
    _claim_version(case, expected_version, data)
    if "assigned_worker" in data and _comparable(data["assigned_worker"]) != case.assigned_worker_id:
        if not user.is_supervisor:
            raise ApplicationError("assign_forbidden", "只有审核人或管理员可以更换责任经办人",
                                   {"assigned_worker": ["无权更换"]})
        _check_worker(data["assigned_worker"], case.region_id)
    director = data.get("director")
    if director is not None and not case.region_id.startswith(director.region.scope_prefix) \
            and not director.region_id.startswith(case.region_id):
        raise ApplicationError("director_out_of_region", "儿童主任不在该个案所在区划", {"director": ["区划不符"]})
    for name, value in data.items():
        setattr(case, name, value)
    _save(case, user, "编辑")
    return case


@transaction.atomic
def case_set_risk(*, user, case_id: int, expected_version: int | None, risk_level: str, reason: str) -> Case:
    if not reason.strip():
        raise ApplicationError("reason_required", "调整风险等级须说明原因", {"reason": ["必填"]})
    if risk_level not in RiskLevel.values:
        raise ApplicationError("invalid_risk_level", "风险等级无效", {"risk_level": ["请选择高、中、低"]})
    case = case_get(user=user, pk=case_id)
    _claim_version(case, expected_version, {"risk_level": risk_level})
    if case.risk_level == risk_level:
        raise ApplicationError("risk_unchanged", "风险等级未改变", {"risk_level": ["与当前等级相同"]})
    RiskChange.objects.create(case=case, from_level=case.risk_level, to_level=risk_level, reason=reason, by=user)
    case.risk_level = risk_level
    monitoring.schedule(case, today=date.today())
    _save(case, user, "调整风险等级")
    return case


# ---------------------------------------------------------------- lifecycle


def _pick_worker(region_code: str) -> User | None:
    """The caseworker closest to the region: same region first, then the county above a street."""
    workers = [w for w in User.objects.filter(role=User.Role.CASEWORKER, is_active=True, region__isnull=False)
               .select_related("region").order_by("id") if region_code.startswith(w.region.scope_prefix)]
    workers.sort(key=lambda w: -len(w.region.scope_prefix))
    return workers[0] if workers else None


@transaction.atomic
def case_transition(*, user, case_id: int, action: str, reason: str = "", closure_reason: str = "",
                    target_region_code: str = "", target_worker: User | None = None,
                    expected_version: int | None = None) -> Case:
    """Apply one row of lifecycle.TRANSITIONS. Closing as moved_out transfers the case to the target region."""
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is None:
        raise ApplicationError("unknown_action", f"未知操作：{action}", {"action": ["未知操作"]})
    case = case_get(user=user, pk=case_id, for_update=True)
    if expected_version is not None and expected_version != case.version:
        raise StaleVersionError(obj=case, submitted={})
    if case.status not in transition.sources:
        raise ApplicationError("transition_not_allowed",
                               f"当前状态“{case.get_status_display()}”不能执行“{transition.label}”",
                               {"action": [f"可执行：{'、'.join(t.label for t in lifecycle.available(case.status))}"]})
    if transition.needs_reason and not reason.strip():
        raise ApplicationError("reason_required", f"“{transition.label}”须填写原因", {"reason": ["必填"]})
    if transition.guard is not None:
        refusal = transition.guard(case)
        if refusal:
            raise ApplicationError(transition.guard_code, refusal)
    from_status = case.status
    today = date.today()
    extra = {}
    if action == "close":
        if closure_reason not in ClosureReason.values:
            raise ApplicationError("closure_reason_required", "请选择结案原因", {"closure_reason": ["必填"]})
        if closure_reason == ClosureReason.MOVED_OUT:
            return _transfer(case, user=user, reason=reason, target_region_code=target_region_code,
                             target_worker=target_worker)
        case.closure_reason, case.closed_on = closure_reason, today
        extra["closure_reason"] = closure_reason
        monitoring.resolve_escalations(case, resolution="已结案")
    if action == "reopen":
        case.closure_reason, case.closed_on = "", None
    if action in ("start_service", "resume"):
        case.next_review_due = None  # schedule() sets a fresh review date
    case.status = transition.target
    case.version += 1
    monitoring.schedule(case, today=today)
    _save(case, user, transition.label)
    _record(case, user=user, action=action, from_status=from_status, reason=reason, **extra)
    return case


def _transfer(case: Case, *, user, reason: str, target_region_code: str, target_worker: User | None) -> Case:
    """Moved out: close here, hand the same case (with its whole history) to the target region's caseworker.
    The old region loses access because the case's region changes; the receiving region re-verifies."""
    target = Region.objects.filter(code=target_region_code).first()
    if target is None or target.level in (Region.Level.PROVINCE, Region.Level.PREFECTURE):
        raise ApplicationError("target_region_required", "迁出结案须选择转入的县区",
                               {"target_region": ["请选择转入县区"]})
    if target.code == case.region_id:
        raise ApplicationError("target_region_same", "转入区划不能与当前区划相同", {"target_region": ["区划相同"]})
    _check_worker(target_worker, target.code, "target_worker")
    worker = target_worker or _pick_worker(target.code)
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
    _save(case, user, f"迁出至{target.name}")
    _record(case, user=user, action=lifecycle.TRANSFER_IN, from_status=Status.CLOSED,
            reason=f"由{old_region.full_name}转入：{reason}", from_region=old_region, to_region=target)
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


# ---------------------------------------------------------------- assessment and plan


def _write_domains(assessment: Assessment, domains: dict[str, dict]) -> None:
    unknown = set(domains) - set(Domain.values)
    if unknown:
        raise ApplicationError("invalid_domain", "评估领域无效", {"domains": [f"未知领域：{'、'.join(unknown)}"]})
    for domain, values in domains.items():
        row, _ = AssessmentDomain.objects.get_or_create(assessment=assessment, domain=domain)
        row.severity, row.needs = values.get("severity", "none"), values.get("needs", "")
        row.full_clean(exclude=["assessment"])
        row.save()


@transaction.atomic
def assessment_create(*, user, case_id: int, assessed_on: date, summary: str = "",
                      domains: dict[str, dict]) -> Assessment:
    case = case_get(user=user, pk=case_id)
    if not case.is_open:
        raise ApplicationError("case_closed", "已结案的个案不能新增评估")
    assessment = Assessment(case=case, assessed_on=assessed_on, summary=summary, assessor=user)
    _save(assessment, user)
    _write_domains(assessment, domains)
    return assessment


@transaction.atomic
def assessment_update(*, user, assessment_id: int, expected_version: int | None, assessed_on: date,
                      summary: str, domains: dict[str, dict]) -> Assessment:
    from apps.child_welfare.selectors import assessment_list, child_record_get

    assessment = child_record_get(assessment_list(user=user), assessment_id)
    current_domains = {d.domain: d for d in assessment.domains.all()}
    submitted = {"assessed_on": assessed_on, "summary": summary}
    try:
        _claim_version(assessment, expected_version, submitted)
    except StaleVersionError as error:
        for domain, values in domains.items():
            row = current_domains.get(domain)
            if row and (row.severity, row.needs) != (values.get("severity", "none"), values.get("needs", "")):
                error.fields[f"domains.{domain}"] = [
                    f"{error.changed_by} 已改为：{row.get_severity_display()}；{row.needs or '（无描述）'}"]
        raise
    assessment.assessed_on, assessment.summary = assessed_on, summary
    _save(assessment, user)
    _write_domains(assessment, domains)
    return assessment


@transaction.atomic
def plan_item_save(*, user, case_id: int, item_id: int | None = None, **data) -> PlanItem:
    case = case_get(user=user, pk=case_id)
    item = PlanItem.objects.get(pk=item_id, case=case) if item_id else PlanItem(case=case)
    for name, value in data.items():
        setattr(item, name, value)
    item.full_clean(exclude=["case"])
    _save(item, user)
    return item


# ---------------------------------------------------------------- service delivery


@transaction.atomic
def visit_record(*, user, case_id: int, visited_on: date, visitors: str, findings: str, child_seen: bool = True,
                 services_delivered: str = "") -> Visit:
    case = case_get(user=user, pk=case_id, for_update=True)
    if visited_on > date.today():
        raise ApplicationError("visit_in_future", "探访日期不能晚于今天", {"visited_on": ["日期有误"]})
    visit = Visit(case=case, visited_on=visited_on, visitors=visitors, findings=findings, child_seen=child_seen,
                  services_delivered=services_delivered, recorded_by=user)
    visit.full_clean(exclude=["case", "recorded_by"])
    _save(visit, user)
    # A visit without seeing the child does not reset the clock: the child must be seen.
    if child_seen and (case.last_visit_on is None or visited_on > case.last_visit_on):
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
        case.version += 1
        case.last_visit_on = visited_on
        monitoring.schedule(case, today=date.today())
        _save(case, user, "入户探访")
        if case.next_visit_due >= date.today():
            monitoring.resolve_escalations(case, resolution=f"{visited_on:%Y-%m-%d} 已探访")
    return visit


@transaction.atomic
def referral_create(*, user, case_id: int, target_type: str, target_name: str, domain: str, request: str,
                    resource=None, referred_on: date | None = None) -> Referral:
    case = case_get(user=user, pk=case_id)
    referral = Referral(case=case, target_type=target_type, target_name=target_name, domain=domain, request=request,
                        resource=resource, referred_on=referred_on or date.today(), referred_by=user)
    referral.full_clean(exclude=["case", "referred_by", "resource"])
    _save(referral, user)
    return referral


@transaction.atomic
def referral_respond(*, user, referral_id: int, status: str, response: str, responded_on: date | None = None
                     ) -> Referral:
    from apps.child_welfare.selectors import child_record_get, referral_list

    referral = child_record_get(referral_list(user=user), referral_id)
    if status not in Referral.ReferralStatus.values or status == Referral.ReferralStatus.SENT:
        raise ApplicationError("invalid_referral_status", "请选择对方的答复结果", {"status": ["无效"]})
    referral.status, referral.response = status, response
    referral.responded_on = responded_on or date.today()
    _save(referral, user)
    return referral


@transaction.atomic
def director_save(*, director: ChildrenDirector) -> ChildrenDirector:
    director.full_clean()
    director.save()
    return director
