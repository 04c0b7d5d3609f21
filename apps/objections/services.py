"""Writes: lodge an objection (the employer through the API, or a caseworker on its behalf), assign it, decide
it (a reviewer, never the one who entered it), attach files. Every move is an ObjectionEvent.

The window is the source's: lodging before the result is published is 409 `objection_window_not_open`,
after the last day (`publicity_ends_on` for a refund run, inclusive) 409 `objection_window_closed`.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.attachments import attachment_store
from apps.core.exceptions import ApplicationError, ConflictError, NotFoundError
from apps.core.locks import serialize
from apps.core.models import Attachment
from apps.core.scoping import user_can_see_region
from apps.objections.lifecycle import LIFECYCLE
from apps.objections.models import Objection, ObjectionEvent
from apps.objections.sources import ObjectionRow, source_get

logger = logging.getLogger(__name__)

WINDOW_NOT_OPEN = "objection_window_not_open"
WINDOW_CLOSED = "objection_window_closed"
ALREADY_OPEN = "objection_already_open"
ALREADY_OPEN_MESSAGE = "该结果已有未办结的异议，请勿重复提出。"
GROUNDS_MAX = 2000


def today():
    return timezone.localdate()


def check_window(row: ObjectionRow, on=None) -> None:
    """Raise unless an objection may be lodged against `row` on `on` (today)."""
    on = on or today()
    if row.window_opens is None or row.window_closes is None:
        raise ConflictError(WINDOW_NOT_OPEN, "结果尚未公示，暂不能提出异议。")
    if on < row.window_opens:  # published today: the window opens on the next working day
        raise ConflictError(WINDOW_NOT_OPEN, f"公示期自 {row.window_opens:%Y年%m月%d日} 开始，届时方可提出异议。")
    if on > row.window_closes:
        raise ConflictError(WINDOW_CLOSED, f"公示期已于 {row.window_closes:%Y年%m月%d日} 结束，不能再提出异议。")


def _row_or_404(*, user, source_slug: str, record_id: int, row_key: str) -> ObjectionRow:
    row = source_get(source_slug).row(record_id, str(row_key))
    if row is None or not user_can_see_region(user, row.region_code):
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    return row


def row_for(*, user, source_slug: str, record_id: int, row_key: str) -> ObjectionRow:
    """The row as the lodge form shows it (scoped: 404 outside the user's region)."""
    return _row_or_404(user=user, source_slug=source_slug, record_id=record_id, row_key=row_key)


@transaction.atomic
def objection_lodge(*, user, source_slug: str, record_id: int, row_key: str, disputed_item: str, grounds: str,
                    channel: str, subject_code: str = "") -> Objection:
    row = _row_or_404(user=user, source_slug=source_slug, record_id=record_id, row_key=row_key)
    items = dict(row.items)
    errors: dict[str, list[str]] = {}
    if disputed_item not in items:
        errors["disputed_item"] = ["请从所列的计算步骤或认定事实中选择一项"]
    if not (grounds or "").strip():
        errors["grounds"] = ["请填写异议理由"]
    elif len(grounds) > GROUNDS_MAX:
        errors["grounds"] = [f"异议理由不能超过 {GROUNDS_MAX} 字"]
    if channel == Objection.Channel.API and subject_code.strip().upper() != row.subject_code.upper():
        # The integrating system vouches for the employer; the code it passes must be the cited row's.
        errors["employer_uscc"] = ["统一社会信用代码与所异议的结果不符"]
    if errors:
        raise ApplicationError("invalid", "异议内容有误，请检查", errors)
    check_window(row)
    assert row.window_closes is not None  # check_window refuses a row without a window
    serialize(f"objection:{source_slug}:{record_id}:{row.row_key}")
    if Objection.objects.filter(source=source_slug, record_id=record_id, row_key=row.row_key,
                                status__in=Objection.OPEN).exists():
        raise ConflictError(ALREADY_OPEN, ALREADY_OPEN_MESSAGE)
    objection = Objection(
        source=source_slug, record_id=record_id, row_key=row.row_key, result_id=row.result_id,
        region_id=row.region_code, subject_name=row.subject_name[:200], subject_code=row.subject_code,
        disputed_item=disputed_item, disputed_label=items[disputed_item][:200], grounds=grounds.strip(),
        channel=channel, entered_by=user, deadline=row.window_closes)
    objection._change_reason = "提出异议"
    try:
        with transaction.atomic():
            objection.save()
    except IntegrityError:  # a concurrent lodging that the lock did not see (another database session)
        raise ConflictError(ALREADY_OPEN, ALREADY_OPEN_MESSAGE) from None
    ObjectionEvent.objects.create(objection=objection, action="lodge", to_status=objection.status, user=user,
                                  note=f"{objection.get_channel_display()}：{objection.disputed_label}")
    logger.info("objection lodged", extra={"objection": objection.pk, "source": source_slug, "record": record_id,
                                           "row": row.row_key})
    return objection


def _locked(objection_id: int) -> Objection:
    return Objection.objects.select_for_update().get(pk=objection_id)


def assignable_users(objection: Objection):
    """Active caseworkers and reviewers whose region covers the objection's."""
    User = get_user_model()
    users = User.objects.filter(is_active=True, role__in=["caseworker", "supervisor", "administrator"],
                                region__isnull=False).select_related("region").order_by("username")
    return [u for u in users if user_can_see_region(u, objection.region_id)]


@transaction.atomic
def objection_assign(*, user, objection_id: int, assignee_id: int, note: str = "") -> Objection:
    objection = _locked(objection_id)
    assignee = next((u for u in assignable_users(objection) if u.pk == assignee_id), None)
    if assignee is None:
        raise ApplicationError("invalid_assignee", "承办人须为本区划在岗的经办人或审核人",
                               {"assignee": ["不能指定该用户"]})

    def effect(obj, _user, _payload):
        obj.assignee = assignee

    transition = LIFECYCLE.get("assign")
    LIFECYCLE.check(objection, "assign", user)
    from_status = objection.status
    effect(objection, user, {})
    objection.status = transition.target
    objection._change_reason = f"指定承办人：{assignee.get_full_name() or assignee.username}"
    objection.save()
    ObjectionEvent.objects.create(objection=objection, action="assign", from_status=from_status,
                                  to_status=objection.status, user=user,
                                  note=(f"承办人：{assignee.get_full_name() or assignee.username}"
                                        + (f"；{note}" if note else "")))
    return objection


@transaction.atomic
def objection_decide(*, user, objection_id: int, decision: str, reasons: str,
                     corrected_facts: dict | None = None) -> Objection:
    """`uphold` (with the corrected facts: the source recomputes the row into a new version) or `reject`
    (the hold is released, the result unchanged)."""
    if decision not in ("uphold", "reject"):
        raise ApplicationError("invalid_decision", "决定只能是“异议成立”或“异议不成立”", {"decision": ["无效的决定"]})
    objection = _locked(objection_id)
    source = source_get(objection.source)
    corrected = dict(corrected_facts or {})
    # Role, four-eyes, state and reason first: a refusal never reaches the calculator.
    LIFECYCLE.check(objection, decision, user, note=reasons)
    if decision == "uphold" and not corrected:
        raise ApplicationError("corrected_facts_required", "异议成立须填写更正后的事实",
                               {"corrected_facts": ["请至少更正一项事实"]})

    def effect(obj, acting, _payload):
        obj.decided_by, obj.decided_at, obj.decision_reasons = acting, timezone.now(), reasons.strip()
        if decision == "uphold":
            obj.new_result_id = source.recompute(obj.record_id, obj.row_key, corrected, acting, obj)
            obj.corrected_facts = corrected

    LIFECYCLE.apply(objection, decision, user=user, note=reasons, payload={"corrected_facts": corrected},
                    save=lambda obj: _save_with(obj, effect, user))
    if source.on_decided is not None:  # in the decision's transaction: an outbox row commits with it or not at all
        source.on_decided(objection)
    logger.info("objection decided", extra={"objection": objection.pk, "decision": decision})
    return objection


def _save_with(objection: Objection, effect, user) -> None:
    effect(objection, user, {})
    objection.save()


@transaction.atomic
def objection_attach(*, user, objection_id: int, upload, description: str = "") -> Attachment:
    objection = _locked(objection_id)
    if not objection.is_open:
        raise ConflictError("objection_closed", "异议已办结，不能再添加附件。")
    attachment = attachment_store(user=user, owner=objection, region_code=objection.region_id, upload=upload,
                                  description=description)
    ObjectionEvent.objects.create(objection=objection, action="attach", from_status=objection.status,
                                  to_status=objection.status, user=user,
                                  note=f"附件：{attachment.name}（{attachment.size} 字节）")
    return attachment
