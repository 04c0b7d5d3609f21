"""Writes: brokers, postings (with their lifecycle), worker registrations, placements and follow-ups.

Every write checks the region against the user's scope, raises ApplicationError with a Chinese message and a
stable code, and logs what it decided. A placement takes the posting's lock (apps.core.locks.serialize) and
counts the places taken under it, so two caseworkers placing the last place at once place one worker.
"""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.applicants.models import Person
from apps.applicants.services import person_get_or_create
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.locks import serialize
from apps.core.models import Region
from apps.core.scoping import user_can_see_region
from apps.gig import matching
from apps.gig.models import (
    Availability,
    AvailabilityTrade,
    Broker,
    FollowUp,
    Outcome,
    Placement,
    Posting,
    Trade,
)

logger = logging.getLogger(__name__)

BROKER_LEVELS = (Region.Level.TOWNSHIP, Region.Level.VILLAGE)
P = Posting.Status


def _check_region(user, code: str | None, field: str = "region") -> None:
    if not code or not user_can_see_region(user, code):
        raise ApplicationError("region_out_of_scope", "所选区划不在您的经办范围内。",
                               {field: ["所选区划不在您的经办范围内。"]})


def _clean(obj, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        fields = {name if name != "__all__" else "non_field_errors": [str(m) for m in messages]
                  for name, messages in error.message_dict.items()}
        first = next(iter(fields.values()))[0]
        raise ApplicationError("invalid", first, fields) from error


def person_for(*, id_number: str, name: str, phone: str, region_id: str, user) -> Person:
    """The registered person with this ID number (registered now when new), inside the user's scope."""
    person, _created = person_get_or_create(id_number=id_number, user=user,
                                            defaults={"name": name, "phone": phone, "region_id": region_id})
    if not user_can_see_region(user, person.region_id):
        raise ApplicationError("person_out_of_scope", "该人员不在您的经办范围内。",
                               {"id_number": ["该人员不在您的经办范围内。"]})
    return person


# --- Brokers ---------------------------------------------------------------------------------------------------

@transaction.atomic
def broker_register(*, broker: Broker, user) -> Broker:
    """劳务经纪人 registration at a 乡镇 or 村 (一村一名劳务经纪人: the region is the village or township served)."""
    _check_region(user, broker.region_id)
    if broker.region.level not in BROKER_LEVELS:
        raise ApplicationError("broker_region_level", "劳务经纪人应登记到乡镇（街道）或村（社区）。",
                               {"region": ["请选择乡镇（街道）或村（社区）。"]})
    if Broker.objects.filter(person_id=broker.person_id).exclude(pk=broker.pk).exists():
        raise ConflictError("broker_exists", "该人员已登记为劳务经纪人。", {"id_number": ["该人员已登记为劳务经纪人。"]})
    broker.registered_on = broker.registered_on or timezone.localdate()
    _clean(broker, exclude=["person"])
    try:
        with transaction.atomic():
            broker.save()
    except IntegrityError as error:
        raise ConflictError("broker_exists", "该人员已登记为劳务经纪人。", {"id_number": ["该人员已登记为劳务经纪人。"]}) from error
    logger.info("gig broker registered", extra={"broker_id": broker.pk, "region": broker.region_id})
    return broker


@transaction.atomic
def broker_update(*, broker: Broker, user) -> Broker:
    """Edited details of a broker (the back office): the region served (a 乡镇 or 村 in the user's scope), phone,
    registration date, note. The person and the status stay: 注销 is `broker_deregister`."""
    stored = Broker.objects.select_for_update().get(pk=broker.pk)
    _check_region(user, stored.region_id)
    if broker.person_id != stored.person_id:
        raise ApplicationError("broker_person_fixed", "劳务经纪人对应的人员不能更改；请为新人员另行登记。",
                               {"person": ["人员不能更改。"]})
    if (broker.status, broker.deregistered_on) != (stored.status, stored.deregistered_on):
        raise ApplicationError("broker_status_fixed", "经纪人状态不能在此修改；注销请使用“注销”操作。",
                               {"status": ["请使用“注销”操作。"]})
    _check_region(user, broker.region_id)
    if broker.region.level not in BROKER_LEVELS:
        raise ApplicationError("broker_region_level", "劳务经纪人应登记到乡镇（街道）或村（社区）。",
                               {"region": ["请选择乡镇（街道）或村（社区）。"]})
    _clean(broker, exclude=["person"])
    broker._history_user = user  # type: ignore[attr-defined]
    broker._change_reason = "修改经纪人信息"  # type: ignore[attr-defined]
    broker.save()
    logger.info("gig broker updated", extra={"broker_id": broker.pk, "region": broker.region_id})
    return broker


@transaction.atomic
def broker_deregister(*, broker: Broker, user, on: date | None = None, note: str = "") -> Broker:
    _check_region(user, broker.region_id)
    broker = Broker.objects.select_for_update().get(pk=broker.pk)
    if broker.status == Broker.Status.DEREGISTERED:
        raise ConflictError("broker_deregistered", "该劳务经纪人已注销。")
    broker.status = Broker.Status.DEREGISTERED
    broker.deregistered_on = on or timezone.localdate()
    broker.note = note or broker.note
    broker.save()
    logger.info("gig broker deregistered", extra={"broker_id": broker.pk})
    return broker


def _active_broker(broker: Broker | None, user, field: str = "broker") -> None:
    if broker is None:
        return
    _check_region(user, broker.region_id, field)
    if broker.status != Broker.Status.ACTIVE:
        raise ApplicationError("broker_not_active", "该劳务经纪人已注销，不能再发布岗位或撮合上岗。",
                               {field: ["该劳务经纪人已注销。"]})


# --- Postings --------------------------------------------------------------------------------------------------

POSTING_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("close", "结束招募", (P.OPEN, P.FULL), P.ENDED, style="outline-secondary", icon="stop-circle",
                   confirm="结束后该岗位不再接受撮合上岗，已上岗人员的回访照常记录。确定结束？"),
        Transition("withdraw", "撤回岗位", (P.OPEN,), P.WITHDRAWN, needs_reason=True, style="outline-danger",
                   icon="x-circle", confirm="撤回后该岗位不再公开招募。确定撤回？"),
    ],
    status_label=lambda status: str(P(status).label))


@transaction.atomic
def posting_create(*, posting: Posting, user) -> Posting:
    """A new 零工岗位, 招募中. Posted by an employer of the user's region or by an active broker."""
    _check_region(user, posting.region_id)
    if (posting.employer_id is None) == (posting.broker_id is None):
        raise ApplicationError("poster_required", "请选择发布岗位的用工单位或劳务经纪人（二选一）。",
                               {"employer": ["请选择用工单位或劳务经纪人之一。"]})
    if posting.employer_id is not None:
        _check_region(user, posting.employer.region_id, "employer")  # type: ignore[union-attr]
    _active_broker(posting.broker, user)
    if posting.start_date and posting.end_date and posting.end_date < posting.start_date:
        raise ApplicationError("invalid_dates", "用工结束日期不能早于开始日期。",
                               {"end_date": ["用工结束日期不能早于开始日期。"]})
    posting.status = P.OPEN
    posting.created_by = user
    _clean(posting, exclude=["created_by"])
    posting.save()
    logger.info("gig posting created", extra={"posting_id": posting.pk, "trade": posting.trade,
                                               "headcount": posting.headcount})
    return posting


@transaction.atomic
def posting_update(*, posting: Posting, user) -> Posting:
    """Edited details of a posting (the back office), checked as at creation, under the posting's lock: one
    poster (a broker newly named must be active), dates in order and covering every placement's start day, a
    headcount not below the places taken; 招募中/已满 then follows the places again. An ended or withdrawn posting
    stays as it is; the status moves only through POSTING_LIFECYCLE."""
    serialize(f"gig.posting.{posting.pk}")
    stored = Posting.objects.select_for_update().get(pk=posting.pk)
    _check_region(user, stored.region_id)
    if stored.status in (P.ENDED, P.WITHDRAWN):
        raise ConflictError("posting_closed", f"岗位已{stored.get_status_display()}，不能修改。")
    posting.status, posting.created_by_id = stored.status, stored.created_by_id
    _check_region(user, posting.region_id)
    if (posting.employer_id is None) == (posting.broker_id is None):
        raise ApplicationError("poster_required", "请选择发布岗位的用工单位或劳务经纪人（二选一）。",
                               {"employer": ["请选择用工单位或劳务经纪人之一。"]})
    if posting.employer_id is not None and posting.employer_id != stored.employer_id:
        _check_region(user, posting.employer.region_id, "employer")  # type: ignore[union-attr]
    if posting.broker_id != stored.broker_id:
        _active_broker(posting.broker, user)
    if posting.start_date and posting.end_date and posting.end_date < posting.start_date:
        raise ApplicationError("invalid_dates", "用工结束日期不能早于开始日期。",
                               {"end_date": ["用工结束日期不能早于开始日期。"]})
    starts = list(stored.placements.order_by("start_date").values_list("start_date", flat=True))
    if starts and not (posting.start_date <= starts[0] and starts[-1] <= posting.end_date):
        message = (f"已有人员于 {starts[0].isoformat()} 至 {starts[-1].isoformat()} 上岗，"
                   "用工期间须包含这些上岗日期。")
        raise ApplicationError("placements_outside_dates", message, {"start_date": [message]})
    taken = places_taken(stored)
    if posting.headcount is not None and posting.headcount < taken:
        message = f"已有 {taken} 人上岗，招募人数不能少于 {taken}。"
        raise ApplicationError("headcount_below_taken", message, {"headcount": [message]})
    _clean(posting, exclude=["created_by"])
    posting._history_user = user  # type: ignore[attr-defined]
    posting._change_reason = "修改岗位信息"  # type: ignore[attr-defined]
    posting.save()
    _refresh_full(posting)
    logger.info("gig posting updated", extra={"posting_id": posting.pk, "headcount": posting.headcount})
    return posting


@transaction.atomic
def posting_transition(*, posting: Posting, action: str, user, note: str = "") -> Posting:
    POSTING_LIFECYCLE.get(action)
    _check_region(user, posting.region_id)
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    POSTING_LIFECYCLE.apply(posting, action, user=user, note=note)
    logger.info("gig posting transition", extra={"posting_id": posting.pk, "action": action, "to": posting.status})
    return posting


def places_taken(posting: Posting) -> int:
    """Places held: every placement except a no-show."""
    return posting.placements.exclude(outcome=Placement.State.NO_SHOW).count()


def _refresh_full(posting: Posting) -> None:
    """招募中 ↔ 已满 follows the places taken (a no-show gives its place back)."""
    taken = places_taken(posting)
    wanted = P.FULL if taken >= posting.headcount else P.OPEN
    if posting.status in (P.OPEN, P.FULL) and posting.status != wanted:
        posting.status = wanted
        posting._change_reason = "名额已满" if wanted == P.FULL else "名额空出，重新招募"  # type: ignore[attr-defined]
        posting.save(update_fields=["status", "updated_at"])


# --- Worker registrations ----------------------------------------------------------------------------------------

@transaction.atomic
def availability_register(*, availability: Availability, trades: list[str], user) -> Availability:
    """求职登记: at least one trade; one open registration per person."""
    _check_region(user, availability.region_id)
    trades = sorted(set(trades))
    if not trades or any(t not in Trade.values for t in trades):
        raise ApplicationError("trades_required", "请至少选择一个工种。", {"trades": ["请至少选择一个工种。"]})
    if availability.available_from and availability.available_to and \
            availability.available_to < availability.available_from:
        raise ApplicationError("invalid_dates", "可上岗结束日期不能早于开始日期。",
                               {"available_to": ["可上岗结束日期不能早于开始日期。"]})
    clash = Availability.objects.filter(person_id=availability.person_id, status=Availability.Status.OPEN)
    if clash.exclude(pk=availability.pk).exists():
        raise ConflictError("availability_exists", "该人员已有求职中的登记，请先停止原登记。",
                            {"id_number": ["该人员已有求职中的登记。"]})
    _clean(availability, exclude=["person"])
    try:
        with transaction.atomic():
            availability.save()
    except IntegrityError as error:
        raise ConflictError("availability_exists", "该人员已有求职中的登记，请先停止原登记。",
                            {"id_number": ["该人员已有求职中的登记。"]}) from error
    AvailabilityTrade.objects.bulk_create([AvailabilityTrade(availability=availability, trade=t) for t in trades])
    logger.info("gig availability registered", extra={"availability_id": availability.pk, "trades": trades})
    return availability


def _closed(availability: Availability, user, payload: dict) -> None:
    availability.closed_on = payload.get("on") or timezone.localdate()
    availability.close_reason = payload["note"].strip()[:300]


AVAILABILITY_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("close", "停止求职", (Availability.Status.OPEN,), Availability.Status.CLOSED, needs_reason=True,
                   effect=_closed, style="outline-danger", icon="person-dash",
                   confirm="停止后该登记不再参与岗位匹配、不能再撮合上岗，已上岗和回访记录保留。确定停止求职？"),
    ],
    status_label=lambda status: str(Availability.Status(status).label))


@transaction.atomic
def availability_close(*, availability: Availability, user, note: str, on: date | None = None) -> Availability:
    """停止求职 (a reason required): the registration leaves the matching and can no longer be placed; its
    placements and follow-ups stay. The history row carries who and why; the person may register again later."""
    _check_region(user, availability.region_id)
    availability = Availability.objects.select_for_update().get(pk=availability.pk)
    availability._history_user = user  # type: ignore[attr-defined]  # the API's token user as well
    AVAILABILITY_LIFECYCLE.apply(availability, "close", user=user, note=note, payload={"on": on, "note": note})
    logger.info("gig availability closed", extra={"availability_id": availability.pk,
                                                   "user_id": getattr(user, "pk", None)})
    return availability


# --- Placements and follow-ups -----------------------------------------------------------------------------------

def need_of(posting: Posting) -> matching.Need:
    return matching.Need(trade=posting.trade, region_code=posting.region_id, start=posting.start_date,
                         end=posting.end_date, pay=posting.pay, pay_unit=posting.pay_unit)


def offer_of(availability: Availability, trades: list[str] | None = None) -> matching.Offer:
    return matching.Offer(key=availability.pk, trades=frozenset(availability.trade_codes if trades is None else trades),
                          region_code=availability.region_id, start=availability.available_from,
                          end=availability.available_to, expected_pay=availability.expected_pay,
                          pay_unit=availability.pay_unit)


@transaction.atomic
def placement_create(*, posting: Posting, availability: Availability, start_date: date, user,
                     broker: Broker | None = None) -> Placement:
    """撮合上岗. Refused when the posting is not 招募中, the worker does not match it (matching.evaluate's
    reasons), the start date is outside the work days or every place is taken (checked under the posting's lock)."""
    _check_region(user, posting.region_id, "posting")
    _check_region(user, availability.region_id, "availability")
    _active_broker(broker, user)
    serialize(f"gig.posting.{posting.pk}")
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    if posting.status != P.OPEN:
        raise ConflictError("posting_not_open", f"岗位当前“{posting.get_status_display()}”，不能撮合上岗。")
    if availability.status != Availability.Status.OPEN:
        raise ApplicationError("availability_closed", "该求职登记已停止，不能撮合上岗。",
                               {"availability": ["该求职登记已停止。"]})
    match = matching.evaluate(need_of(posting), offer_of(availability))
    if not match.matched:
        raise ApplicationError("not_a_match", "；".join(match.reasons), {"availability": list(match.reasons)})
    if not posting.start_date <= start_date <= posting.end_date:
        message = f"上岗日期应在用工期间 {posting.start_date.isoformat()} 至 {posting.end_date.isoformat()} 内。"
        raise ApplicationError("start_outside_posting", message, {"start_date": [message]})
    if places_taken(posting) >= posting.headcount:
        raise ConflictError("posting_full", f"该岗位招募 {posting.headcount} 人，名额已满。")
    if posting.placements.filter(availability=availability).exists():
        raise ConflictError("already_placed", "该人员已在这个岗位上岗。", {"availability": ["该人员已在这个岗位上岗。"]})
    placement = Placement.objects.create(posting=posting, availability=availability, broker=broker,
                                         start_date=start_date, match_reasons=list(match.reasons), created_by=user)
    _refresh_full(posting)
    logger.info("gig placement created", extra={"placement_id": placement.pk, "posting_id": posting.pk,
                                                 "broker_id": getattr(broker, "pk", None)})
    return placement


@transaction.atomic
def follow_up_record(*, placement: Placement, visited_on: date, outcome: str, pay_received: bool, user,
                     note: str = "") -> FollowUp:
    """回访. The latest visit's outcome and pay are the placement's; a no-show gives the place back."""
    _check_region(user, placement.posting.region_id, "placement")
    if outcome not in Outcome.values:
        raise ApplicationError("invalid_outcome", "请选择回访结果。", {"outcome": ["请选择回访结果。"]})
    if visited_on < placement.start_date and outcome != Outcome.NO_SHOW:
        message = "回访日期不能早于上岗日期（未到岗除外）。"
        raise ApplicationError("visit_before_start", message, {"visited_on": [message]})
    if visited_on > timezone.localdate():
        raise ApplicationError("visit_in_future", "回访日期不能晚于今天。", {"visited_on": ["回访日期不能晚于今天。"]})
    serialize(f"gig.posting.{placement.posting_id}")
    posting = Posting.objects.select_for_update().get(pk=placement.posting_id)
    follow_up = FollowUp.objects.create(placement=placement, visited_on=visited_on, outcome=outcome,
                                        pay_received=pay_received, note=note, recorded_by=user)
    latest = placement.follow_ups.order_by("-visited_on", "-id").first()
    assert latest is not None
    if placement.outcome == Placement.State.NO_SHOW and latest.outcome != Outcome.NO_SHOW \
            and places_taken(posting) >= posting.headcount:
        raise ConflictError("posting_full", "该岗位名额已由他人补上，不能再改为到岗。")
    placement.outcome = latest.outcome
    placement.pay_received = latest.pay_received
    placement.save(update_fields=["outcome", "pay_received", "updated_at"])
    _refresh_full(posting)
    logger.info("gig follow-up recorded", extra={"placement_id": placement.pk, "outcome": outcome})
    return follow_up
