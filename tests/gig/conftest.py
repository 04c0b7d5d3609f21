from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.core.models import Region
from apps.gig import services
from apps.gig.models import Availability, Broker, Posting
from tests.factories import EmployerFactory, PersonFactory

START = date(2026, 4, 6)


@pytest.fixture
def villages(db):
    for code, name, level, parent in [("220102001", "永吉街道", "township", "220102"),
                                      ("220102001001", "永吉社区", "village", "220102001"),
                                      ("220204100", "大绥河镇", "township", "220204")]:
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})


def make_broker(user, region="220102001001", **kwargs) -> Broker:
    person = PersonFactory(region_id=region[:6])
    return services.broker_register(broker=Broker(person=person, region_id=region, phone="13904310001",
                                                  registered_on=START - timedelta(days=30), **kwargs), user=user)


def make_posting(user, *, trade="bricklayer", headcount=2, region="220102", start=START, days=5, broker=None,
                 pay="260.00", unit="day") -> Posting:
    employer = None if broker else EmployerFactory(region_id=region[:6])
    return services.posting_create(posting=Posting(
        title=f"{trade} 岗位", trade=trade, pay=Decimal(pay), pay_unit=unit, headcount=headcount, region_id=region,
        address="幸福街 18 号", start_date=start, end_date=start + timedelta(days=days - 1), employer=employer,
        broker=broker), user=user)


def make_worker(user, *, trades=("bricklayer",), region="220102", start=START, days=10, pay=None,
                unit="day") -> Availability:
    person = PersonFactory(region_id=region[:6])
    return services.availability_register(availability=Availability(
        person=person, region_id=region, available_from=start, available_to=start + timedelta(days=days - 1),
        expected_pay=Decimal(pay) if pay else None, pay_unit=unit), trades=list(trades), user=user)
