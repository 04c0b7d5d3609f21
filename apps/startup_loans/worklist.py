"""创业担保贷款's 待办 (registered in StartupLoansConfig.ready()): applications and interest-subsidy claims waiting
for a reviewer who did not make them (four eyes), approved claims no live disbursement file pays yet (a caseworker
prepares the file to the lender bank), and repayment periods of approved loans past their due date with no
repayment reported by the bank (a caseworker follows the borrower up: an unpaid period earns no subsidy).

Every queryset is one query whatever the number of items (select_related, an Exists subquery): the 待办 page's
query count does not grow with the rows (tests/startup_loans/test_worklist.py)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from apps.core.money import format_money
from apps.core.registry import WorkItem, WorklistSource
from apps.core.review import REVIEWER_ROLES
from apps.core.scoping import scope_queryset
from apps.payments.models import PaymentBatch
from apps.payments.selectors import LIVE_BATCH_STATUSES
from apps.startup_loans.models import LoanApplication, RepaymentPeriod, SubsidyClaim
from apps.startup_loans.payments import PAYMENT_SOURCE

MODULE = "startup_loans"


def applications_awaiting_review(user, today):
    applications = scope_queryset(LoanApplication.objects.filter(status=LoanApplication.Status.SUBMITTED), user)
    return applications.exclude(created_by=user).select_related("person", "created_by").order_by("created_at", "id")


def application_item(application: LoanApplication) -> WorkItem:
    verdict = (f"资格测算符合条件，核定额度 {format_money(application.guaranteed_amount)} 元" if application.eligible
               else "资格测算不符合条件，请核实后退回")
    return WorkItem(what=f"创业担保贷款 {application.reference} {application.person.name}",
                    why=f"已登记待审核（经办人：{application.created_by}），{verdict}",
                    url=reverse("startup_loans:application-detail", args=[application.pk]),
                    since=application.created_at)


def claims_awaiting_review(user, today):
    claims = scope_queryset(SubsidyClaim.objects.filter(status=SubsidyClaim.Status.COMPUTED), user)
    return claims.exclude(created_by=user).select_related("application__person", "created_by").order_by(
        "created_at", "id")


def claim_item(claim: SubsidyClaim) -> WorkItem:
    return WorkItem(what=f"贴息申请 #{claim.pk}（{claim.application.reference} {claim.application.person.name}）",
                    why=f"{claim.periods_count} 期贴息 {format_money(claim.amount)} 元已计算，待您审核（经办人：{claim.created_by}）",
                    url=reverse("startup_loans:claim-detail", args=[claim.pk]), since=claim.created_at)


def claims_to_pay(user, today):
    """Approved claims with an amount that no live first disbursement file pays yet."""
    live_file = PaymentBatch.objects.filter(source=PAYMENT_SOURCE, source_id=OuterRef("pk"),
                                            kind=PaymentBatch.Kind.ORIGINAL, status__in=LIVE_BATCH_STATUSES)
    claims = scope_queryset(SubsidyClaim.objects.filter(status=SubsidyClaim.Status.APPROVED, amount__gt=0), user)
    return claims.exclude(Exists(live_file)).select_related("application__person", "application__lender").order_by(
        "reviewed_at", "id")


def pay_item(claim: SubsidyClaim) -> WorkItem:
    lender = claim.application.lender
    why = (f"贴息 {format_money(claim.amount)} 元已审核通过，请制作拨付 {lender.name} 的发放文件" if lender
           else f"贴息 {format_money(claim.amount)} 元已审核通过，贷款尚未关联经办银行名录，请先关联再制作发放文件")
    url = (reverse("payments:source", args=["startup-loan-claim", claim.pk]) if lender
           else reverse("startup_loans:application-detail", args=[claim.application_id]))
    return WorkItem(what=f"贴息申请 #{claim.pk}（{claim.application.reference} {claim.application.person.name}）",
                    why=why, url=url, since=claim.reviewed_at)


def periods_overdue(user, today):
    """Periods of approved loans due before today that the bank reports unpaid."""
    periods = RepaymentPeriod.objects.filter(application__status=LoanApplication.Status.APPROVED,
                                             paid_date__isnull=True, due_date__lt=today)
    return scope_queryset(periods, user).select_related("application__person").order_by("due_date", "id")


def overdue_item(period: RepaymentPeriod) -> WorkItem:
    application = period.application
    return WorkItem(what=f"创业担保贷款 {application.reference} {application.person.name} 第{period.period}期",
                    why=(f"应还日期 {period.due_date:%Y-%m-%d} 已过，银行还款计划显示尚未还款（应付利息 "
                         f"{format_money(period.interest)} 元），请联系借款人核实；未还款的期次不予贴息"),
                    url=reverse("startup_loans:application-detail", args=[application.pk]) + "#periods",
                    due=period.due_date)


SOURCES = (
    WorklistSource(key="startup_loans.application_review", module=MODULE, label="创业担保贷款申请待审核",
                   queryset=applications_awaiting_review, item=application_item, roles=REVIEWER_ROLES, order=60),
    WorklistSource(key="startup_loans.claim_review", module=MODULE, label="创业担保贷款贴息待审核",
                   queryset=claims_awaiting_review, item=claim_item, roles=REVIEWER_ROLES, order=61),
    WorklistSource(key="startup_loans.claim_payment", module=MODULE, label="贴息待制作发放文件",
                   queryset=claims_to_pay, item=pay_item, order=62),
    WorklistSource(key="startup_loans.period_overdue", module=MODULE, label="贷款逾期未还款",
                   queryset=periods_overdue, item=overdue_item, order=63),
)
