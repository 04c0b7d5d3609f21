"""Reads: runs and results scoped to the user's region, progress, the summary and the what-if diff."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from apps.core.exceptions import NotFoundError
from apps.core.filters import filter_or_raise, ordered
from apps.core.money import round_money
from apps.core.money_sql import MoneySum, stored_decimal
from apps.core.scoping import (
    filter_by_prefix,
    get_scoped_or_404,
    scope_queryset,
    scope_queryset_by_code,
    user_scope_prefix,
)
from apps.core.validators import mask_id_number
from apps.publicity.selectors import publication_summary
from apps.refunds.filters import RefundResultFilter, RefundRunFilter
from apps.refunds.models import REASON_CODES, REASON_LABELS, SIZE_LABELS, RefundChunk, RefundResult, RefundRun


def run_list(*, user, filters: dict | None = None) -> QuerySet[RefundRun]:
    queryset = scope_queryset(RefundRun.objects.select_related("region", "started_by", "decided_by"), user)
    return ordered(filter_or_raise(RefundRunFilter, filters, queryset), filters, "-id")


def run_get(*, user, pk: int) -> RefundRun:
    return cast(RefundRun, get_scoped_or_404(RefundRun.objects.select_related("region", "started_by", "decided_by"),
                                             user, pk=pk))


def visible_prefix(user, run: RefundRun) -> str:
    """'' when the user sees the whole run, else the prefix of the part they see (a district of a city run)."""
    prefix = user_scope_prefix(user) or ""
    return prefix if len(prefix) > len(run.region.scope_prefix) else ""


def result_list(*, user, run: RefundRun, filters: dict | None = None) -> QuerySet[RefundResult]:
    """A run's rows the user may see: a district caseworker sees the district's rows of a city run."""
    queryset = scope_queryset_by_code(RefundResult.objects.filter(run=run).select_related("employer"), user)
    return ordered(filter_or_raise(RefundResultFilter, filters, queryset), filters, "employer_id")


def result_get(*, user, run: RefundRun, employer_id: int) -> RefundResult:
    result = result_list(user=user, run=run).filter(employer_id=employer_id).first()
    if result is None:
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    return result


def run_progress(*, run: RefundRun) -> dict:
    """Employers done / total, from the chunk table (one small aggregate)."""
    totals = run.chunks.aggregate(done=Sum("rows", filter=Q(status=RefundChunk.Status.DONE)),
                                  n_chunks=Count("id"), n_done=Count("id", filter=Q(status=RefundChunk.Status.DONE)))
    total = run.employers_expected
    done = total if run.status not in (RefundRun.Status.CREATED, RefundRun.Status.COMPUTING) else (totals["done"] or 0)
    return {"employers_done": done, "employers_total": total, "chunks_done": totals["n_done"],
            "chunks_total": totals["n_chunks"], "percent": 100 if not total else done * 100 // total}


def run_summary(*, run: RefundRun, region_prefix: str = "") -> dict:
    """Counts by decision, by reason and by size class, amounts by size class — two grouped queries."""
    rows = RefundResult.objects.filter(run=run)
    if region_prefix:
        rows = filter_by_prefix(rows, region_prefix, "region_code")
    by_size = {row["size_class"]: {"total": row["n_total"], "eligible": row["n_eligible"], "amount": row["total"]}
               for row in rows.values("size_class").annotate(
                   n_total=Count("id"), n_eligible=Count("id", filter=Q(eligible=True)),
                   total=MoneySum("amount", filter=Q(eligible=True)))}
    reasons = rows.aggregate(**{code: Count("id", filter=Q(reasons__contains=code)) for code in REASON_CODES})
    sizes = [{"code": code, "label": label, "total": by_size.get(code, {}).get("total", 0),
              "eligible": by_size.get(code, {}).get("eligible", 0),
              "amount": by_size.get(code, {}).get("amount") or Decimal("0.00")} for code, label in SIZE_LABELS.items()]
    total = sum(s["total"] for s in sizes)
    eligible = sum(s["eligible"] for s in sizes)
    return {
        "employers": total, "eligible": eligible, "ineligible": total - eligible,
        "amount": sum((s["amount"] for s in sizes), Decimal("0.00")),
        "by_size": sizes,
        "by_reason": [{"code": code, "label": REASON_LABELS[code], "count": reasons[code]} for code in REASON_CODES
                      if reasons[code] or code != "entity_type_not_covered"],
    }


def official_run_for(run: RefundRun) -> RefundRun | None:
    """The latest official run of the same year and region that a what-if run is compared with."""
    return (RefundRun.objects.filter(year=run.year, region=run.region, is_official=True)
            .exclude(status__in=[RefundRun.Status.REJECTED, RefundRun.Status.FAILED]).exclude(pk=run.pk)
            .order_by("-id").first())


def _money(value) -> Decimal:
    return round_money(stored_decimal(value) or Decimal(0))  # exact: numeric on PostgreSQL, MONEY_SUM's text on SQLite


# Money in run_diff's raw statement. SQLite holds the amounts as binary floats, so the sums go through
# MONEY_SUM and the ordering difference through integer fen (apps.core.money_sql); PostgreSQL's numeric is exact.
_DIFF_MONEY = {
    "postgresql": {"sum": "SUM({})", "fen": "{}"},
    "sqlite": {"sum": "MONEY_SUM({})", "fen": "MONEY_FEN({})"},
}


DIFF_LIMIT = 200  # employers listed per change kind on the page; the counts cover every employer


def run_diff(*, run: RefundRun, base: RefundRun, region_prefix: str = "", limit: int = DIFF_LIMIT) -> dict:
    """What a what-if run changes against an official run: newly eligible, no longer eligible, amount changed,
    and the total cost of each. One join in the database over the two runs' rows."""
    prefix = f"{region_prefix}%"
    sql = """
        SELECT CASE WHEN n.eligible AND NOT COALESCE(o.eligible, FALSE) THEN 'newly_eligible'
                    WHEN COALESCE(o.eligible, FALSE) AND NOT n.eligible THEN 'no_longer_eligible'
                    WHEN n.amount <> o.amount THEN 'amount_changed' END AS kind,
               n.employer_id, COALESCE(o.amount, 0) AS old_amount, n.amount AS new_amount
        FROM refunds_refundresult n
        LEFT JOIN refunds_refundresult o ON o.run_id = %s AND o.employer_id = n.employer_id AND o.is_current
        WHERE n.run_id = %s AND n.is_current AND n.region_code LIKE %s
    """
    summary: dict[str, dict[str, Any]] = {kind: {"count": 0, "old": Decimal("0.00"), "new": Decimal("0.00"), "rows": []}
               for kind in ("newly_eligible", "no_longer_eligible", "amount_changed")}
    money = _DIFF_MONEY.get(connection.vendor, _DIFF_MONEY["sqlite"])
    total_old, total_new = money["sum"].format("old_amount"), money["sum"].format("new_amount")
    change = f'ABS({money["fen"].format("new_amount")} - {money["fen"].format("old_amount")})'
    with connection.cursor() as cursor:
        cursor.execute(f"""SELECT kind, COUNT(*), {total_old}, {total_new} FROM ({sql}) d
                           WHERE kind IS NOT NULL GROUP BY kind""", [base.pk, run.pk, prefix])
        for kind, count, old, new in cursor.fetchall():
            summary[kind].update(count=count, old=_money(old), new=_money(new))
        cursor.execute(f"""SELECT kind, employer_id, old_amount, new_amount FROM ({sql}) d WHERE kind IS NOT NULL
                           ORDER BY {change} DESC, employer_id LIMIT %s""",
                       [base.pk, run.pk, prefix, limit])
        rows = cursor.fetchall()
    names = dict(RefundResult.objects.filter(run=run, employer_id__in=[r[1] for r in rows])
                 .values_list("employer_id", "employer__name"))
    for kind, employer_id, old, new in rows:
        summary[kind]["rows"].append({"employer_id": employer_id, "name": names.get(employer_id, ""),
                                      "old": _money(old), "new": _money(new)})
    base_total = base.total_amount if not region_prefix else run_summary(run=base, region_prefix=region_prefix)["amount"]
    new_total = run.total_amount if not region_prefix else run_summary(run=run, region_prefix=region_prefix)["amount"]
    return {"base": base, "changes": summary, "old_total": base_total, "new_total": new_total,
            "cost_change": new_total - base_total}


# The public list (公示名单): the columns and rows every face of it reads — the public page, its CSV and XLSX, the
# integrators' API and the documents app's PDF. Public values only: no person, no contact, no bank account.
PUBLICITY_SOURCE = "refunds.run"  # the run's key in apps.publicity's registry
PUBLICITY_COLUMNS = (("单位名称", "text"), ("统一社会信用代码（脱敏）", "text"), ("企业划型", "text"),
                     ("拟返还金额（元）", "money"))


def publicity_rows(run: RefundRun) -> list[list[Any]]:
    """[name, masked USCC, size class label, amount] of every eligible unit with an amount, by employer id
    (the unique (run, employer) index): one query whatever the size of the list."""
    rows = (RefundResult.objects.filter(run=run, eligible=True, amount__gt=0).order_by("employer_id")
            .values_list("employer__name", "employer__uscc", "size_class", "amount"))
    return [[name or "", mask_id_number(uscc), SIZE_LABELS.get(size, size), stored_decimal(amount)]
            for name, uscc, size, amount in rows]


def run_publicity(*, run: RefundRun, request=None) -> dict:
    """A run's publication for its page and the integrators' API: window, progress, public link and rows."""
    return publication_summary(source_key=PUBLICITY_SOURCE, record_id=run.pk, rows=lambda: publicity_rows(run),
                               request=request)


COMPARED_FACTS = (("entity_type", "单位类型"), ("months_paid_in_full", "足额缴费月数"), ("has_arrears", "有欠费"),
                  ("serious_dishonesty", "严重失信"), ("headcount_start", "年初参保人数"),
                  ("headcount_end", "年末参保人数"), ("contributions_paid", "上年度实缴失业保险费"),
                  ("size_class", "企业划型"), ("eligible", "符合条件"), ("amount", "返还金额"))


def version_comparison(old: RefundResult, new: RefundResult) -> dict:
    """Two versions of one employer's result: their facts row by row (changed ones flagged) and both
    explanations, regenerated from each version's stored facts."""
    from apps.eligibility.calculator_fields import ENTITY_TYPE_NAMES
    from apps.refunds.explain import result_explain

    def shown(result, name):
        value = getattr(result, name)
        if isinstance(value, bool):
            return "是" if value else "否"
        if name == "size_class":
            return SIZE_LABELS.get(value, value)
        if name == "entity_type":
            return str(ENTITY_TYPE_NAMES.get(value, value))
        return str(value)

    facts = [{"label": label, "old": shown(old, name), "new": shown(new, name),
              "changed": getattr(old, name) != getattr(new, name)} for name, label in COMPARED_FACTS]
    return {"old": old, "new": new, "facts": facts, "old_explanation": result_explain(old),
            "new_explanation": result_explain(new)}
