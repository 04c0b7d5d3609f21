from datetime import date

import pytest

from apps.core.demo import make_uscc
from apps.eldercare import services
from apps.eldercare.models import Institution, StaffMember
from tests.factories import PersonFactory

_serial = iter(range(100, 10_000))


def make_institution(user, region_id="220102", beds=100, older=80, **kwargs) -> Institution:
    values = {"name": f"福寿养老院{next(_serial)}", "uscc": make_uscc(region_id, 7_000_000 + next(_serial)),
              "region_id": region_id, "beds": beds, "older_people_served": older, **kwargs}
    return services.institution_save(institution=Institution(**values), user=user)


def make_staff(user, institution, person=None, **kwargs) -> StaffMember:
    values = {"role": StaffMember.Role.CAREGIVER, "full_time": True, "start_date": date(2025, 1, 1), **kwargs}
    person = person or PersonFactory(region_id=institution.region_id)
    return services.staff_save(staff=StaffMember(institution=institution, person=person, **values), user=user)


@pytest.fixture
def institution(caseworker):
    return make_institution(caseworker)


@pytest.fixture
def staff(caseworker, institution):
    return make_staff(caseworker, institution)
