"""Bulk actions: one mechanism for "do this to the N records I ticked" on a list page.

A `BulkAction` names what may be done (its `choices`, chosen explicitly by the user — never preselected), which
records the user may touch (`queryset(user)`, the app's scoped selector) and how one record is done
(`perform(obj, user, choice, note)`, the app's own service: the lifecycle's `apply`, review's four-eyes, the
region check — nothing is re-implemented here). `run` then takes the posted ids and:

- refuses the whole batch before touching anything when it is empty, names no valid choice, or holds more than
  `settings.BULK_ACTION_MAX_RECORDS` ids (`bulk_empty`, `bulk_choice_required`, `bulk_too_many`);
- loads the records in one scoped query; an id that is not a number, does not exist or is outside the user's
  scope is reported alike as 未找到 (no existence oracle);
- does each record **on its own** (per-record, not all-or-nothing): each in its own savepoint, so a refused
  record (wrong state, four eyes, out of the worker's region …) rolls back only itself and is reported with the
  service's Chinese reason, the others are done. A bug (any exception that is not an ApplicationError) rolls
  the whole batch back: the caller's transaction is not committed and nothing was done.

The page (templates/includes/bulk_bar.html, `{% bulk_checkbox %}` / `{% bulk_select_all %}`) posts the ids,
the choice, an optional note and a one-time form token; `BulkActionView` runs the batch once per token
(apps.core.idempotency.submit_once: a double submit shows the first result), keeps the report in the session
and redirects back to the list, where `{% bulk_report %}` shows 成功 N 条 / 未处理 M 条 with each reason. The
confirmation (behaviour.js, the one #portal-confirm dialog) lists the ticked records and the chosen outcome.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from apps.core.exceptions import ApplicationError
from apps.core.idempotency import REPEAT_MESSAGE, AlreadySubmitted, posted_token, submit_once

NOT_FOUND_MESSAGE = "未找到该记录，或不在您的办理范围内"
SESSION_KEY = "bulk_reports"
KEEP_REPORTS = 5  # the session keeps the last few reports (a repeat post shows the first one again)


def max_records() -> int:
    return int(getattr(settings, "BULK_ACTION_MAX_RECORDS", 100))


@dataclass(frozen=True)
class BulkChoice:
    """One outcome the user may pick: a lifecycle action, a resolution, a worker to assign."""

    value: str
    label: str  # shown in the select and in the report: 标记为已办理, 审核通过, 改派给 张三
    confirm: str = ""  # what will happen to each record (the confirmation dialog)
    needs_note: bool = False  # a reason is required (returning, dismissing)


@dataclass
class BulkReport:
    action: str
    choice: str
    done: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"action": self.action, "choice": self.choice, "done": self.done, "skipped": self.skipped}


class BulkAction:
    """What one list page's bulk bar does. `perform` raises ApplicationError to refuse one record."""

    def __init__(self, *, name: str, label: str, queryset: Callable[[Any], QuerySet],
                 choices: Callable[[Any], Sequence[BulkChoice]], describe: Callable[[Any], str],
                 perform: Callable[[Any, Any, BulkChoice, str], Any], note_label: str = "处理说明"):
        self.name = name
        self.label = label  # the bar's title: 批量处理线索, 批量审核
        self.queryset = queryset
        self.choices = choices
        self.describe = describe
        self.perform = perform
        self.note_label = note_label

    def choice(self, user, value: str) -> BulkChoice:
        for choice in self.choices(user):
            if choice.value == value:
                return choice
        raise ApplicationError("bulk_choice_required", "请选择批量操作的处理结果", {"choice": ["请选择处理结果"]})

    def run(self, *, user, ids: Iterable[Any], choice: str, note: str = "") -> BulkReport:
        picked = self.choice(user, str(choice or ""))
        note = (note or "").strip()
        if picked.needs_note and not note:
            raise ApplicationError("reason_required", f"“{picked.label}”须填写原因", {"note": ["请填写原因"]})
        wanted: list[tuple[str, int | None]] = []  # in the order posted, each once
        seen: set[str] = set()
        for raw in ids:
            text = str(raw).strip()[:20]
            if not text or text in seen:  # a blank box posts nothing
                continue
            seen.add(text)
            wanted.append((text, int(text) if text.isdigit() and len(text) < 19 else None))
        if not wanted:
            raise ApplicationError("bulk_empty", "请至少勾选一条记录", {"ids": ["未勾选记录"]})
        limit = max_records()
        if len(wanted) > limit:
            raise ApplicationError("bulk_too_many", f"一次最多批量处理 {limit} 条，您选择了 {len(wanted)} 条，请分批处理",
                                   {"ids": [f"最多 {limit} 条"]})
        numbers = [pk for _, pk in wanted if pk is not None]
        found = {obj.pk: obj for obj in self.queryset(user).filter(pk__in=numbers)} if numbers else {}
        report = BulkReport(action=self.label, choice=picked.label)
        for text, pk in wanted:
            obj = found.get(pk) if pk is not None else None
            if obj is None:
                report.skipped.append({"id": text, "label": f"#{text}", "reason": NOT_FOUND_MESSAGE})
                continue
            label = self.describe(obj)
            try:
                with transaction.atomic():
                    self.perform(obj, user, picked, note)
            except ApplicationError as error:
                detail = "；".join(str(m) for msgs in (error.fields or {}).values() for m in msgs)
                reason = f"{error.message}{'（' + detail + '）' if detail else ''}"
                report.skipped.append({"id": text, "label": label, "reason": reason, "code": error.code})
            else:
                report.done.append({"id": text, "label": label})
        return report


def lifecycle_choices(lifecycle, actions: Sequence[str], user) -> list[BulkChoice]:
    """The choices of a lifecycle's bulk bar: the named moves this user's role may make (four eyes and the state
    are per record, reported as each record's reason)."""
    choices = []
    for action in actions:
        transition = lifecycle.get(action)
        if lifecycle.may(transition, user):
            confirm = transition.confirm or f"状态将变为“{lifecycle.status_label(transition.target)}”。"
            choices.append(BulkChoice(transition.action, str(transition.label), confirm=confirm,
                                      needs_note=transition.needs_reason))
    return choices


# ---------------------------------------------------------------- the page


def store_report(request, token: str, report: BulkReport) -> None:
    reports = [r for r in request.session.get(SESSION_KEY, []) if r.get("token") != token][-(KEEP_REPORTS - 1):]
    reports.append({"token": token, **report.as_dict()})
    request.session[SESSION_KEY] = reports


def stored_report(request) -> dict | None:
    token = request.GET.get("bulk", "")
    for report in request.session.get(SESSION_KEY, []) if token else []:
        if report.get("token") == token:
            return report
    return None


class BulkActionView(View):
    """POST the bulk bar's form: run `bulk` once per form token, then back to the list with the report.

    Subclasses set `bulk` and `list_url_name`; the app's RoleRequiredMixin (or its own check) comes first."""

    http_method_names = ["post"]
    bulk: BulkAction
    list_url_name: str

    def list_url(self) -> str:
        from django.urls import reverse

        back = self.request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={self.request.get_host()},
                                                    require_https=self.request.is_secure()) and back.startswith("/"):
            parts = urlsplit(back)
            query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "bulk"])
            return urlunsplit(("", "", parts.path, query, ""))
        return reverse(self.list_url_name)

    def post(self, request, *args, **kwargs):
        back = self.list_url()
        token = posted_token(request.POST) or uuid.uuid4()

        def run() -> str:
            report = self.bulk.run(user=request.user, ids=request.POST.getlist("ids"),
                                   choice=request.POST.get("choice", ""), note=request.POST.get("note", ""))
            store_report(request, str(token), report)
            return f"{back}{'&' if '?' in back else '?'}bulk={token}"

        try:
            return redirect(submit_once(user=request.user, token=token, action=run))
        except AlreadySubmitted as repeat:
            messages.info(request, REPEAT_MESSAGE)
            return redirect(repeat.result_url or back)
        except ApplicationError as error:  # the whole batch refused (empty, too many, no choice): nothing done
            messages.error(request, error.message)
            return redirect(back)


def bulk_context(request, bulk: BulkAction, url: str, *, form_id: str = "bulk-form") -> dict:
    """What templates/includes/bulk_bar.html and the row checkboxes read (`bulk` in the page's context). No
    choices for this user: no bar and no checkboxes."""
    from apps.core.idempotency import new_token

    choices = list(bulk.choices(request.user))
    return {"bulk": {"action": bulk, "choices": choices, "url": url, "form_id": form_id,
                     "note_required_for": "、".join(c.label for c in choices if c.needs_note),
                     "token": new_token(), "next": request.get_full_path(), "limit": max_records(),
                     "report": stored_report(request)}}
