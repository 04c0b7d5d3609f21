"""Tests that fail when the row filter of a run's results stops following the user's region.

A city run (长春市, 220100) holds rows of every district. Who may open the run is decided by the run's
region (a district caseworker gets a 404 for a city run: tests/refunds/test_api.py); *which rows* a user
sees of a run is decided row by row by the result selector, asserted here on the rows themselves.
"""

import pytest

from apps.accounts.models import User
from apps.core.exceptions import NotFoundError
from apps.refunds import selectors
from tests.factories import EmployerFactory, UserFactory
from tests.refunds.conftest import CASES

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_run(dataset, supervisor, run_now):
    """A 长春市 run over the hand-checked 南关区 employers plus two of 宽城区 (220103)."""
    kuancheng = [EmployerFactory(region_id="220103"), EmployerFactory(region_id="220103")]
    run = run_now(region_code="220100", user=supervisor)
    return run, kuancheng


def employer_ids(rows) -> set[int]:
    return {row.employer_id for row in rows}


def test_a_district_caseworker_sees_only_the_districts_rows_of_a_city_run(city_run, dataset, supervisor):
    run, kuancheng = city_run
    district_worker = UserFactory(username="cw_kuancheng_rows", role=User.Role.CASEWORKER, region_id="220103")
    nanguan_worker = UserFactory(username="cw_nanguan_rows", role=User.Role.CASEWORKER, region_id="220102")

    everything = selectors.result_list(user=supervisor, run=run)
    assert everything.count() == len(CASES) + 2  # 船营区's employer is not in a 长春 run

    assert employer_ids(selectors.result_list(user=district_worker, run=run)) == {e.pk for e in kuancheng}
    nanguan = employer_ids(selectors.result_list(user=nanguan_worker, run=run))
    assert nanguan == {employer.pk for key, employer in dataset.items() if key != "other_city"}
    assert all(row.region_code.startswith("220103")
               for row in selectors.result_list(user=district_worker, run=run))


def test_one_row_of_another_district_is_not_found(city_run, dataset):
    run, kuancheng = city_run
    district_worker = UserFactory(username="cw_kuancheng_one", role=User.Role.CASEWORKER, region_id="220103")
    assert selectors.result_get(user=district_worker, run=run, employer_id=kuancheng[0].pk).employer_id == kuancheng[0].pk
    with pytest.raises(NotFoundError):
        selectors.result_get(user=district_worker, run=run, employer_id=dataset["baseline"].pk)


def test_the_districts_part_of_a_city_run_is_its_prefix(city_run, supervisor):
    run, _ = city_run
    district_worker = UserFactory(username="cw_kuancheng_prefix", role=User.Role.CASEWORKER, region_id="220103")
    assert selectors.visible_prefix(district_worker, run) == "220103"
    assert selectors.visible_prefix(supervisor, run) == ""


def test_a_user_without_a_region_sees_no_row(city_run):
    run, _ = city_run
    nobody = UserFactory(username="cw_nowhere", role=User.Role.CASEWORKER, region_id=None)
    assert nobody.region is None
    assert selectors.result_list(user=nobody, run=run).count() == 0
