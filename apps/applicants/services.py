from django.core.exceptions import ValidationError
from django.db import transaction

from apps.applicants.models import Person
from apps.core.exceptions import ApplicationError
from apps.core.validators import id_number_facts


def _derive_from_id(person: Person) -> None:
    try:
        facts = id_number_facts(person.id_number)
    except ValidationError as error:
        raise ApplicationError("invalid_id_number", error.messages[0], {"id_number": error.messages}) from error
    person.id_number = person.id_number.strip().upper()
    person.birth_date, person.sex, person.birthplace_code = facts.birth_date, facts.sex, facts.birthplace_code


@transaction.atomic
def person_save(*, person: Person) -> Person:
    """Create or update; birth date, sex and birthplace always follow the ID number."""
    _derive_from_id(person)
    person.full_clean(exclude=["birth_date", "sex", "birthplace_code"])
    person.save()
    return person


@transaction.atomic
def person_get_or_create(*, id_number: str, defaults: dict) -> tuple[Person, bool]:
    """One person, one record: an entry with a known ID number finds the existing person."""
    existing = Person.objects.filter(id_number=id_number.strip().upper()).first()
    if existing is not None:
        return existing, False
    return person_save(person=Person(id_number=id_number.strip().upper(), **defaults)), True
