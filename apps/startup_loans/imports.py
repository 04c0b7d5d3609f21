"""The `startup_loan_repayments` import kind: the lender bank's repayment schedule of approved start-up guarantee
loans, through the shared import service (apps/imports).

Header: loan_reference,period,due_date,principal,interest,paid_date

The shared service reads, decodes, reports every bad row with its line number and writes nothing unless every row
is good (one transaction). This module keeps the rules: the loan exists, is approved and is in the importer's
region; the period is within the loan's term; a period already in a subsidy claim may not change. Registered from
StartupLoansConfig.ready().
"""

from apps.core.scoping import filter_by_prefix
from apps.imports.spec import (
    CellError,
    Column,
    Context,
    Counts,
    Issue,
    Row,
    RowSpec,
    amount,
    iso_date,
    non_negative_integer,
    text,
)
from apps.startup_loans.models import LoanApplication, RepaymentPeriod
from apps.startup_loans.services import PeriodRow, repayment_periods_write


def period_number(value: str, ctx: Context) -> int:
    number = non_negative_integer(value, ctx)
    if not 1 <= number <= 600:
        raise CellError("期次应为 1 至 600 的整数")
    return number


def _loans(ctx: Context) -> dict[str, LoanApplication | None]:
    return ctx.cache.setdefault("startup_loans", {})


def loan_reference(value: str, ctx: Context) -> str:
    """One query per distinct reference (a bank's file names a few loans): scoped to the importer's region."""
    loans = _loans(ctx)
    if value not in loans:
        queryset = LoanApplication.objects.filter(reference=value)
        loans[value] = (filter_by_prefix(queryset, ctx.scope_prefix).first()
                        if ctx.scope_prefix is not None else None)
    loan = loans[value]
    if loan is None:
        raise CellError("贷款编号不存在或不在您的经办区划内")
    if loan.status != LoanApplication.Status.APPROVED:
        raise CellError(f"该贷款状态为“{loan.get_status_display()}”，只有审核通过的贷款可以导入还款计划")
    return value


class RepaymentSpec(RowSpec):
    kind = "startup_loan_repayments"
    written_models = (RepaymentPeriod,)
    list_url_name = "startup_loans:application-list"
    key_columns = ("loan_reference", "period")
    columns = (
        Column("loan_reference", "贷款编号", text(32), required=True),
        Column("period", "期次", period_number, required=True),
        Column("due_date", "应还日期", iso_date, required=True),
        Column("principal", "应还本金", amount(), required=True),
        Column("interest", "应付利息", amount(), required=True),
        Column("paid_date", "实际还款日期", iso_date),
    )

    def check_chunk(self, rows: list[Row], ctx: Context) -> list[Issue]:
        issues: list[Issue] = []
        loans = _loans(ctx)
        good = []
        for row in rows:
            reference = row.values["loan_reference"]
            try:
                loan_reference(reference, ctx)
            except CellError as error:
                issues.append(Issue(row.line, "loan_reference", reference, f"贷款编号：{error.message}"))
                continue
            loan = loans[reference]
            assert loan is not None
            if row.values["period"] > loan.term_months:
                issues.append(Issue(row.line, "period", str(row.values["period"]),
                                    f"期次：超过贷款期限 {loan.term_months} 个月"))
                continue
            paid = row.values.get("paid_date")
            if paid is not None and paid < loan.application_date:
                issues.append(Issue(row.line, "paid_date", paid.isoformat(), "实际还款日期：不能早于贷款申请日期"))
                continue
            good.append((row, loan))
        claimed = {(p.application_id, p.period): p for p in RepaymentPeriod.objects.filter(
            application_id__in={loan.pk for _, loan in good}, claim__isnull=False)}
        for row, loan in good:
            found = claimed.get((loan.pk, row.values["period"]))
            if found is not None and (found.due_date, found.principal, found.interest, found.paid_date) != (
                    row.values["due_date"], row.values["principal"], row.values["interest"],
                    row.values.get("paid_date")):
                issues.append(Issue(row.line, "period", str(row.values["period"]),
                                    f"第 {found.period} 期已申请贴息（贴息申请 #{found.claim_id}），不能修改"))
        return issues

    def write_chunk(self, rows: list[Row], ctx: Context) -> Counts:
        loans = _loans(ctx)
        period_rows = []
        for row in rows:
            loan = loans[row.values["loan_reference"]]
            assert loan is not None  # a row naming an unknown loan was reported and nothing is written
            period_rows.append(PeriodRow(application_id=loan.pk, region_id=loan.region_id,
                                         period=row.values["period"], due_date=row.values["due_date"],
                                         principal=row.values["principal"], interest=row.values["interest"],
                                         paid_date=row.values.get("paid_date")))
        created, updated, unchanged = repayment_periods_write(rows=period_rows, import_batch_id=ctx.batch_id)
        return Counts(created=created, updated=updated, unchanged=unchanged)
