from datetime import date, timedelta
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from apps.applicants.models import (
    Household,
    HouseholdMember,
    InsuranceEnrollment,
    Person,
    StatusTag,
    person_id_fields,
)
from apps.core.demo import make_id_number, person_name, random_birth
from apps.core.models import Region

DEMO_PEOPLE = 300
# Every sixth demo person is a child under three; the next two are its parents (head and spouse).
FAMILY_SIZE = 6
ADULT_TAGS = [  # (tag, share of adults)
    (StatusTag.Tag.FLEXIBLE_EMPLOYMENT, 0.25), (StatusTag.Tag.MIGRANT_WORKER, 0.10),
    (StatusTag.Tag.NEW_EMPLOYMENT_FORM, 0.06), (StatusTag.Tag.UNEMPLOYED, 0.06),
    (StatusTag.Tag.EMPLOYMENT_DIFFICULTY, 0.04), (StatusTag.Tag.MINIMUM_LIVING, 0.08),
    (StatusTag.Tag.EXTREME_POVERTY, 0.02), (StatusTag.Tag.POVERTY_MONITORING, 0.03),
    (StatusTag.Tag.DISABLED, 0.03), (StatusTag.Tag.POSTNATAL_WOMAN, 0.04),
]


def seed(*, rng) -> str:
    counties = list(Region.objects.filter(level="county").values_list("code", flat=True))
    # Weight the demo towards 长春市南关区 so the demo caseworker has plenty to look at.
    counties = ["220102"] * 20 + counties
    today = date(2026, 11, 1)
    people: list[Person] = []
    for index in range(DEMO_PEOPLE):
        region = rng.choice(counties) if index % FAMILY_SIZE == 0 else people[index - index % FAMILY_SIZE].region_id
        female = rng.random() < 0.5 if index % FAMILY_SIZE != 1 else False
        female = True if index % FAMILY_SIZE == 2 else female
        birth = random_birth(rng, 0, 3, today) if index % FAMILY_SIZE == 0 else random_birth(rng, 18, 50, today)
        number = make_id_number(region, birth, index, female)
        people.append(Person(
            **person_id_fields(number), name=person_name(rng), phone=f"13{rng.randint(100000000, 999999999)}",
            hukou_type=rng.choice(["urban", "rural"]), hukou_region_id=region, region_id=region,
        ))
    existing = set(Person.objects.filter(id_number__in=[p.id_number for p in people]).values_list("id_number", flat=True))
    new = [p for p in people if p.id_number not in existing]
    bulk_create_with_history(new, Person, batch_size=500)
    ids = dict(Person.objects.filter(id_number__in=[p.id_number for p in people]).values_list("id_number", "pk"))

    households = _households(people, ids)
    tags, enrollments = _tags_and_enrollments(rng, people, ids, today)
    households += _births_families()
    return (f"{len(new)} 名新人员（共 {Person.objects.count()} 名），{households} 个新家庭，"
            f"{tags} 个新身份标签，{enrollments} 条新参保记录")


# The births programmes (R3) in the demo: a 南关区 family whose twins are its 2nd and 3rd child, and a 珲春市
# (border county) family with a 2nd child — the 主动发现 job finds the rewards and the child-rearing subsidy.
# (name, birth date, female, relation); sequences 400+ stay clear of the random people above.
BIRTHS_FAMILIES = [
    ("220102", [("刘建国", date(1990, 4, 12), False, "head"), ("陈丽", date(1992, 7, 20), True, "spouse"),
                ("刘一诺", date(2021, 8, 15), True, "child"), ("刘二宝", date(2026, 9, 14), False, "child"),
                ("刘三宝", date(2026, 9, 14), True, "child")]),
    ("222404", [("金成浩", date(1991, 1, 23), False, "head"), ("朴美善", date(1993, 5, 2), True, "spouse"),
                ("金小雨", date(2023, 2, 10), True, "child"), ("金小山", date(2026, 10, 5), False, "child")]),
]


def _births_families() -> int:
    created, sequence = 0, 400
    for region, members in BIRTHS_FAMILIES:
        people = []
        for name, birth, female, relation in members:
            number = make_id_number(region, birth, sequence, female)
            sequence += 1
            person, _ = Person.objects.get_or_create(
                id_number=number, defaults={**person_id_fields(number), "name": name, "region_id": region,
                                            "hukou_region_id": region, "hukou_type": "rural"})
            people.append((person, relation))
        if HouseholdMember.objects.filter(person=people[0][0]).exists():
            continue
        household = Household.objects.create(region_id=region, address=f"{region}演示村{sequence}号")
        for person, relation in people:
            HouseholdMember.objects.create(household=household, person=person, relation=relation)
        created += 1
    return created


def _households(people: list[Person], ids: dict[str, int]) -> int:
    members_known = set(HouseholdMember.objects.filter(person_id__in=ids.values()).values_list("person_id", flat=True))
    created = 0
    for start in range(0, len(people) - 2, FAMILY_SIZE):
        child, head, spouse = people[start], people[start + 1], people[start + 2]
        if ids[head.id_number] in members_known:
            continue
        household = Household.objects.create(region_id=head.region_id, address=f"{head.region_id}演示小区{start}号")
        for person, relation in ((head, "head"), (spouse, "spouse"), (child, "child")):
            HouseholdMember.objects.create(household=household, person_id=ids[person.id_number], relation=relation)
        created += 1
    return created


def _tags_and_enrollments(rng, people: list[Person], ids: dict[str, int], today: date) -> tuple[int, int]:
    tags, enrollments = [], []
    for index, person in enumerate(people):
        if index % FAMILY_SIZE == 0:
            continue  # the children carry no employment status
        pk = ids[person.id_number]
        for tag, share in ADULT_TAGS:
            if rng.random() < share:
                since = today - timedelta(days=rng.randint(60, 1500))
                until = since + timedelta(days=rng.randint(200, 900)) if rng.random() < 0.2 else None
                tags.append(StatusTag(person_id=pk, tag=tag, since=since, until=until))
                if tag == StatusTag.Tag.FLEXIBLE_EMPLOYMENT:
                    base = Decimal(rng.choice([4200, 4800, 5300, 6100]))
                    months = rng.randint(3, 48)
                    for kind in (InsuranceEnrollment.Kind.FLEXIBLE_MEDICAL, InsuranceEnrollment.Kind.MATERNITY):
                        enrollments.append(InsuranceEnrollment(person_id=pk, kind=kind, start_date=since,
                                                             contribution_base=base, months_contributed=months))
    known_tags = set(StatusTag.objects.filter(person_id__in=ids.values()).values_list("person_id", "tag", "since"))
    new_tags = [t for t in tags if (t.person_id, t.tag, t.since) not in known_tags]
    known_enrollments = set(InsuranceEnrollment.objects.filter(person_id__in=ids.values())
                           .values_list("person_id", "kind", "start_date"))
    new_enrollments = [e for e in enrollments if (e.person_id, e.kind, e.start_date) not in known_enrollments]
    bulk_create_with_history(new_tags, StatusTag, batch_size=500)
    bulk_create_with_history(new_enrollments, InsuranceEnrollment, batch_size=500)
    return len(new_tags), len(new_enrollments)
