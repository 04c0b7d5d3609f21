from datetime import date
from decimal import Decimal

import pytest

from apps.fraud import services
from tests.factories import PersonFactory


@pytest.fixture
def person(db):
    return PersonFactory(name="李工伤", region_id="220102")


@pytest.fixture
def open_case(caseworker, person):
    def make(amount: str = "8600.00", **kwargs):
        return services.case_create(user=caseworker, person=person, reported_on=kwargs.pop("reported_on", date(2026, 11, 20)),
                                    hospital="长春市某医院", amount_billed=Decimal(amount),
                                    description="工伤住院以普通疾病由医保结算", **kwargs)

    return make


def move(case, action, user, **kwargs):
    return services.case_transition(case=case, action=action, user=user, **kwargs)


@pytest.fixture
def found_case(open_case, caseworker):
    def make(amount: str = "8600.00", misused: str | None = None, on: date = date(2026, 11, 25)):
        case = move(open_case(amount), "investigate", caseworker)
        return move(case, "find", caseworker, misused_amount=Decimal(misused or amount),
                    facts_summary="工伤住院费用由医保基金结算", today=on)

    return make
