from datetime import date

from apps.applicants.models import Person
from apps.core.demo import make_id_number, person_name, random_birth
from apps.core.models import Region

DEMO_PEOPLE = 300


def seed(*, rng) -> str:
    counties = list(Region.objects.filter(level="county").values_list("code", flat=True))
    # Weight the demo towards 长春市南关区 so the demo caseworker has plenty to look at.
    counties = ["220102"] * 20 + counties
    today = date(2026, 11, 1)
    people = []
    for index in range(DEMO_PEOPLE):
        region = rng.choice(counties)
        female = rng.random() < 0.5
        birth = random_birth(rng, 0, 3, today) if index % 6 == 0 else random_birth(rng, 18, 50, today)
        number = make_id_number(region, birth, index, female)
        people.append(Person(
            id_number=number, name=person_name(rng), birth_date=birth, sex="F" if female else "M",
            birthplace_code=number[:6], phone=f"13{rng.randint(100000000, 999999999)}",
            hukou_type=rng.choice(["urban", "rural"]), hukou_region_id=region, region_id=region,
        ))
    existing = set(Person.objects.filter(id_number__in=[p.id_number for p in people]).values_list("id_number", flat=True))
    new = [p for p in people if p.id_number not in existing]
    from simple_history.utils import bulk_create_with_history

    bulk_create_with_history(new, Person, batch_size=500)
    return f"{len(new)} 名新人员（共 {Person.objects.count()} 名）"
