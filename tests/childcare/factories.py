from datetime import date

import factory

from apps.childcare.models import Enrollment, Institution
from apps.core.demo import make_uscc
from tests.factories import PersonFactory


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"测试托育园{n}")
    region_id = "220102"
    category = Institution.Category.PRIVATE_INCLUSIVE
    inclusive_certificate_number = "吉普惠托〔2024〕1号"
    inclusive_certified_from = date(2024, 1, 1)
    places_infant = 10
    places_toddler = 10
    places_preschool = 10

    @factory.lazy_attribute_sequence
    def uscc(self, n):
        return make_uscc(self.region_id, 8_000_000 + n, "52")


def child(**kwargs):
    kwargs.setdefault("birth", date(2023, 6, 1))
    return PersonFactory(**kwargs)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    child = factory.LazyFunction(child)
    institution = factory.SubFactory(InstitutionFactory)
    age_group = "toddler"
    start_date = date(2025, 1, 1)
    end_date = None
