"""Writes: a fraud case (立案), its lifecycle (调查 → 认定 → 审核生效 / 退回调查; 申诉 → 维持 / 撤销; 不予认定) and
the consequences of a finding in force: the penalty from the eligibility calculator `fraud-penalty`, stored as a
Determination (facts, explanation steps, parameter versions, fingerprint), and the person's status tag
暂停医保直接结算 through the applicants service.

Four eyes (apps.core.review): whoever made the finding may neither make it take effect, nor return it, nor decide an
appeal against it — supervisor or not.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from apps.applicants.models import StatusTag
from apps.applicants.services import status_tag_end, status_tag_open
from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.money import round_money
from apps.core.review import REVIEWER_ROLES, not_the_maker
from apps.core.scoping import user_can_see_region
from apps.eligibility.calculators import fraud_penalty
from apps.eligibility.services import determination_create
from apps.fraud.models import Appeal, Finding, FraudCase

logger = logging.getLogger(__name__)
Status = FraudCase.Status
SUSPENSION_TAG = StatusTag.Tag.DIRECT_SETTLEMENT_SUSPENDED


@transaction.atomic
def case_create(*, user, person, reported_on: date, hospital: str, amount_billed: Decimal, description: str = "",
                kind: str = FraudCase.Kind.WORK_INJURY_MEDICAL, region_code: str | None = None) -> FraudCase:
    """立案 against a registry person of the user's region; the case's region is the person's unless given."""
    if not user_can_see_region(user, person.region_id):
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    region_code = region_code or person.region_id
    if not user_can_see_region(user, region_code):
        raise ApplicationError("region_out_of_scope", "只能在您的经办区划内立案。", {"region_code": ["不在您的经办区划范围内"]})
    if amount_billed is None or amount_billed < 0:
        raise ApplicationError("invalid_amount", "医保基金已支付金额不能为负数。", {"amount_billed": ["不能为负数"]})
    if reported_on > timezone.localdate():
        raise ApplicationError("invalid_date", "线索发现日期不能晚于今天。", {"reported_on": ["不能晚于今天"]})
    if kind not in FraudCase.Kind.values:
        raise ApplicationError("invalid_kind", "未知的案件类型。", {"kind": ["未知的案件类型"]})
    case = FraudCase(person=person, region_id=region_code, kind=kind, reported_on=reported_on,
                     hospital=hospital.strip(), amount_billed=round_money(amount_billed),
                     description=description.strip(), caseworker=user, created_by=user,
                     status=Status.OPENED, status_since=timezone.now())
    case._change_reason = "立案"  # type: ignore[attr-defined]
    case.save()
    logger.info("fraud case opened", extra={"case_id": case.pk, "person_id": person.pk, "region": region_code,
                                            "amount_billed": str(case.amount_billed), "user_id": user.pk})
    return case


@transaction.atomic
def case_update(*, case: FraudCase, user) -> FraudCase:
    """Save edited facts of a case (the back office: date, hospital, description); closed cases stay as they are."""
    stored = FraudCase.objects.select_for_update().get(pk=case.pk)
    if stored.status in FraudCase.CLOSED:
        raise ApplicationError("case_closed", "案件已办结，不能修改。")
    if case.reported_on > timezone.localdate():
        raise ApplicationError("invalid_date", "线索发现日期不能晚于今天。", {"reported_on": ["不能晚于今天"]})
    case._change_reason = "修改案情"  # type: ignore[attr-defined]
    case.save(update_fields=["reported_on", "hospital", "description", "updated_at"])
    return case


# ---------------------------------------------------------------- the penalty (the calculator, stored)


def _penalty(case: FraudCase, *, user, misused: Decimal, on: date, label: str):
    """The calculator's decision, stored by the eligibility service (never recomputed here)."""
    return determination_create(user=user, calculator=fraud_penalty.NAME, person=case.person,
                                facts=fraud_penalty.FraudPenaltyFacts(misused_amount=misused, effective_date=on),
                                label=f"骗保案件 #{case.pk} {label}")


def _store_penalty(finding: Finding, determination) -> None:
    data = determination.result["data"]
    finding.determination = determination
    finding.repay_amount = Decimal(str(data["repay"]))
    finding.fine_amount = Decimal(str(data["fine"]))
    finding.suspended_from = date.fromisoformat(str(data["suspended_from"]))
    finding.suspended_until = date.fromisoformat(str(data["suspended_until"]))


def _misused_amount(case: FraudCase, payload: dict) -> Decimal:
    raw = payload.get("misused_amount")
    try:
        amount = Decimal(str(raw).strip()) if raw not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ApplicationError("invalid_amount", "请填写查实金额（元）。", {"misused_amount": ["请填写正确的金额"]})
    if amount <= 0:
        raise ApplicationError("invalid_amount", "查实金额须大于0；未查实的，请作“不予认定”。",
                               {"misused_amount": ["须大于0"]})
    if amount > case.amount_billed:
        raise ApplicationError("invalid_amount", "查实金额不能超过医保基金已支付金额。",
                               {"misused_amount": [f"不能超过 {case.amount_billed} 元"]})
    return round_money(amount)


def _today(payload: dict) -> date:
    return payload.get("today") or timezone.localdate()


# ---------------------------------------------------------------- the moves' effects


def _found(case: FraudCase, user, payload: dict) -> None:
    """认定: the finding with the penalty proposed as if it took effect today (recomputed when it does)."""
    misused = _misused_amount(case, payload)
    facts = (payload.get("facts_summary") or "").strip()
    if not facts:
        raise ApplicationError("facts_required", "请填写认定事实。", {"facts_summary": ["请填写认定事实"]})
    determination = _penalty(case, user=user, misused=misused, on=_today(payload), label="认定（拟）")
    finding = Finding.objects.filter(case=case).first() or Finding(case=case)
    finding.misused_amount, finding.facts_summary = misused, facts
    _store_penalty(finding, determination)
    finding.found_by, finding.found_at = user, timezone.now()
    finding.reviewed_by = finding.reviewed_at = finding.effective_on = None
    finding._change_reason = "作出认定"  # type: ignore[attr-defined]
    finding.save()
    case.found_by = user


def _take_effect(case: FraudCase, user, payload: dict) -> None:
    """审核通过: the penalty computed for the day it takes effect; the person's suspension tag opened."""
    finding = Finding.objects.select_for_update().get(case=case)
    today = _today(payload)
    _store_penalty(finding, _penalty(case, user=user, misused=finding.misused_amount, on=today, label="认定生效"))
    finding.reviewed_by, finding.reviewed_at, finding.effective_on = user, timezone.now(), today
    tag = status_tag_open(person=case.person, tag=SUSPENSION_TAG, since=finding.suspended_from,
                          until=finding.suspended_until, note=f"骗保案件 #{case.pk} 认定生效",
                          reason=f"骗保案件 #{case.pk} 认定生效", source=finding)
    finding.suspension_tag = tag
    finding._change_reason = "认定生效"  # type: ignore[attr-defined]
    finding.save()


def _returned(case: FraudCase, user, payload: dict) -> None:
    Finding.objects.filter(case=case).update(reviewed_by=user, reviewed_at=timezone.now())


def _appeal_lodged(case: FraudCase, user, payload: dict) -> None:
    Appeal.objects.create(case=case, reason=payload["note"], lodged_on=_today(payload), lodged_by=user)


def _pending_appeal(case: FraudCase) -> Appeal:
    return Appeal.objects.select_for_update().get(case=case, outcome=Appeal.Outcome.PENDING)


def _decide_appeal(case: FraudCase, user, payload: dict, outcome: str) -> Appeal:
    appeal = _pending_appeal(case)
    appeal.outcome, appeal.outcome_note = outcome, payload["note"]
    appeal.decided_by, appeal.decided_at = user, timezone.now()
    appeal.save()
    return appeal


def _upheld(case: FraudCase, user, payload: dict) -> None:
    _decide_appeal(case, user, payload, Appeal.Outcome.UPHELD)


def _revoked(case: FraudCase, user, payload: dict) -> None:
    """撤销: the finding no longer stands; the suspension ends the day of revocation (not later than it would)."""
    _decide_appeal(case, user, payload, Appeal.Outcome.REVOKED)
    finding = Finding.objects.select_for_update().get(case=case)
    today = _today(payload)
    finding.revoked_on = today
    finding._change_reason = "申诉撤销"  # type: ignore[attr-defined]
    finding.save()
    if finding.suspension_tag_id is not None:
        status_tag_end(tag_id=finding.suspension_tag_id, until=min(today, finding.suspended_until),
                       reason=f"骗保案件 #{case.pk} 申诉撤销")


def _log(case: FraudCase, transition: Transition, from_status: str, user, note: str) -> None:
    logger.info("fraud case %s", transition.action, extra={
        "case_id": case.pk, "action": transition.action, "from_status": from_status, "to_status": transition.target,
        "user_id": getattr(user, "pk", None)})


_NOT_THE_FINDER = not_the_maker("found_by_id")

CASE_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("investigate", "开始调查", sources=(Status.OPENED,), target=Status.INVESTIGATING, icon="search"),
        Transition("find", "作出认定", sources=(Status.INVESTIGATING,), target=Status.FOUND, effect=_found,
                   needs_form=True, icon="clipboard-check"),
        Transition("approve", "审核通过（生效）", sources=(Status.FOUND,), target=Status.EFFECTIVE,
                   roles=REVIEWER_ROLES, actor_guards=(_NOT_THE_FINDER,), effect=_take_effect, style="success",
                   icon="check2-circle",
                   confirm="审核通过后认定即生效：按生效日重新计算追回金额、罚款和暂停直接结算期间，并给当事人加上"
                           "“暂停医保直接结算”标签。确认审核通过？"),
        Transition("return", "退回调查", sources=(Status.FOUND,), target=Status.INVESTIGATING, roles=REVIEWER_ROLES,
                   actor_guards=(_NOT_THE_FINDER,), needs_reason=True, effect=_returned, style="outline-warning",
                   icon="arrow-return-left"),
        Transition("dismiss", "不予认定", sources=(Status.OPENED, Status.INVESTIGATING), target=Status.NOT_ESTABLISHED,
                   needs_reason=True, style="outline-secondary", icon="x-circle",
                   confirm="不予认定后案件即办结，不能再认定。确认不予认定？"),
        Transition("appeal", "登记申诉", sources=(Status.EFFECTIVE,), target=Status.APPEALING, needs_reason=True,
                   effect=_appeal_lodged, style="outline-primary", icon="chat-left-text"),
        Transition("uphold", "申诉维持", sources=(Status.APPEALING,), target=Status.EFFECTIVE, roles=REVIEWER_ROLES,
                   actor_guards=(_NOT_THE_FINDER,), needs_reason=True, effect=_upheld, icon="shield-check"),
        Transition("revoke", "申诉撤销", sources=(Status.APPEALING,), target=Status.REVOKED, roles=REVIEWER_ROLES,
                   actor_guards=(_NOT_THE_FINDER,), needs_reason=True, effect=_revoked, style="danger",
                   icon="x-octagon",
                   confirm="撤销后认定不再有效，当事人的“暂停医保直接结算”标签于今日终止。确认撤销？"),
    ],
    status_label=lambda status: str(Status(status).label),
    record=_log,
)


def case_offers(*, case: FraudCase, user):
    return CASE_LIFECYCLE.offers(case, user)


@transaction.atomic
def case_transition(*, case: FraudCase, action: str, user, note: str = "", misused_amount=None,
                    facts_summary: str = "", today: date | None = None) -> FraudCase:
    """Any move of the table by its action name (the UI's, the API's and the admin's one entry point)."""
    case = FraudCase.objects.select_for_update().select_related("person").get(pk=case.pk)
    note = (note or "").strip()
    payload = {"note": note, "misused_amount": misused_amount, "facts_summary": facts_summary, "today": today}
    case.status_since, case.status_note = timezone.now(), note[:500]
    CASE_LIFECYCLE.apply(case, action, user=user, note=note, payload=payload)
    return case
