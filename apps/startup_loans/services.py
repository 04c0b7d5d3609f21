"""Writes of 创业担保贷款: applications (the target group from the status tags, the calculator's decision stored as a
Determination), their four-eyes review, the repayment schedule written by the import, and interest-subsidy claims
computed from the paid periods (four-eyes review; a returned claim frees its periods for a new claim).

Four eyes (apps.core.review): whoever registered an application or computed a claim may not approve or return it,
supervisor or not.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.applicants.models import Person
from apps.applicants.selectors import person_tags_on
from apps.core.exceptions import ApplicationError, ConflictError, NotFoundError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.locks import serialize
from apps.core.money import ZERO, round_money
from apps.core.review import REVIEWER_ROLES, not_the_maker, set_reviewer
from apps.core.scoping import user_can_see_region
from apps.core.validators import validate_uscc
from apps.eligibility.calculators import startup_loan as calculator
from apps.eligibility.calculators.base import ParameterValue
from apps.eligibility.services import determination_create
from apps.startup_loans.models import Lender, LoanApplication, RepaymentPeriod, SubsidyClaim

logger = logging.getLogger(__name__)
Status = LoanApplication.Status


def _field_error(code: str, field: str, message: str) -> ApplicationError:
    return ApplicationError(code, message, {field: [message]})


def _check_region(user, code: str | None) -> None:
    if not (code and user_can_see_region(user, code)):
        raise NotFoundError("not_found", "记录不存在或无权访问。")


@dataclass(frozen=True)
class ApplicationInput:
    application_date: date
    business_name: str
    amount_requested: Decimal
    term_months: int
    lender_bank: str
    business_uscc: str = ""
    lender_id: int | None = None  # 经办银行名录 (the payee of the subsidy); its name fills lender_bank


def _lender(user, lender_id: int | None) -> Lender | None:
    """The lender of the 名录 the user may see (one of another region reads like an unknown one)."""
    if lender_id is None:
        return None
    lender = Lender.objects.filter(pk=lender_id).first()
    if lender is None or not user_can_see_region(user, lender.region_id):
        raise _field_error("unknown_lender", "lender", "经办银行名录中没有该银行（或不在您的经办区划）")
    return lender


def _clean(data: ApplicationInput, lender: Lender | None = None) -> ApplicationInput:
    name, bank = data.business_name.strip(), (lender.name if lender else data.lender_bank.strip())
    if not name:
        raise _field_error("required", "business_name", "请填写创业项目（经营主体）名称")
    if not bank:
        raise _field_error("required", "lender_bank", "请填写经办银行")
    uscc = data.business_uscc.strip()
    if uscc:
        try:
            uscc = validate_uscc(uscc)
        except ValidationError as error:
            raise _field_error("invalid_uscc", "business_uscc", error.messages[0]) from error
    if data.amount_requested is None or data.amount_requested <= 0:
        raise _field_error("invalid_amount", "amount_requested", "申请贷款金额应大于 0")
    if round_money(data.amount_requested) != data.amount_requested:
        raise _field_error("invalid_amount", "amount_requested", "金额最多保留两位小数")
    if data.term_months is None or data.term_months < 1:
        raise _field_error("invalid_term", "term_months", "贷款期限至少 1 个月")
    if data.application_date > timezone.localdate():
        raise _field_error("invalid_date", "application_date", "申请日期不能晚于今天")
    return ApplicationInput(data.application_date, name, data.amount_requested, data.term_months, bank, uscc,
                            lender.pk if lender else None)


def target_tags(person: Person, day: date) -> frozenset[str]:
    """The person's status tags valid on `day` that name a target group (public_posts reads 就业困难 the same way)."""
    return frozenset(tag for tag in person_tags_on(person=person, day=day) if tag in calculator.TARGET_GROUPS)


def _decide(application: LoanApplication, user) -> None:
    tags = target_tags(application.person, application.application_date)
    facts = calculator.StartupLoanFacts(application_date=application.application_date,
                                        amount_requested=application.amount_requested,
                                        term_months=application.term_months, status_tags=tags)
    determination = determination_create(user=user, calculator=calculator.NAME, person=application.person,
                                         facts=facts, label=f"创业担保贷款 {application.business_name}"[:200])
    data = determination.result["data"]
    application.determination = determination
    application.target_groups = list(data["target_groups"])
    application.eligible = determination.eligible
    application.guaranteed_amount = determination.amount
    share = data.get("interest_subsidy_share")
    application.interest_subsidy_share = Decimal(str(share)) if share is not None else ZERO


@transaction.atomic
def application_create(*, user, person: Person, data: ApplicationInput) -> LoanApplication:
    """申请: registered for a registry person of the user's region; the calculator decides at once (stored)."""
    _check_region(user, person.region_id)
    data = _clean(data, _lender(user, data.lender_id))
    application = LoanApplication(person=person, region_id=person.region_id, created_by=user,
                                  application_date=data.application_date, business_name=data.business_name,
                                  business_uscc=data.business_uscc, amount_requested=data.amount_requested,
                                  term_months=data.term_months, lender_bank=data.lender_bank,
                                  lender_id=data.lender_id)
    _decide(application, user)
    application._change_reason = "登记申请"  # type: ignore[attr-defined]
    application.save()
    application.reference = f"CDB{application.region_id}{application.pk:06d}"
    application.save(update_fields=["reference"])
    logger.info("startup loan application created", extra={
        "application": application.pk, "region": application.region_id, "eligible": application.eligible,
        "guaranteed": str(application.guaranteed_amount), "user_id": user.pk})
    return application


@transaction.atomic
def application_update(*, application: LoanApplication, user, data: ApplicationInput) -> LoanApplication:
    """Correct a submitted application (the back office); the decision is made again with the new facts."""
    application = LoanApplication.objects.select_for_update(of=("self",)).select_related("person").get(pk=application.pk)
    _check_region(user, application.region_id)
    if application.status != Status.SUBMITTED:
        raise ConflictError("not_editable", "只有待审核的申请可以修改")
    data = _clean(data, _lender(user, data.lender_id))
    application.application_date, application.business_name = data.application_date, data.business_name
    application.business_uscc, application.amount_requested = data.business_uscc, data.amount_requested
    application.term_months, application.lender_bank = data.term_months, data.lender_bank
    application.lender_id = data.lender_id
    _decide(application, user)
    application._change_reason = "修改申请并重新测算"  # type: ignore[attr-defined]
    application.save()
    return application


def _must_be_eligible(application: LoanApplication, user, payload: dict) -> str | None:
    if not application.eligible:
        reasons = "；".join(r["message"] for r in (application.determination.result["reasons"]
                                                  if application.determination else []))
        return f"资格测算不符合条件，不能审核通过：{reasons or '未测算'}"
    return None


def _log(kind: str):
    def record(obj, transition: Transition, from_status: str, user, note: str) -> None:
        logger.info(f"startup loan {kind} reviewed", extra={kind: obj.pk, "action": transition.action,
                                                            "from": from_status, "user_id": user.pk})
    return record


APPLICATION_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("approve", "审核通过", (Status.SUBMITTED,), Status.APPROVED, roles=REVIEWER_ROLES,
                   actor_guards=(not_the_maker("created_by_id"),), guards=(_must_be_eligible,),
                   guard_code="not_eligible", effect=set_reviewer, icon="check2-circle", style="success",
                   confirm="审核通过后按核定额度办理担保贷款，确定审核通过？"),
        Transition("reject", "退回", (Status.SUBMITTED,), Status.REJECTED, roles=REVIEWER_ROLES,
                   actor_guards=(not_the_maker("created_by_id"),), effect=set_reviewer, needs_reason=True,
                   style="outline-danger", icon="arrow-counterclockwise", confirm="确定退回该申请？"),
    ],
    status_label=lambda status: str(Status(status).label),
    record=_log("application"),
)


@transaction.atomic
def application_review(*, application: LoanApplication, user, action: str, note: str = "") -> LoanApplication:
    """审核通过 (only an eligible application) or 退回 (with the reason), by a reviewer who did not register it."""
    application = LoanApplication.objects.select_for_update(of=("self",)).select_related("determination").get(pk=application.pk)
    _check_region(user, application.region_id)
    APPLICATION_LIFECYCLE.apply(application, action, user=user, note=note, payload={"note": note})
    return application


@transaction.atomic
def application_set_lender(*, application: LoanApplication, user, lender_id: int) -> LoanApplication:
    """Link a loan to the lender of the 名录 (the payee of its subsidy) — a loan registered before the 名录 named its
    bank as text only. Refused while a claim of the loan is in a live disbursement file or paid: the file pays the
    account it was approved for (its hash would catch the change anyway)."""
    application = LoanApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
    _check_region(user, application.region_id)
    lender = _lender(user, lender_id)
    assert lender is not None
    if application.claims.filter(status__in=(SubsidyClaim.Status.ISSUED, SubsidyClaim.Status.PAID)).exists():
        raise ConflictError("lender_locked", "该贷款已有贴息拨付给经办银行，不能再更换经办银行")
    application.lender, application.lender_bank = lender, lender.name
    application._change_reason = f"关联经办银行：{lender.name}"[:100]  # type: ignore[attr-defined]
    application.save(update_fields=["lender", "lender_bank", "updated_at"])
    return application


# ------------------------------------------------------------------ the lender registry (经办银行名录)


@transaction.atomic
def lender_save(*, user, lender: Lender) -> Lender:
    """Create or update a lender of the user's region: the USCC checked by python-stdnum (apps.core.validators),
    the account by apps.core.bank (the model's validators)."""
    if not (lender.region_id and user_can_see_region(user, lender.region_id)):
        raise _field_error("region_out_of_scope", "region", "只能登记本区划内的经办银行")
    lender.name = (lender.name or "").strip()
    lender.bank_name, lender.bank_account_name = lender.bank_name.strip(), lender.bank_account_name.strip()
    try:
        lender.uscc = validate_uscc(lender.uscc or "")
    except ValidationError as error:
        raise _field_error("invalid_uscc", "uscc", error.messages[0]) from error
    try:
        lender.full_clean()
    except ValidationError as error:
        fields = error.message_dict
        raise ApplicationError("invalid", next(iter(fields.values()))[0] if fields else "提交的数据有误",
                               fields) from error
    created = lender.pk is None
    lender._change_reason = "登记经办银行" if created else "修改经办银行信息"  # type: ignore[attr-defined]
    lender.save()
    logger.info("startup loan lender saved", extra={"lender": lender.pk, "region": lender.region_id,
                                                    "new": created, "user_id": user.pk})
    return lender


# ------------------------------------------------------------------ the repayment schedule (written by the import)


@dataclass(frozen=True)
class PeriodRow:
    application_id: int
    region_id: str
    period: int
    due_date: date
    principal: Decimal
    interest: Decimal
    paid_date: date | None


def repayment_periods_write(*, rows: list[PeriodRow], import_batch_id: int | None) -> tuple[int, int, int]:
    """Create or update periods by (loan, period) in bulk; (created, updated, unchanged). The import's checks ran
    first (the loan approved and in scope, no claimed period changed), and the import service's transaction
    holds the whole file: nothing is committed unless every row is good."""
    keys = {(row.application_id, row.period) for row in rows}
    existing = {(p.application_id, p.period): p for p in RepaymentPeriod.objects.filter(
        application_id__in={k[0] for k in keys}, period__in={k[1] for k in keys})}
    new, changed, unchanged = [], [], 0
    fields = ("due_date", "principal", "interest", "paid_date")
    for row in rows:
        found = existing.get((row.application_id, row.period))
        if found is None:
            new.append(RepaymentPeriod(application_id=row.application_id, region_id=row.region_id, period=row.period,
                                       due_date=row.due_date, principal=row.principal, interest=row.interest,
                                       paid_date=row.paid_date, import_batch_id=import_batch_id))
        elif any(getattr(found, name) != getattr(row, name) for name in fields):
            for name in fields:
                setattr(found, name, getattr(row, name))
            found.import_batch_id = import_batch_id
            changed.append(found)
        else:
            unchanged += 1
    RepaymentPeriod.objects.bulk_create(new)
    RepaymentPeriod.objects.bulk_update(changed, [*fields, "import_batch_id"])
    return len(new), len(changed), unchanged


# ------------------------------------------------------------------ interest-subsidy claims


def _share_version(application: LoanApplication) -> ParameterValue:
    """The share decided with the application (the version its Determination used): the loan's terms."""
    stored = next((p for p in application.determination.result["parameters"] if p["key"] == calculator.SUBSIDY_SHARE),
                  None) if application.determination else None
    if stored is None:
        raise ConflictError("no_share", "该贷款的资格测算未记录贴息比例，不能计算贴息")
    return ParameterValue(key=stored["key"], value=Decimal(str(stored["value"])),
                          valid_from=date.fromisoformat(stored["valid_from"]),
                          valid_to=date.fromisoformat(stored["valid_to"]) if stored["valid_to"] else None,
                          version=stored["version"], source=stored["source"], name=stored.get("name", ""))


@transaction.atomic
def claim_create(*, application: LoanApplication, user) -> SubsidyClaim:
    """贴息申请 for every paid period of an approved loan not yet in a claim: Σ interest × share, half-up once."""
    serialize(f"startup_loans.claim:{application.pk}")
    application = LoanApplication.objects.select_for_update(of=("self",)).select_related("determination").get(pk=application.pk)
    _check_region(user, application.region_id)
    if application.status != Status.APPROVED:
        raise ConflictError("not_approved", "只有审核通过的贷款可以申请贴息")
    periods = list(RepaymentPeriod.objects.select_for_update().filter(
        application=application, paid_date__isnull=False, claim__isnull=True).order_by("period"))
    if not periods:
        raise ConflictError("nothing_to_claim", "没有已还款且未申请贴息的期次（请先导入银行还款计划）")
    share = _share_version(application)
    computed = calculator.interest_subsidy(
        [calculator.PaidPeriod(period=p.period, interest=p.interest) for p in periods], share)
    result = {
        "calculator": f"{calculator.NAME}/interest-subsidy", "calculator_version": calculator.VERSION,
        "amount": str(computed.amount), "exact": format(computed.exact, "f"),
        "steps": [{"label": s.label, "formula": s.formula, "value": s.value} for s in computed.steps],
        "parameters": [{"key": share.key, "name": share.name, "value": str(share.value),
                        "valid_from": share.valid_from.isoformat(),
                        "valid_to": share.valid_to.isoformat() if share.valid_to else None,
                        "version": share.version, "source": share.source}],
        "periods": [p.period for p in periods],
    }
    claim = SubsidyClaim.objects.create(application=application, region_id=application.region_id,
                                        periods_count=len(periods), interest_total=computed.interest_total,
                                        amount=computed.amount, explanation=result, created_by=user)
    RepaymentPeriod.objects.filter(pk__in=[p.pk for p in periods]).update(claim=claim)
    logger.info("startup loan claim computed", extra={"claim": claim.pk, "application": application.pk,
                                                      "periods": len(periods), "amount": str(claim.amount)})
    return claim


def _release_periods(claim: SubsidyClaim, user, payload: dict) -> None:
    set_reviewer(claim, user, payload)
    RepaymentPeriod.objects.filter(claim=claim).update(claim=None)


CLAIM_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("approve", "审核通过", (SubsidyClaim.Status.COMPUTED,), SubsidyClaim.Status.APPROVED,
                   roles=REVIEWER_ROLES, actor_guards=(not_the_maker("created_by_id"),), effect=set_reviewer,
                   icon="check2-circle", style="success", confirm="审核通过后贴息金额不再变更，确定审核通过？"),
        Transition("reject", "退回", (SubsidyClaim.Status.COMPUTED,), SubsidyClaim.Status.REJECTED,
                   roles=REVIEWER_ROLES, actor_guards=(not_the_maker("created_by_id"),), effect=_release_periods,
                   needs_reason=True, style="outline-danger", icon="arrow-counterclockwise",
                   confirm="退回后这些期次可重新申请贴息，确定退回？"),
    ],
    status_label=lambda status: str(SubsidyClaim.Status(status).label),
    record=_log("claim"),
)


@transaction.atomic
def claim_review(*, claim: SubsidyClaim, user, action: str, note: str = "") -> SubsidyClaim:
    claim = SubsidyClaim.objects.select_for_update().get(pk=claim.pk)
    _check_region(user, claim.region_id)
    CLAIM_LIFECYCLE.apply(claim, action, user=user, note=note, payload={"note": note})
    return claim


# ------------------------------------------------------------------ paid through apps.payments (the bank's moves)
# 贴息资金拨付经办银行: an approved claim is paid to the lender by the payment service (apps.startup_loans.payments).
# The moves below are the payment service's, not a person's: their own Lifecycle, which no page, API action or
# admin action reads (they read CLAIM_LIFECYCLE), as training's CLAIM_BANK_PAYMENT.

BANK_ISSUED, BANK_PAID = "bank_issued", "bank_paid"


def _stamp(field: str):
    def effect(claim: SubsidyClaim, user, payload: dict) -> None:
        setattr(claim, field, payload["at"])
    return effect


CLAIM_BANK_PAYMENT = Lifecycle(
    transitions=[
        Transition(BANK_ISSUED, "发放文件已下发银行", (SubsidyClaim.Status.APPROVED,), SubsidyClaim.Status.ISSUED,
                   effect=_stamp("issued_at")),
        Transition(BANK_PAID, "银行回盘到账", (SubsidyClaim.Status.APPROVED, SubsidyClaim.Status.ISSUED),
                   SubsidyClaim.Status.PAID, effect=_stamp("paid_at")),
    ],
    status_label=lambda status: str(SubsidyClaim.Status(status).label),
    record=_log("claim"),
)


def _bank_move(claim_id: int, action: str, *, at, user, note: str) -> bool:
    claim = SubsidyClaim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None or claim.status not in CLAIM_BANK_PAYMENT.get(action).sources:
        return False  # already moved (a second return of the same file, a re-issue): nothing changes
    CLAIM_BANK_PAYMENT.apply(claim, action, user=user, note=note, payload={"at": at})
    return True


@transaction.atomic
def claim_record_issued(*, claim_id: int, batch_id: int, issued_at, user) -> bool:
    """The claim's disbursement file went to the bank: approved → 已拨付. A re-issue file moves nothing."""
    return _bank_move(claim_id, BANK_ISSUED, at=issued_at, user=user, note=f"发放文件 #{batch_id} 已下发银行")


@transaction.atomic
def claim_record_paid(*, claim_id: int, reference: str, paid_at, user) -> bool:
    """The bank's return marked the claim's line paid: → 已到账 on the return's time. Once: a claim already paid is
    left as it is (a return imported twice does not call this again anyway)."""
    return _bank_move(claim_id, BANK_PAID, at=paid_at, user=user, note=f"银行回盘：参考号 {reference} 支付成功")
