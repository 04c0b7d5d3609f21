"""An official run's review (初审 → 公示 → 复核), and the run as a source of the publication service.

    computed (待初审) ──first_review──► first_reviewed ──publish──► publicizing ──approve (复核)──► approved
         │ a reviewer, not the starter    │ a reviewer:               │ a reviewer, neither the starter nor the
         │                                │ token + window            │ first reviewer; only once today > the
         └──────────── reject (a reviewer, with a reason) ◄───────────┘ window's last day (409 publicity_window_open)

Every move is a RefundRunTransition (who, when, why: apps.refunds.payment_lifecycle's recorder). Dry runs
(is_official=False) never enter this path. The list the public reads is `selectors.publicity_rows(run)`:
eligible units only, name, masked USCC, size class and amount — no person, no contact, no bank account.

Where the rest of issue 14 joins (each is one function here, documented in docs/publicity.md):
  * `publicity_open_holds(run)` — employer rows held by an open objection (apps.objections). Approval never
    waits for them: the approve move names the held rows in its record; the payment source leaves them out.
  * `on_published(run)` — the 名单公示 notice (apps.refunds.notices_out), in the publish's transaction.
"""

from __future__ import annotations

from django.utils import timezone

from apps.core.exceptions import ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.review import REVIEWER_ROLES, not_the_maker
from apps.objections.selectors import open_holds
from apps.publicity.services import WINDOW_OPEN_CODE, publication_open_onto, window_open_refusal
from apps.publicity.sources import PublicitySource, PublicRecord
from apps.refunds.models import RUN_SLUG, RefundRun
from apps.refunds.notices_out import notify_run_published
from apps.refunds.payment_lifecycle import _record
from apps.refunds.selectors import PUBLICITY_COLUMNS, PUBLICITY_SOURCE, publicity_rows

S = RefundRun.Status
DAYS_PARAMETER = "refund.publicity_working_days"


# ---------------------------------------------------------------- hooks for the other parts of issue 14

def publicity_open_holds(run: RefundRun) -> list:
    """Employer rows of `run` held by an open objection (异议), as employer-id row keys (apps.objections).

    Whatever it returns is named in the approve move's record; it never blocks the approval of the rest (the
    payment source leaves the held rows out until their objection is decided)."""
    return sorted(open_holds(RUN_SLUG, run.pk), key=int)


def on_published(run: RefundRun) -> None:
    """名单公示 notice to every eligible unit with a mobile or an e-mail (apps.refunds.notices_out), written to the
    outbox in the publish's transaction."""
    notify_run_published(run, publicity_end=run.publicity_ends_on)


# ---------------------------------------------------------------- guards and effects

def _official(run: RefundRun, user, payload: dict) -> None:
    if not run.is_official:
        raise ConflictError("run_is_dry_run", "模拟测算不进入初审、公示和复核")


def _window_passed(run: RefundRun, user, payload: dict) -> str | None:
    return window_open_refusal(run.publicity_ends_on, payload.get("today") or timezone.localdate())


def _first_reviewed(run: RefundRun, user, payload: dict) -> None:
    run.first_reviewed_by, run.first_reviewed_at = user, timezone.now()


def _published(run: RefundRun, user, payload: dict) -> None:
    publication_open_onto(run, source_key=PUBLICITY_SOURCE, region_code=run.region_id, user=user,
                          on=payload.get("today"))
    on_published(run)  # in the publish's transaction: the outbox rows commit with it, or not at all


def _approved(run: RefundRun, user, payload: dict) -> None:
    run.decided_by, run.decided_at = user, timezone.now()
    run.decision_comment = (payload.get("comment") or "").strip()[:500]


def _rejected(run: RefundRun, user, payload: dict) -> None:
    run.decided_by, run.decided_at = user, timezone.now()
    run.decision_comment = (payload.get("comment") or "").strip()[:500]


REVIEW_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("first_review", "初审通过", (S.COMPUTED,), S.FIRST_REVIEWED, roles=REVIEWER_ROLES,
                   actor_guards=(not_the_maker("started_by_id"),), guards=(_official,), effect=_first_reviewed,
                   state_code="run_not_computed", icon="check2",
                   confirm="初审通过后，本批次的返还结果不再重新计算，可发布公示。确认初审通过？"),
        Transition("publish", "发布公示", (S.FIRST_REVIEWED,), S.PUBLICIZING, roles=REVIEWER_ROLES,
                   guards=(_official,), effect=_published, state_code="run_not_first_reviewed", icon="megaphone",
                   confirm="发布后，符合条件单位的名称、脱敏信用代码、划型和返还金额将在公开页面公示（无需登录即可查看），"
                           "公示期按工作日计算。确认发布公示？"),
        Transition("approve", "复核通过", (S.PUBLICIZING,), S.APPROVED, roles=REVIEWER_ROLES,
                   actor_guards=(not_the_maker("started_by_id", "first_reviewed_by_id"),),
                   guards=(_official, _window_passed), guard_code=WINDOW_OPEN_CODE, effect=_approved,
                   state_code="run_not_computed", style="success", icon="check2-circle",
                   confirm="复核通过后，本批次的返还结果将冻结，不能再修改，并可制作发放文件。确认复核通过？"),
        Transition("reject", "退回", (S.COMPUTED, S.FAILED, S.FIRST_REVIEWED, S.PUBLICIZING), S.REJECTED,
                   roles=REVIEWER_ROLES, needs_reason=True, effect=_rejected, state_code="run_not_computed",
                   style="outline-danger", icon="x-circle",
                   confirm="退回后本批次作废（公示中的名单随即撤下），如需发放须重新发起计算。确认退回？"),
    ],
    status_label=lambda status: str(S(status).label),
    record=_record,
    reason_code="comment_required",
    reason_field="comment",
)


# ---------------------------------------------------------------- the run as a publicity source

def run_public_record(run_id: int) -> PublicRecord | None:
    run = RefundRun.objects.select_related("region").filter(pk=run_id).first()
    if run is None:
        return None
    visible = run.is_official and run.published_at is not None and run.status != S.REJECTED
    return PublicRecord(title=f"{run.year}年失业保险稳岗返还（免申即享）拟返还单位名单",
                        issuer=f"{run.region.name}社会保险经办机构", region_code=run.region_id, visible=visible)


def run_public_rows(run_id: int) -> list[list]:
    return publicity_rows(RefundRun.objects.get(pk=run_id))


SOURCE = PublicitySource(key=PUBLICITY_SOURCE, label="稳岗返还", days_parameter=DAYS_PARAMETER,
                         columns=PUBLICITY_COLUMNS, record=run_public_record, rows=run_public_rows)
