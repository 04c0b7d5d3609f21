"""Review (maker-checker): who may approve what, and the four-eyes rule — one copy for every approval.

A decision on a record (approving a refund run, a childcare subsidy claim, a training subsidy claim, and
every approval to come) is a reviewer's, and never the maker's: whoever started, submitted or claimed the
record may not check it, supervisor or not. There are two refusals, each defined once here and answered the
same way by every approval flow (service, page and API): a user without a reviewer role gets code
`reviewer_required`, the maker gets code `four_eyes` — both HTTP 403 with one Chinese sentence — so a client, a
test and an auditor read one rule, not one per app.

Core sits below accounts, so the roles are named by their stored values (`accounts.User.Role`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from apps.core.exceptions import ApplicationError

# The roles that may decide (accounts.User.Role.SUPERVISOR, .ADMINISTRATOR); a superuser too.
REVIEWER_ROLES: tuple[str, ...] = ("supervisor", "administrator")

REVIEWER_CODE = "reviewer_required"
REVIEWER_MESSAGE = "该操作须由审核人办理"

FOUR_EYES_CODE = "four_eyes"
FOUR_EYES_MESSAGE = "经办人不能审核或发放本人经办的事项，请由另一位审核人办理"


class ReviewRefused(ApplicationError):
    """A review the acting user may not make: 403 (forbidden for this user), not 409 (wrong state)."""

    status_code = 403


def may_review(user) -> bool:
    """A reviewer by role (the region is the caller's check, through core.scoping)."""
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and user.has_role(*REVIEWER_ROLES))


def check_reviewer(user) -> None:
    """Raise the one wrong-role refusal unless `user` may review (lifecycles with reviewer roles raise it too)."""
    if not may_review(user):
        raise ReviewRefused(REVIEWER_CODE, REVIEWER_MESSAGE)


def is_maker(maker_id: int | None, user) -> bool:
    return maker_id is not None and maker_id == getattr(user, "pk", None)


def check_four_eyes(*, maker_id: int | None, user) -> None:
    """Raise the one refusal when `user` made the record they are about to check."""
    if is_maker(maker_id, user):
        raise ReviewRefused(FOUR_EYES_CODE, FOUR_EYES_MESSAGE)


def not_the_maker(*maker_fields: str) -> Callable[[Any, Any, dict], None]:
    """A lifecycle actor guard: none of the users in `maker_fields` (e.g. "submitted_by_id") may act.

    Run by `Lifecycle.available` too, so the maker is never offered the button."""

    def guard(obj: Any, user: Any, payload: dict) -> None:
        for field in maker_fields:
            check_four_eyes(maker_id=getattr(obj, field), user=user)

    guard.__name__ = f"not_the_maker_{'_'.join(maker_fields)}"
    return guard


def set_reviewer(record, user, payload: dict) -> None:
    """A lifecycle effect for a `core.models.ReviewedModel`: the reviewer, the time and their note (cut to fit)."""
    record.reviewed_by, record.reviewed_at = user, timezone.now()
    record.review_note = payload.get("note", "")[:record._meta.get_field("review_note").max_length]
