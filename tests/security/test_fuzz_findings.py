"""5xx the API fuzz found, each pinned by the request that found it."""

import pytest
from django.urls import reverse

from tests.training.conftest import make_enrollment, make_program, occupations  # noqa: F401 — a fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", [[{}, [], 0.03], {"certificate": "abc"}, {"certificate": {"x": 1}}, "7"])
def test_claim_assessment_subsidy_with_a_malformed_body_is_a_400(api_for, caseworker, occupations, body):  # noqa: F811
    enrollment = make_enrollment(make_program(occupations), caseworker)
    url = reverse("training-enrollment-claim-assessment-subsidy", args=[enrollment.pk])
    response = api_for(caseworker).post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] in ("no_certificate", "invalid")
