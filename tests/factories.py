"""factory_boy factories. Identifiers are valid (check digits) and unique per sequence."""

from datetime import date
from decimal import Decimal

import factory

from apps.accounts.models import User
from apps.applicants.models import InsuranceEnrollment, Person, StatusTag, person_id_fields
from apps.core.demo import make_id_number, make_uscc
from apps.employers.models import Contribution, Employer


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "王"
    first_name = factory.Sequence(lambda n: f"测试{n}")
    role = User.Role.CASEWORKER
    region_id = "220102"
    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "pw")
        if create:
            self.save(update_fields=["password"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    class Params:
        birth = date(1990, 5, 17)
        female = False

    region_id = "220102"
    name = factory.Sequence(lambda n: f"张{n}")
    # The derived fields come from the one function the services use (make_id_number encodes birth and sex).
    birth_date = factory.LazyAttribute(lambda o: person_id_fields(o.id_number)["birth_date"])
    sex = factory.LazyAttribute(lambda o: person_id_fields(o.id_number)["sex"])
    birthplace_code = factory.LazyAttribute(lambda o: person_id_fields(o.id_number)["birthplace_code"])
    birthplace_known = factory.LazyAttribute(lambda o: person_id_fields(o.id_number)["birthplace_known"])
    id_last4 = factory.LazyAttribute(lambda o: person_id_fields(o.id_number)["id_last4"])

    @factory.lazy_attribute_sequence
    def id_number(self, n):
        return make_id_number(self.region_id, self.birth, n, self.female)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    region_id = "220102"
    name = factory.Sequence(lambda n: f"测试单位{n}有限公司")
    entity_type = Employer.EntityType.ENTERPRISE
    industry = Employer.Industry.INDUSTRY
    employees = 50

    @factory.lazy_attribute_sequence
    def uscc(self, n):
        return make_uscc(self.region_id, 9_000_000 + n)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    employer = factory.SubFactory(EmployerFactory)
    period = date(2025, 1, 1)
    insured_headcount = 50
    amount_due = Decimal("1000.00")
    paid_employer = Decimal("700.00")
    paid_employee = Decimal("300.00")
    late_fee = Decimal("0.00")


class StatusTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusTag

    person = factory.SubFactory(PersonFactory)
    tag = StatusTag.Tag.FLEXIBLE_EMPLOYMENT
    since = date(2024, 3, 1)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsuranceEnrollment

    person = factory.SubFactory(PersonFactory)
    kind = InsuranceEnrollment.Kind.FLEXIBLE_MEDICAL
    start_date = date(2024, 3, 1)
    contribution_base = Decimal("5000.00")
    months_contributed = 12
