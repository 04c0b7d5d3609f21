"""Demo gig-market data: 乡镇/村 regions under 南关区 and 船营区 (illustrative codes: the shipped region table stops at
the county), brokers, worker registrations, postings, placements and follow-ups.

Idempotent: regions by code, brokers by person, registrations by person, postings by title, placements by
(posting, worker); a second run adds nothing."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.applicants.models import Person
from apps.core.models import Region
from apps.employers.models import Employer
from apps.gig import services
from apps.gig.models import Availability, Broker, Outcome, Placement, Posting
from apps.gig.selectors import posting_matches

REGIONS = [  # code, name, level, parent
    ("220102001", "永吉街道", "township", "220102"),
    ("220102001001", "永吉社区", "village", "220102001"),
    ("220102002", "自强街道", "township", "220102"),
    ("220204100", "大绥河镇", "township", "220204"),
    ("220204100201", "大绥河村", "village", "220204100"),
]
BROKERS = [("220102", "220102001001"), ("220102", "220102002"), ("220204", "220204100201")]
WORKER_TRADES = [["bricklayer", "construction_helper"], ["construction_helper"], ["cleaner", "domestic"],
                 ["loader"], ["harvest", "farmhand"], ["bricklayer"], ["kitchen_helper", "waiter"], ["carpenter"]]
POSTINGS = [  # title, trade, pay, unit, headcount, region, address, days from today, length, broker index or None
    ("幸福小区外墙修补瓦工", "bricklayer", "260.00", "day", 3, "220102001", "永吉街道幸福街 18 号", -2, 9, None),
    ("超市年货搬运装卸", "loader", "25.00", "hour", 4, "220102", "南关区人民大街 100 号", 5, 10, 1),
    ("家政保洁日结", "cleaner", "180.00", "day", 2, "220102002", "自强街道民康路 9 号", 1, 5, 0),
    ("大绥河村大棚采摘", "harvest", "150.00", "day", 5, "220204100201", "大绥河村三组", 3, 14, 2),
]


def seed(*, rng) -> str:
    for code, name, level, parent in REGIONS:
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})
    admin = User.objects.filter(username="admin").first() or User.objects.filter(is_superuser=True).first()
    if admin is None:
        return "没有管理员账号，跳过"
    today = timezone.localdate()
    adults = {county: list(Person.objects.filter(region_id=county, birth_date__lte=today - timedelta(days=20 * 365))
                           .order_by("id")[:40]) for county in ("220102", "220204")}
    brokers: list[Broker] = []
    for index, (county, region) in enumerate(BROKERS):
        person = adults[county][index]
        broker = Broker.objects.filter(person=person).first() or services.broker_register(broker=Broker(
            person=person, region_id=region, phone=person.phone or "13900000000",
            registered_on=today - timedelta(days=200 - index * 30)), user=admin)
        brokers.append(broker)
    workers: list[Availability] = []
    for index, person in enumerate(adults["220102"][5:21] + adults["220204"][5:11]):
        open_one = Availability.objects.filter(person=person, status=Availability.Status.OPEN).first()
        if open_one is None:
            open_one = services.availability_register(availability=Availability(
                person=person, region_id=person.region_id, phone=person.phone, available_from=today,
                available_to=today + timedelta(days=20 + index % 10),
                expected_pay=Decimal(str(150 + (index % 5) * 30)) if index % 3 else None), user=admin,
                trades=WORKER_TRADES[index % len(WORKER_TRADES)])
        workers.append(open_one)
    employer = Employer.objects.filter(region_id="220102").order_by("id").first()
    placed = 0
    for title, trade, pay, unit, headcount, region, address, offset, length, broker_index in POSTINGS:
        posting = Posting.objects.filter(title=title).first()
        if posting is None:
            posting = services.posting_create(posting=Posting(
                title=title, trade=trade, pay=Decimal(pay), pay_unit=unit, headcount=headcount, region_id=region,
                address=address, start_date=today + timedelta(days=offset),
                end_date=today + timedelta(days=offset + length),
                employer=employer if broker_index is None else None,
                broker=brokers[broker_index] if broker_index is not None else None), user=admin)
        if posting.placements.exists() or posting.status != Posting.Status.OPEN:
            continue
        for candidate in posting_matches(user=admin, posting=posting)[:2]:
            placement = services.placement_create(
                posting=posting, availability=candidate.record, start_date=posting.start_date, user=admin,
                broker=brokers[broker_index] if broker_index is not None else brokers[0])
            placed += 1
            if posting.start_date <= today:
                services.follow_up_record(placement=placement, visited_on=today, outcome=Outcome.ON_JOB,
                                          pay_received=True, user=admin, note="电话回访，按日结算")
    return (f"{Broker.objects.count()} 名劳务经纪人，{Availability.objects.count()} 条求职登记，"
            f"{Posting.objects.count()} 个零工岗位，本次新增 {placed} 人上岗（共 {Placement.objects.count()} 人）")
