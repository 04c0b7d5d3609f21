import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.applicants.models import Person
from apps.core.validators import validate_id_number, validate_uscc
from apps.employers.models import Contribution, Employer

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_valid():
    call_command("seed_demo")
    counts = (User.objects.count(), Person.objects.count(), Employer.objects.count(), Contribution.objects.count())
    call_command("seed_demo")
    assert counts == (User.objects.count(), Person.objects.count(), Employer.objects.count(),
                      Contribution.objects.count())
    assert set(User.objects.values_list("role", flat=True)) == {"caseworker", "supervisor", "administrator",
                                                                 "integration", "auditor"}
    for person in Person.objects.all()[:50]:
        validate_id_number(person.id_number)
        assert person.birth_date.strftime("%Y%m%d") == person.id_number[6:14]
    for employer in Employer.objects.all()[:50]:
        validate_uscc(employer.uscc)
    assert Person.objects.filter(region__code__startswith="2201").exists()
    assert Person.objects.exclude(region__code__startswith="2201").exists()
