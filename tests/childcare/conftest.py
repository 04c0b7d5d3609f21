import pytest


def ensure_childcare_parameters() -> None:
    """The counting threshold is a shipped policy parameter (fixtures/policy_parameters/childcare.json); a
    transactional test's flush removes it: the one loader adds back whatever is missing."""
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    load_policy_parameters()


@pytest.fixture(autouse=True)
def _childcare_parameters(request, _regions):
    names = set(request.fixturenames)
    if request.node.get_closest_marker("django_db") or names & {"db", "transactional_db", "live_server"}:
        ensure_childcare_parameters()
