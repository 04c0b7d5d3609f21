from datetime import date
from decimal import Decimal

import pytest

from apps.applicants.models import StatusTag
from apps.core.demo import make_uscc
from apps.startup_loans import services
from apps.startup_loans.models import Lender, LoanApplication, SubsidyClaim
from tests.factories import PersonFactory, StatusTagFactory

DAY = date(2026, 3, 1)


def target_person(region_id="220102", tag=StatusTag.Tag.MIGRANT_WORKER, since=date(2025, 6, 1), until=None, **kwargs):
    person = PersonFactory(region_id=region_id, **kwargs)
    if tag is not None:
        StatusTagFactory(person=person, tag=tag, since=since, until=until)
    return person


def loan_input(**overrides) -> services.ApplicationInput:
    values = {"application_date": DAY, "business_name": "南关区返乡农家菜馆", "amount_requested": Decimal("200000.00"),
              "term_months": 24, "lender_bank": "吉林银行长春南关支行", "business_uscc": "", **overrides}
    return services.ApplicationInput(**values)


def make_application(user, person=None, **overrides) -> LoanApplication:
    return services.application_create(user=user, person=person or target_person(region_id=user.region_id),
                                       data=loan_input(**overrides))


def approved_application(maker, reviewer, **overrides) -> LoanApplication:
    application = make_application(maker, **overrides)
    return services.application_review(application=application, user=reviewer, action="approve")


def schedule(application, paid=(1, 2, 3), interest="583.33", periods=6):
    rows = [services.PeriodRow(application_id=application.pk, region_id=application.region_id, period=n,
                               due_date=date(2026, 3 + n, 1) if n <= 9 else date(2027, n - 9, 1),
                               principal=Decimal("0.00"), interest=Decimal(interest),
                               paid_date=date(2026, 3 + n, 1) if n in paid else None) for n in range(1, periods + 1)]
    services.repayment_periods_write(rows=rows, import_batch_id=None)


# ------------------------------------------------------------------ the lender registry and paid claims


LENDER_ACCOUNT = "22050161000012345678"


def make_lender(user, region_id="220102", serial=8_800_001, name="吉林银行股份有限公司长春南关支行", bank=True,
                **overrides) -> Lender:
    values = {"name": name, "uscc": make_uscc(region_id, serial), "region_id": region_id, **overrides}
    if bank:
        values = {"bank_name": "吉林银行长春南关支行营业部", "bank_account": LENDER_ACCOUNT, "bank_account_name": name,
                  **values}
    return services.lender_save(user=user, lender=Lender(**values))


def approved_claim(maker, reviewer, lender=None, **overrides) -> SubsidyClaim:
    """An approved loan (at `lender`), three paid periods of 583.33 at 50 %, its claim approved: 875.00 元."""
    application = approved_application(maker, reviewer, lender_id=lender.pk if lender else None, **overrides)
    schedule(application)
    claim = services.claim_create(application=application, user=maker)
    return services.claim_review(claim=claim, user=reviewer, action="approve")


@pytest.fixture
def second_supervisor(db):
    from apps.accounts.models import User
    from tests.factories import UserFactory

    return UserFactory(username="sup_changchun_2", role=User.Role.SUPERVISOR, region_id="220100", is_staff=True)
