from pathlib import Path

import pytest

import apps.childcare

PARAMETERS = Path(apps.childcare.__file__).resolve().parent / "policy_parameters.json"


def ensure_childcare_parameters() -> None:
    """The counting threshold comes from this app's data migration; a transactional test's flush removes it
    and the root conftest only restores the shared fixture file."""
    from apps.childcare.services.claims import MIN_DAYS_KEY
    from apps.eligibility.models import PolicyParameter
    from apps.eligibility.parameters import load_policy_parameters

    if not PolicyParameter.objects.filter(key=MIN_DAYS_KEY).exists():
        load_policy_parameters(PARAMETERS)


@pytest.fixture(autouse=True)
def _childcare_parameters(request, _regions):
    names = set(request.fixturenames)
    if request.node.get_closest_marker("django_db") or names & {"db", "transactional_db", "live_server"}:
        ensure_childcare_parameters()
