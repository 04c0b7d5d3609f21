"""Views that write past every check straight into a database constraint (tests/core/test_constraint_messages.py):
what two requests at the same instant, or a service that forgot a check, would do."""

from datetime import date

from django.db import transaction
from django.http import HttpResponse
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from apps.applicants.models import StatusTag
from apps.employers.models import Contribution
from config import urls as portal_urls
from tests.factories import ContributionFactory, StatusTagFactory


def _violate(kind: str) -> None:
    with transaction.atomic():  # as a service writes (and as the test's own transaction survives it)
        _write(kind)


def _write(kind: str) -> None:
    if kind == "check":
        tag = StatusTagFactory.build()
        tag.person.save()
        StatusTag.objects.create(person=tag.person, tag=tag.tag, since=date(2025, 5, 1), until=date(2025, 4, 30))
    else:
        first = ContributionFactory()
        Contribution.objects.create(employer=first.employer, period=first.period, insured_headcount=1,
                                    amount_due=1, paid_employer=1, paid_employee=0, late_fee=0)


def page(request, kind):
    _violate(kind)
    return HttpResponse("saved")


@api_view(["POST"])
@permission_classes([AllowAny])
def api(request, kind):
    _violate(kind)
    return HttpResponse("saved")


urlpatterns = [path("page/<str:kind>/", page), path("api/<str:kind>/", api), *portal_urls.urlpatterns]
