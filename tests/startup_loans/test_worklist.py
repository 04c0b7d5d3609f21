"""创业担保贷款's 待办 (apps.startup_loans.worklist), table-driven (CASES, run by tests/portal/test_worklist_sources.py
with every other source's rows): four eyes (never what the viewer made), the region,
the role, the state that puts a record on the list and the one that takes it off; the overdue boundary (due
yesterday: overdue; due today: not yet); and the 待办 page's query count, which does not grow with the items."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core import registry
from apps.payments import services as payments
from apps.startup_loans import services
from apps.startup_loans.models import RepaymentPeriod, SubsidyClaim
from tests.factories import UserFactory
from tests.queries import assert_queries_constant
from tests.startup_loans.conftest import (
    approved_application,
    approved_claim,
    make_application,
    make_lender,
    schedule,
)

pytestmark = pytest.mark.django_db
D = timedelta


@pytest.fixture
def users(caseworker, other_caseworker, supervisor, province_admin):
    return {"cw": caseworker, "cw_other": other_caseworker, "sup": supervisor, "admin": province_admin,
            "peer": UserFactory(username="sup_peer", role=User.Role.SUPERVISOR, region_id="220100", is_staff=True),
            "sup_jilin": UserFactory(username="sup_jilin", role=User.Role.SUPERVISOR, region_id="220200"),
            "auditor": UserFactory(username="wl_auditor", role=User.Role.AUDITOR, region_id="220000")}


def _serial():
    _serial.n += 1  # type: ignore[attr-defined]
    return 8_900_000 + _serial.n  # type: ignore[attr-defined]


_serial.n = 0  # type: ignore[attr-defined]


def lender(u):
    return make_lender(u["cw"], serial=_serial())


def computed_claim(maker, approver):
    """A claim computed by `maker` (waiting for review) of a loan `maker` registered and `approver` approved."""
    application = approved_application(maker, approver)
    schedule(application)
    return services.claim_create(application=application, user=maker)


def with_file(u, status=None):
    claim = approved_claim(u["cw"], u["sup"], lender(u))
    batch = payments.batch_prepare(user=u["cw"], source_key="startup_loans.claim", source_id=claim.pk)
    if status == "cancelled":
        payments.batch_cancel(user=u["sup"], batch_id=batch.pk, note="重新制单")
    return claim


def period(u, due, paid=False, status="approved"):
    application = approved_application(u["cw"], u["sup"])
    services.repayment_periods_write(rows=[services.PeriodRow(
        application_id=application.pk, region_id=application.region_id, period=1, due_date=due,
        principal=Decimal("0.00"), interest=Decimal("583.33"), paid_date=due if paid else None)], import_batch_id=None)
    return application


CASES = [
    # 申请待审核: a reviewer of the region who did not register it.
    ("startup_loans.application_review", "sup", lambda u, t: make_application(u["cw"]), True, "waiting"),
    ("startup_loans.application_review", "sup", lambda u, t: make_application(u["sup"]), False, None),  # four eyes
    ("startup_loans.application_review", "peer", lambda u, t: make_application(u["sup"]), True, "waiting"),
    ("startup_loans.application_review", "admin", lambda u, t: make_application(u["cw"]), True, "waiting"),
    ("startup_loans.application_review", "sup_jilin", lambda u, t: make_application(u["cw"]), False, None),
    ("startup_loans.application_review", "cw", lambda u, t: make_application(u["sup"]), False, None),  # no reviewer
    ("startup_loans.application_review", "sup", lambda u, t: approved_application(u["cw"], u["peer"]), False, None),
    # 贴息待审核: the same four eyes on the claim's maker.
    ("startup_loans.claim_review", "sup", lambda u, t: computed_claim(u["cw"], u["peer"]), True, "waiting"),
    ("startup_loans.claim_review", "sup", lambda u, t: computed_claim(u["sup"], u["peer"]), False, None),
    ("startup_loans.claim_review", "peer", lambda u, t: computed_claim(u["sup"], u["admin"]), True, "waiting"),
    ("startup_loans.claim_review", "sup_jilin", lambda u, t: computed_claim(u["cw"], u["peer"]), False, None),
    ("startup_loans.claim_review", "cw", lambda u, t: computed_claim(u["sup"], u["peer"]), False, None),
    ("startup_loans.claim_review", "sup", lambda u, t: approved_claim(u["cw"], u["peer"]), False, None),
    # 贴息待制作发放文件: approved, no live first file.
    ("startup_loans.claim_payment", "cw", lambda u, t: approved_claim(u["cw"], u["sup"], lender(u)), True, "waiting"),
    ("startup_loans.claim_payment", "cw", lambda u, t: approved_claim(u["cw"], u["sup"]), True, "waiting"),  # no lender
    ("startup_loans.claim_payment", "cw", lambda u, t: with_file(u), False, None),
    ("startup_loans.claim_payment", "cw", lambda u, t: with_file(u, "cancelled"), True, "waiting"),
    ("startup_loans.claim_payment", "sup", lambda u, t: approved_claim(u["cw"], u["sup"], lender(u)), True, "waiting"),
    ("startup_loans.claim_payment", "cw_other", lambda u, t: approved_claim(u["cw"], u["sup"], lender(u)), False, None),
    ("startup_loans.claim_payment", "cw", lambda u, t: computed_claim(u["cw"], u["sup"]), False, None),
    # 逾期未还款: due before today, not repaid.
    ("startup_loans.period_overdue", "cw", lambda u, t: period(u, t - D(1)), True, "overdue"),
    ("startup_loans.period_overdue", "cw", lambda u, t: period(u, t), False, None),  # due today: not yet
    ("startup_loans.period_overdue", "cw", lambda u, t: period(u, t - D(30), paid=True), False, None),
    ("startup_loans.period_overdue", "sup", lambda u, t: period(u, t - D(1)), True, "overdue"),
    ("startup_loans.period_overdue", "cw_other", lambda u, t: period(u, t - D(1)), False, None),
]


def test_the_payment_item_opens_the_payment_page_or_the_loan_to_link_a_lender(users):
    today = timezone.localdate()
    with_lender = approved_claim(users["cw"], users["sup"], lender(users))
    without = approved_claim(users["cw"], users["sup"])
    items = {item["url"]: item["why"]
             for item in registry.WORKLIST_SOURCES["startup_loans.claim_payment"].items(users["cw"], today)}
    assert items == {
        f"/payments/startup-loan-claim/{with_lender.pk}/":
            f"贴息 875.00 元已审核通过，请制作拨付 {with_lender.application.lender.name} 的发放文件",
        f"/startup-loans/{without.application_id}/": "贴息 875.00 元已审核通过，贷款尚未关联经办银行名录，请先关联再制作发放文件"}


def _every_kind(u, today, k):
    for _ in range(k):
        make_application(u["cw"])
        computed_claim(u["cw"], u["peer"])
        approved_claim(u["cw"], u["peer"], lender(u))
        period(u, today - D(2))


@pytest.mark.parametrize("viewer", ["cw", "sup"])
def test_the_worklist_page_queries_do_not_grow_with_the_items(users, client_for, viewer):
    today = timezone.localdate()
    web = client_for(users[viewer])
    response = assert_queries_constant(lambda: web.get(reverse("worklist")), lambda k: _every_kind(users, today, k),
                                       n=2)
    assert response.status_code == 200
    assert 'href="?module=startup_loans"' in response.content.decode()
    # 6 rounds: per round 1 claim to pay and one loan with a period due two days ago (the claims' loans' unpaid
    # periods 4–6 are fixed dates: overdue or not by the calendar); a reviewer also 1 application and 1 claim.
    overdue = RepaymentPeriod.objects.filter(paid_date__isnull=True, due_date__lt=today).count()
    assert overdue >= 6
    counts = {source.key: source.count(users[viewer], today) for source in registry.worklist_sources()
              if source.module == "startup_loans"}
    assert counts == {"startup_loans.application_review": 6 if viewer == "sup" else 0,
                      "startup_loans.claim_review": 6 if viewer == "sup" else 0,
                      "startup_loans.claim_payment": 6, "startup_loans.period_overdue": overdue}


def test_claims_that_were_returned_free_nothing_onto_the_payment_list(users):
    today = timezone.localdate()
    claim = computed_claim(users["cw"], users["sup"])
    services.claim_review(claim=claim, user=users["sup"], action="reject", note="利息有误")
    assert SubsidyClaim.objects.get(pk=claim.pk).status == SubsidyClaim.Status.REJECTED
    assert registry.WORKLIST_SOURCES["startup_loans.claim_payment"].count(users["cw"], today) == 0
