"""Writes for the training domain. Lifecycle transitions are in lifecycle.py; these are the rest."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.applicants.services import person_get_or_create
from apps.core.exceptions import ApplicationError, ConflictError
from apps.eligibility.calculators import training as training_calculator
from apps.eligibility.calculators.base import MissingParameter
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import parameter_save, parameter_snapshot
from apps.training.models import (
    Certificate,
    Enrollment,
    EnrollmentStatus,
    FollowUp,
    Program,
    ShortageReport,
    SkillLevel,
    TargetGroup,
    TrainingSubsidyClaim,
    TrainingWillingness,
    WorklistItem,
)

S = EnrollmentStatus
# After completion a certificate may still be added (e.g. the 一培双证 licence arrives later).
CERTIFIABLE = (S.COMPLETED, S.ASSESSED, S.EMPLOYMENT_VERIFIED, S.SUBSIDY_CLAIMED, S.APPROVED, S.PAID)
PROGRAM_SUBSIDY_KEY = "training.subsidy_per_program"


def _full_clean(instance, exclude=None) -> None:
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ApplicationError("invalid", "提交的数据有误", error.message_dict) from error


# ---------------------------------------------------------------- programs and demand


@transaction.atomic
def program_save(*, program: Program, shortages=(), willingness=()) -> Program:
    errors = {}
    if program.dual_certificate and not (program.second_certificate_name and program.second_certificate_issuer):
        errors["second_certificate_issuer"] = ["一培双证项目须填写第二证书名称及颁发部门"]
    unknown = set(program.target_groups) - set(TargetGroup.values)
    if unknown:
        errors["target_groups"] = [f"未知的人员类别：{'、'.join(sorted(unknown))}"]
    if program.start_date and program.end_date and program.end_date < program.start_date:
        errors["end_date"] = ["结业日期不能早于开班日期"]
    if errors:
        raise ApplicationError("program_invalid", "培训项目信息有误", errors)
    if not program.region_id:
        program.region_id = program.provider.region_id
    _full_clean(program)
    program.save()
    if shortages:
        program.shortages.add(*shortages)
    if willingness:
        program.willingness.add(*willingness)
    return program


@transaction.atomic
def program_subsidy_amount_set(*, subsidy_key: str, name: str, amount: Decimal, valid_from: date,
                               region_code: str, source_title: str) -> PolicyParameter:
    """Put one program's training-subsidy amount into the effective-dated parameter table.

    The table is one PolicyParameter row per version, so a change is a new version from `valid_from`
    carrying every other program's amount over; the old version ends the day before. Amounts stay
    admin-entered data with a legal source — never code.
    """
    if not isinstance(amount, Decimal) or amount < 0:
        raise ApplicationError("invalid_amount", "补贴金额须为非负金额", {"amount": ["请填写金额，如 1200.00"]})
    current = PolicyParameter.objects.filter(key=PROGRAM_SUBSIDY_KEY, region_id=region_code,
                                             valid_from__lte=valid_from).order_by("-valid_from").first()
    table = dict(current.value) if current else {}
    table[subsidy_key] = {"name": name, "amount": f"{amount:.2f}"}
    if current is not None and current.valid_from == valid_from:
        current.value = table
        current.source_title = source_title
        return parameter_save(parameter=current)
    if current is not None and (current.valid_to is None or current.valid_to >= valid_from):
        current.valid_to = valid_from - timedelta(days=1)
        parameter_save(parameter=current)
    return parameter_save(parameter=PolicyParameter(
        key=PROGRAM_SUBSIDY_KEY, name=current.name if current else "职业技能培训补贴标准（按培训项目）",
        value_type=PolicyParameter.ValueType.TABLE, value=table, unit="元/人", valid_from=valid_from,
        region_id=region_code, source_title=source_title))


@transaction.atomic
def shortage_report_create(*, report: ShortageReport) -> ShortageReport:
    if report.wage_min is not None and report.wage_max is not None and report.wage_max < report.wage_min:
        raise ApplicationError("invalid_wage_range", "工资上限不能低于下限", {"wage_max": ["工资上限不能低于下限"]})
    if not report.region_id:
        report.region_id = report.employer.region_id
    _full_clean(report)
    report.save()
    return report


@transaction.atomic
def willingness_register(*, person, occupation, target_group: str, registered_on: date | None = None
                         ) -> TrainingWillingness:
    existing = TrainingWillingness.objects.filter(person=person, occupation=occupation).first()
    if existing is not None:
        return existing
    item = TrainingWillingness(person=person, occupation=occupation, target_group=target_group,
                               registered_on=registered_on or timezone.localdate(), region_id=person.region_id)
    _full_clean(item)
    item.save()
    return item


# ---------------------------------------------------------------- enrollment


@transaction.atomic
def enrollment_register(*, person, program: Program, target_group: str, phone: str = "", user=None) -> Enrollment:
    from apps.training.models import EnrollmentTransition

    if target_group not in TargetGroup.values:
        raise ApplicationError("invalid_target_group", "人员类别不正确", {"target_group": ["请选择人员类别"]})
    if Enrollment.objects.filter(person=person, program=program).exists():
        raise ConflictError("already_enrolled", f"{person.name} 已报名培训项目“{program.name}”")
    enrollment = Enrollment.objects.create(person=person, program=program, target_group=target_group,
                                           phone=phone or person.phone, region_id=program.region_id)
    if user is not None:
        EnrollmentTransition.objects.create(enrollment=enrollment, action="register", from_status="",
                                            to_status=S.REGISTERED, by=user, note="报名")
    return enrollment


@transaction.atomic
def enrollment_register_by_id_number(*, id_number: str, name: str, phone: str, program: Program,
                                     target_group: str, user) -> Enrollment:
    person, _ = person_get_or_create(id_number=id_number, defaults={"name": name, "phone": phone,
                                                                    "region_id": program.region_id})
    return enrollment_register(person=person, program=program, target_group=target_group, phone=phone, user=user)


@transaction.atomic
def certificate_add(*, enrollment: Enrollment, user, data: dict, check_status: bool = True) -> Certificate:
    if check_status and enrollment.status not in CERTIFIABLE:
        raise ConflictError("not_completed", "学员结业后才能登记证书")
    kind = data.get("kind") or ""
    level = data.get("level") or ""
    errors = {}
    if kind not in Certificate.Kind.values:
        errors["kind"] = ["请选择证书类型"]
    if kind == Certificate.Kind.SKILL_LEVEL and level not in SkillLevel.values:
        errors["level"] = ["职业技能等级证书须填写等级"]
    if kind == Certificate.Kind.OPERATING_LICENCE and not enrollment.program.dual_certificate:
        errors["kind"] = ["非“一培双证”项目不登记操作证"]
    for name, label in (("number", "证书编号"), ("issuer", "发证机构")):
        if not str(data.get(name) or "").strip():
            errors[name] = [f"请填写{label}"]
    issued_on = data.get("issued_on")
    if isinstance(issued_on, str):
        try:
            issued_on = date.fromisoformat(issued_on)
        except ValueError:
            issued_on = None
    if not isinstance(issued_on, date):
        errors["issued_on"] = ["请填写发证日期（YYYY-MM-DD）"]
    if errors:
        raise ApplicationError("invalid_certificate", "证书信息有误", errors)
    if Certificate.objects.filter(kind=kind, number=str(data["number"]).strip()).exists():
        raise ConflictError("certificate_exists", "该证书编号已登记", {"number": ["该证书编号已登记"]})
    return Certificate.objects.create(
        enrollment=enrollment, kind=kind, level=level if kind == Certificate.Kind.SKILL_LEVEL else "",
        number=str(data["number"]).strip(), issued_on=issued_on, issuer=str(data["issuer"]).strip())


# ---------------------------------------------------------------- subsidies


def _calculate(enrollment: Enrollment, certificate_level: str | None):
    program = enrollment.program
    facts = training_calculator.TrainingFacts(
        program=program.subsidy_key or program.code,
        training_end_date=enrollment.completed_on or program.end_date,
        training_completed=enrollment.completed_on is not None,
        verified_employment_evidence=frozenset({enrollment.employment_evidence}) if enrollment.employment_verified
        else frozenset(),
        certificate_level=certificate_level,
    )
    try:
        params = parameter_snapshot(as_of=training_calculator.snapshot_date(facts), region_code=enrollment.region_id)
        return training_calculator.calculate(facts, params)
    except MissingParameter as error:
        raise ApplicationError("parameter_missing", str(error)) from error


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
        if certificate is None or certificate.enrollment_id != enrollment.pk or certificate.calculator_level is None:
            raise ApplicationError("no_certificate",
                                   "须凭职业技能等级证书或专项职业能力证书申领技能评价补贴")
        level, result_key = certificate.calculator_level, "assessment_subsidy"
        result = _calculate(enrollment, level)
    else:
        raise ApplicationError("invalid_kind", "补贴类型不正确")
    duplicate = TrainingSubsidyClaim.objects.filter(person_id=enrollment.person_id, occupation_id=program.occupation_id,
                                            level=level, kind=kind).exclude(status=TrainingSubsidyClaim.Status.REJECTED)
    if duplicate.exists():
        raise ConflictError("subsidy_already_claimed",
                            f"{enrollment.person.name} 已申领过{program.occupation.name}"
                            f"（{_level_label(level)}）的{TrainingSubsidyClaim.Kind(kind).label}，不能重复申领")
    amount = result.data[result_key]
    if amount <= 0:
        reasons = "；".join(r.message for r in result.reasons if r.code not in ("no_certificate",
                                                                               "employment_not_verified"))
        raise ApplicationError("not_subsidised", reasons or "该项目或等级不在补贴标准内")
    explanation = result.to_dict()
    try:
        with transaction.atomic():
            return TrainingSubsidyClaim.objects.create(
                enrollment=enrollment, person_id=enrollment.person_id, occupation_id=program.occupation_id,
                level=level, kind=kind, amount=amount, explanation=explanation,
                parameter_versions=[{"key": p["key"], "version": p["version"]} for p in explanation["parameters"]],
                claimed_by=user)
    except IntegrityError as error:  # a concurrent claim won the race
        raise ConflictError("subsidy_already_claimed", "该人员已申领过同一职业和等级的补贴，不能重复申领") from error


def _level_label(level: str) -> str:
    return str(training_calculator.CERTIFICATE_LEVELS.get(level, level))


DECISION_LABELS = {"approve": "审核通过", "reject": "驳回", "pay": "发放"}


@transaction.atomic
def claim_decide(*, claim: TrainingSubsidyClaim, user, decision: str) -> TrainingSubsidyClaim:
    """approve: claimed → approved; reject: claimed → rejected; pay: approved → paid."""
    from apps.accounts.permissions import REVIEW_ROLES

    if not user.has_role(*REVIEW_ROLES):
        raise ApplicationError("reviewer_required", "补贴审核和发放须由审核人办理")
    claim = TrainingSubsidyClaim.objects.select_for_update().get(pk=claim.pk)
    allowed = {"approve": (TrainingSubsidyClaim.Status.CLAIMED, TrainingSubsidyClaim.Status.APPROVED),
               "reject": (TrainingSubsidyClaim.Status.CLAIMED, TrainingSubsidyClaim.Status.REJECTED),
               "pay": (TrainingSubsidyClaim.Status.APPROVED, TrainingSubsidyClaim.Status.PAID)}
    if decision not in allowed:
        raise ApplicationError("unknown_action", f"未知的操作“{decision}”")
    source, target = allowed[decision]
    if claim.status != source:
        raise ConflictError("transition_not_allowed",
                            f"申领状态为“{claim.get_status_display()}”，不能{DECISION_LABELS[decision]}")
    now = timezone.now()
    claim.status = target
    if decision in ("approve", "reject"):
        claim.approved_by, claim.approved_at = user, now
    else:
        claim.paid_at = now
    claim.save()
    return claim


# ---------------------------------------------------------------- follow-ups and the worklist


@transaction.atomic
def follow_up_record(*, follow_up: FollowUp, user, data: dict) -> FollowUp:
    errors = {}
    if data.get("employment_status") not in FollowUp.EmploymentStatus.values:
        errors["employment_status"] = ["请选择就业状态"]
    if data.get("skill_level") and data["skill_level"] not in SkillLevel.values:
        errors["skill_level"] = ["等级不正确"]
    wage = data.get("monthly_wage")
    if wage not in (None, ""):
        try:
            wage = Decimal(str(wage))
            if wage < 0:
                raise ValueError
        except (ArithmeticError, ValueError):
            errors["monthly_wage"] = ["请填写月工资（元）"]
    else:
        wage = None
    if errors:
        raise ApplicationError("invalid_follow_up", "回访信息有误", errors)
    follow_up.done_on = data.get("done_on") or timezone.localdate()
    follow_up.employment_status = data["employment_status"]
    follow_up.skill_level = data.get("skill_level") or ""
    follow_up.monthly_wage = wage
    follow_up.note = (data.get("note") or "")[:300]
    follow_up.recorded_by = user
    follow_up.save()
    WorklistItem.objects.filter(follow_up=follow_up, resolved_at__isnull=True).update(resolved_at=timezone.now())
    return follow_up


# Rows per bulk insert when materialising the worklist: small rows, so a few thousand is cheap.
WORKLIST_BATCH = 2000


@transaction.atomic
def worklist_refresh(*, today: date | None = None) -> dict:
    """Idempotent: one open item per overdue follow-up (the unique key makes a re-run a no-op);
    items whose follow-up has been recorded are closed."""
    today = today or timezone.localdate()
    overdue = FollowUp.objects.filter(due_on__lt=today, done_on__isnull=True, worklist_item__isnull=True,
                                      enrollment__status__in=CERTIFIABLE)
    new = [WorklistItem(follow_up_id=pk, region_id=region, due_on=due)
           for pk, region, due in overdue.values_list("id", "enrollment__region_id", "due_on")]
    WorklistItem.objects.bulk_create(new, batch_size=WORKLIST_BATCH, ignore_conflicts=True)
    closed = WorklistItem.objects.filter(resolved_at__isnull=True, follow_up__done_on__isnull=False).update(
        resolved_at=timezone.now())
    return {"created": len(new), "closed": closed}
