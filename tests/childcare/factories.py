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


def publicized(claim, *, by=None, days_ago: int = 30):
    """A submitted claim through 初审 and 公示 whose window has passed (published `days_ago` days back) by a
    first reviewer of its own (not the submitter, not the caller's 复核 reviewer): ready for 复核 (approve)."""
    from datetime import timedelta

    from apps.accounts.models import User
    from apps.childcare.services import claims
    from tests.factories import UserFactory

    if by is None:
        by = (User.objects.filter(username="first_reviewer").first()
              or UserFactory(username="first_reviewer", role=User.Role.ADMINISTRATOR, region_id="220000"))
    return claims.claim_publish(claim=claim, user=by, comment="初审通过",
                                today=date.today() - timedelta(days=days_ago))
