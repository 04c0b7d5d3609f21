"""Writes of 公益性岗位兜底安置: posts, placements (the 就业困难 check, the places, the tenure limit), exits, renewals,
and the monthly subsidy runs (start, the chunked computation, four-eyes approval).

人社建字〔2025〕84号: "对通过市场渠道确实难以实现就业的就业困难人员，予以托底安置" — so a placement needs the person's
status tag 就业困难 valid on the start date. The numbers (tenure limit, near-retirement years, monthly subsidies) are
parameters `public_posts.*` in force on the relevant date for the post's region.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.applicants.models import Person, StatusTag
from apps.applicants.selectors import person_tags_on
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.locks import serialize
from apps.core.models import Region
from apps.core.review import REVIEWER_ROLES, not_the_maker, set_reviewer
from apps.core.scoping import filter_by_prefix, user_can_see_region
from apps.eligibility.calculators import public_post_subsidy as calculator
from apps.eligibility.calculators.base import MissingParameter, ParameterSnapshot
from apps.eligibility.parameters import parameter_snapshot, parameter_versions_freeze
from apps.public_posts.models import Placement, PublicPost, Renewal, SubsidyLine, SubsidyRun

logger = logging.getLogger(__name__)

COMPUTE_TASK = "apps.public_posts.tasks.compute_run"
# Placements computed per transaction: a rerun or a resumed run starts after the last committed chunk.
CHUNK_SIZE = 500


def _full_clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ApplicationError("invalid", "提交的数据有误", error.message_dict) from error


def _check_region(user, field: str, code: str | None) -> None:
    if not (code and user_can_see_region(user, code)):
        raise ApplicationError("region_out_of_scope", "所选记录不在您的经办范围内。",
                               {field: ["所选记录不在您的经办范围内。"]})


def _params(*, on: date, region_code: str) -> ParameterSnapshot:
    try:
        return parameter_snapshot(as_of=on, region_code=region_code)
    except MissingParameter as error:  # pragma: no cover — the snapshot itself does not raise; .get() does
        raise ApplicationError("parameter_missing", str(error)) from error


def _param(params: ParameterSnapshot, key: str):
    try:
        return params.get(key).value
    except MissingParameter as error:
        raise ApplicationError("parameter_missing", str(error)) from error


# ------------------------------------------------------------------ posts


@transaction.atomic
def post_save(*, post: PublicPost, user) -> PublicPost:
    """Create or update a post in the user's region; a registered employer names the post's 用人单位."""
    if post.employer is not None:
        _check_region(user, "employer", post.employer.region_id)
        post.employer_name = post.employer.name
    if not post.employer_name.strip():
        raise ApplicationError("employer_required", "请选择已登记的用人单位或填写用人单位名称",
                               {"employer_name": ["请选择已登记的用人单位或填写用人单位名称"]})
    _check_region(user, "region", post.region_id)
    if post.end_date and post.start_date and post.end_date < post.start_date:
        raise ApplicationError("invalid", "岗位截止日期不能早于开发日期", {"end_date": ["岗位截止日期不能早于开发日期"]})
    if post.pk is not None:
        taken = post.placements.filter(status=Placement.Status.ACTIVE).count()
        if post.places < taken:
            raise ConflictError("places_below_taken", f"该岗位现有在岗 {taken} 人，岗位数量不能少于在岗人数",
                                {"places": [f"不能少于在岗人数 {taken}"]})
    else:
        post.created_by = user
    _full_clean(post, exclude=["created_by"])
    post.save()
    logger.info("public post saved", extra={"post": post.pk, "region": post.region_id, "places": post.places})
    return post


@transaction.atomic
def post_set_status(*, post: PublicPost, user, status: str) -> PublicPost:
    if status not in PublicPost.Status.values:
        raise ApplicationError("invalid_status", "状态不正确", {"status": ["请选择开放或停用"]})
    _check_region(user, "region", post.region_id)
    post.status = status
    post._change_reason = f"岗位{PublicPost.Status(status).label}"  # type: ignore[attr-defined]
    post.save(update_fields=["status", "updated_at"])
    logger.info("public post status set", extra={"post": post.pk, "status": status})
    return post


def places_taken(post: PublicPost) -> int:
    return post.placements.filter(status=Placement.Status.ACTIVE).count()


# ------------------------------------------------------------------ placements


def difficulty_refusal(person: Person, day: date) -> str | None:
    """The Chinese reason a person may not be placed on `day`, or None: the tag 就业困难 must be valid that day."""
    if StatusTag.Tag.EMPLOYMENT_DIFFICULTY in person_tags_on(person=person, day=day):
        return None
    return (f"{person.name} 在上岗日期 {day.isoformat()} 未被认定为就业困难人员（无有效的“就业困难”身份标签），"
            "公益性岗位只安置通过市场渠道确实难以实现就业的就业困难人员")


@transaction.atomic
def placement_create(*, post: PublicPost, person: Person, start_date: date, agreed_end_date: date, user,
                     statutory_retirement_date: date | None = None) -> Placement:
    """Place a 就业困难 person on an open post with a free place; the agreed end within the tenure limit."""
    _check_region(user, "post", post.region_id)
    _check_region(user, "person", person.region_id)
    if agreed_end_date < start_date:
        raise ApplicationError("invalid", "约定终止日期不能早于上岗日期", {"agreed_end_date": ["约定终止日期不能早于上岗日期"]})
    reason = difficulty_refusal(person, start_date)
    if reason:
        raise ApplicationError("not_employment_difficulty", reason, {"person": [reason]})
    if start_date < post.start_date or (post.end_date and agreed_end_date > post.end_date):
        message = (f"安置期间须在岗位开发期内（{post.start_date.isoformat()} 至 "
                   f"{post.end_date.isoformat() if post.end_date else '长期'}）")
        raise ApplicationError("outside_post_period", message, {"start_date": [message]})
    params = _params(on=start_date, region_code=post.region_id)
    months = _param(params, "public_posts.tenure_limit_months")
    limit = calculator.tenure_last_day(start_date, months)
    if agreed_end_date > limit:
        message = f"约定终止日期超过安置期限（{months} 个月，至 {limit.isoformat()}）"
        raise ApplicationError("tenure_limit_exceeded", message, {"agreed_end_date": [message]})
    # The check of the free places and the insert are one step: a second placement on the post waits here
    # until this transaction ends, then counts this one (apps.core.locks).
    serialize(f"public_posts.post:{post.pk}")
    post = PublicPost.objects.select_for_update().get(pk=post.pk)
    if post.status != PublicPost.Status.OPEN:
        raise ConflictError("post_closed", "该岗位已停用，不能安置")
    taken = places_taken(post)
    if taken >= post.places:
        raise ConflictError("post_full", f"该岗位 {post.places} 个岗位已全部安置，不能超岗安置",
                            {"post": [f"岗位已满（{taken}/{post.places}）"]})
    if Placement.objects.filter(person=person, status=Placement.Status.ACTIVE).exists():
        raise ConflictError("already_placed", f"{person.name} 已在公益性岗位在岗，不能重复安置",
                            {"person": ["该人员已在岗"]})
    placement = Placement(post=post, person=person, region_id=post.region_id, start_date=start_date,
                          agreed_end_date=agreed_end_date, statutory_retirement_date=statutory_retirement_date,
                          created_by=user)
    _full_clean(placement, exclude=["created_by"])
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError as error:  # the one-active-placement-per-person constraint: a concurrent placement won
        raise ConflictError("already_placed", f"{person.name} 已在公益性岗位在岗，不能重复安置") from error
    logger.info("public post placement created", extra={"placement": placement.pk, "post": post.pk,
                                                        "taken": taken + 1, "places": post.places})
    return placement


def _locked(placement: Placement) -> Placement:
    return Placement.objects.select_for_update().select_related("post", "person").get(pk=placement.pk)


@transaction.atomic
def placement_exit(*, placement: Placement, user, exit_date: date, reason: str, note: str = "") -> Placement:
    """离岗: the last day in post and the reason; the place is free again."""
    placement = _locked(placement)
    _check_region(user, "placement", placement.region_id)
    if placement.status != Placement.Status.ACTIVE:
        raise ConflictError("not_active", "该安置已离岗")
    if reason not in Placement.ExitReason.values:
        raise ApplicationError("invalid", "请选择离岗原因", {"reason": ["请选择离岗原因"]})
    if exit_date < placement.start_date:
        raise ApplicationError("invalid", "离岗日期不能早于上岗日期", {"exit_date": ["离岗日期不能早于上岗日期"]})
    if exit_date > placement.agreed_end_date:
        raise ApplicationError("invalid", "离岗日期不能晚于约定终止日期（到期未续签即为离岗）",
                               {"exit_date": [f"不能晚于 {placement.agreed_end_date.isoformat()}"]})
    placement.status = Placement.Status.EXITED
    placement.exit_date, placement.exit_reason, placement.exit_note = exit_date, reason, note
    placement._change_reason = f"离岗：{Placement.ExitReason(reason).label}"  # type: ignore[attr-defined]
    placement.save()
    logger.info("public post placement exited", extra={"placement": placement.pk, "exit_date": exit_date.isoformat(),
                                                       "reason": reason})
    return placement


def renewal_check(*, placement: Placement, new_end_date: date) -> bool:
    """Raise the Chinese refusal unless the renewal may be made; True when it goes past the tenure limit (to
    retirement). The limit: `tenure_limit_months` from the first day in post; past it only for a person within
    `near_retirement_years` of statutory retirement on the renewal's first day, and never past retirement."""
    if new_end_date <= placement.agreed_end_date:
        message = f"续签终止日期须晚于现约定终止日期 {placement.agreed_end_date.isoformat()}"
        raise ApplicationError("invalid", message, {"new_end_date": [message]})
    post = placement.post
    if post.end_date and new_end_date > post.end_date:
        message = f"续签终止日期不能晚于岗位截止日期 {post.end_date.isoformat()}"
        raise ApplicationError("outside_post_period", message, {"new_end_date": [message]})
    renewal_start = placement.agreed_end_date + timedelta(days=1)
    params = _params(on=renewal_start, region_code=placement.region_id)
    months = _param(params, "public_posts.tenure_limit_months")
    limit = calculator.tenure_last_day(placement.start_date, months)
    if new_end_date <= limit:
        return False
    years = _param(params, "public_posts.near_retirement_years")
    retirement = placement.statutory_retirement_date
    refused = f"续签后超过安置期限（{months} 个月，至 {limit.isoformat()}）"
    if retirement is None:
        message = f"{refused}；未登记法定退休日期，不能按距退休不足 {years} 年延长"
        raise ApplicationError("tenure_limit_exceeded", message, {"new_end_date": [message]})
    near_from = calculator.add_months(retirement, -12 * years)
    if renewal_start < near_from:
        message = (f"{refused}；续签时距法定退休日期 {retirement.isoformat()} 超过 {years} 年"
                   f"（{near_from.isoformat()} 起方可延长至退休）")
        raise ApplicationError("tenure_limit_exceeded", message, {"new_end_date": [message]})
    if new_end_date > retirement:
        message = f"距退休不足 {years} 年的人员最长可续签至法定退休日期 {retirement.isoformat()}"
        raise ApplicationError("beyond_retirement", message, {"new_end_date": [message]})
    return True


@transaction.atomic
def placement_renew(*, placement: Placement, user, new_end_date: date, note: str = "") -> Placement:
    """续签: move the agreed end (refused past the tenure limit unless near retirement — then up to retirement)."""
    placement = _locked(placement)
    _check_region(user, "placement", placement.region_id)
    if placement.status != Placement.Status.ACTIVE:
        raise ConflictError("not_active", "该安置已离岗，不能续签")
    to_retirement = renewal_check(placement=placement, new_end_date=new_end_date)
    Renewal.objects.create(placement=placement, previous_end_date=placement.agreed_end_date, new_end_date=new_end_date,
                           to_retirement=to_retirement, note=note, renewed_by=user)
    placement.agreed_end_date = new_end_date
    placement.extended_to_retirement = placement.extended_to_retirement or to_retirement
    placement._change_reason = f"续签至 {new_end_date.isoformat()}"  # type: ignore[attr-defined]
    placement.save()
    logger.info("public post placement renewed", extra={"placement": placement.pk, "new_end": new_end_date.isoformat(),
                                                        "to_retirement": to_retirement})
    return placement


# ------------------------------------------------------------------ monthly subsidy runs


def month_last_day(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def run_placements(run: SubsidyRun):
    """Every placement of the run's region in post on some day of the month (exited ones up to their exit)."""
    first, last = run.month, month_last_day(run.month)
    queryset = Placement.objects.filter(start_date__lte=last, agreed_end_date__gte=first).exclude(exit_date__lt=first)
    return filter_by_prefix(queryset, run.region.scope_prefix).order_by("id")


def _enqueue(run_id: int) -> None:
    transaction.on_commit(lambda: current_app.tasks[COMPUTE_TASK].delay(run_id))


@transaction.atomic
def run_start(*, user, region: Region, month: date) -> SubsidyRun:
    """Start the month's run of a region (one per region and month, unless returned) and enqueue the computation."""
    _check_region(user, "region", region.pk)
    month = month.replace(day=1)
    serialize(f"public_posts.run:{region.pk}:{month.isoformat()}")
    existing = SubsidyRun.objects.filter(region=region, month=month).exclude(status=SubsidyRun.Status.REJECTED).first()
    if existing is not None:
        raise ConflictError("run_exists", f"{region.name} {month.year}年{month.month}月已有补贴发放批次（#{existing.pk}）",
                            {"month": ["该月份已有批次"]})
    run = SubsidyRun.objects.create(region=region, month=month, started_by=user)
    run.placements_total = run_placements(run).count()
    run.save(update_fields=["placements_total"])
    _enqueue(run.pk)
    logger.info("public post run started", extra={"run": run.pk, "region": region.pk, "month": month.isoformat(),
                                                  "placements": run.placements_total})
    return run


@transaction.atomic
def run_resume(*, run: SubsidyRun, user) -> SubsidyRun:
    """A failed (or stalled) run computes again from where it stopped: the lines already written stay."""
    run = SubsidyRun.objects.select_for_update().get(pk=run.pk)
    _check_region(user, "region", run.region_id)
    if run.status not in (SubsidyRun.Status.FAILED, SubsidyRun.Status.COMPUTING):
        raise ConflictError("run_not_resumable", "只有计算中或计算失败的批次可以继续计算")
    run.status, run.error = SubsidyRun.Status.COMPUTING, ""
    run.save(update_fields=["status", "error", "updated_at"])
    _enqueue(run.pk)
    return run


def _line(run: SubsidyRun, placement: Placement, params: ParameterSnapshot) -> SubsidyLine:
    facts = calculator.PublicPostSubsidyFacts(
        year=run.month.year, month=run.month.month, start_date=placement.start_date,
        agreed_end_date=placement.agreed_end_date, exit_date=placement.exit_date,
        extended_to_retirement=placement.extended_to_retirement)
    result = calculator.calculate(facts, params)
    return SubsidyLine(run=run, placement=placement, person_id=placement.person_id,
                       days_in_post=result.data["days_in_post"], days_in_month=result.data["days_in_month"],
                       amount=result.amount, explanation=result.to_dict())


def chunk_compute(*, run_id: int) -> bool:
    """Compute the next chunk of a run in one transaction; True when more remain. Idempotent: placements that
    already have a line are skipped and the (run, placement) unique index refuses a duplicate."""
    with transaction.atomic():
        run = SubsidyRun.objects.select_for_update().select_related("region").get(pk=run_id)
        if run.status != SubsidyRun.Status.COMPUTING:
            return False
        done = SubsidyLine.objects.filter(run=run).values("placement_id")
        chunk = list(run_placements(run).exclude(pk__in=done)[:CHUNK_SIZE])
        if chunk:
            params = parameter_snapshot(as_of=run.month, region_code=run.region_id)
            try:
                lines = [_line(run, placement, params) for placement in chunk]
            except MissingParameter as error:
                run.status, run.error = SubsidyRun.Status.FAILED, str(error)[:300]
                run.save(update_fields=["status", "error", "updated_at"])
                logger.warning("public post run failed", extra={"run": run.pk, "error": run.error})
                return False
            SubsidyLine.objects.bulk_create(lines, ignore_conflicts=True)
            parameter_versions_freeze(versions=lines[0].explanation["parameters"], on=run.month)
        run.placements_done = SubsidyLine.objects.filter(run=run).count()
        more = len(chunk) == CHUNK_SIZE
        if not more:
            amounts = SubsidyLine.objects.filter(run=run).values_list("amount", flat=True)
            run.total_amount = sum((Decimal(a) for a in amounts), Decimal("0.00"))
            run.placements_total = run.placements_done
            run.status = SubsidyRun.Status.COMPUTED
            logger.info("public post run computed", extra={"run": run.pk, "lines": run.placements_done,
                                                           "total": str(run.total_amount)})
        run.save()
        return more


def run_compute(*, run_id: int) -> None:
    """The task's body: chunk after chunk until none remains (each chunk commits on its own)."""
    while chunk_compute(run_id=run_id):
        pass


def _record_review(run: SubsidyRun, transition: Transition, from_status: str, user, note: str) -> None:
    logger.info("public post run reviewed", extra={"run": run.pk, "action": transition.action, "from": from_status})


RUN_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("approve", "审核通过", (SubsidyRun.Status.COMPUTED,), SubsidyRun.Status.APPROVED,
                   roles=REVIEWER_ROLES, actor_guards=(not_the_maker("started_by_id"),), effect=set_reviewer,
                   confirm="审核通过后本月补贴明细不再变更，确定审核通过？", icon="check2-circle", style="success"),
        Transition("reject", "退回", (SubsidyRun.Status.COMPUTED,), SubsidyRun.Status.REJECTED,
                   roles=REVIEWER_ROLES, actor_guards=(not_the_maker("started_by_id"),), effect=set_reviewer,
                   needs_reason=True, style="outline-danger", icon="arrow-counterclockwise",
                   confirm="退回后可重新发起本月批次，确定退回？"),
    ],
    status_label=lambda status: str(SubsidyRun.Status(status).label),
    record=_record_review,
)


@transaction.atomic
def run_review(*, run: SubsidyRun, user, action: str, note: str = "") -> SubsidyRun:
    """审核通过 or 退回 by a reviewer who did not start the run (four eyes)."""
    run = SubsidyRun.objects.select_for_update().get(pk=run.pk)
    _check_region(user, "region", run.region_id)
    RUN_LIFECYCLE.apply(run, action, user=user, note=note, payload={"note": note})
    return run
