"""bench/import_contributions.py clears only its own employers' contributions and drops only its own employers —
those carrying its marker — never the refund benchmark's (seed_benchmark names its employers "基准测试单位N号"; the
import bench once deleted by that name pattern) nor an employer that merely shares its name prefix."""

import importlib.util
import os
from datetime import date
from pathlib import Path
from unittest import mock

import pytest

from apps.employers.models import Contribution
from tests.factories import ContributionFactory, EmployerFactory

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "import_contributions.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_import_contributions", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ):  # the script sets DEBUG=0 and more for itself: not for later tests
        spec.loader.exec_module(module)
    return module


def test_the_import_bench_clears_its_own_rows_and_keeps_the_refund_benchmarks(bench):
    refund_bench = EmployerFactory(name="基准测试单位1号", uscc="B22BENCH000000001")
    ContributionFactory(employer=refund_bench, period=date(2024, 1, 1))
    codes = bench.ensure_employers(3)
    for code in codes:
        ContributionFactory(employer_id=bench.Employer.objects.get(uscc=code).pk, period=date(2024, 1, 1))
    assert not any(name.startswith("基准测试单位") for name in
                   bench.Employer.objects.filter(uscc__in=codes).values_list("name", flat=True))

    assert bench.clear_contributions(codes) == 3
    assert list(Contribution.objects.values_list("employer__uscc", flat=True)) == ["B22BENCH000000001"]


def test_the_import_bench_drops_only_the_employers_with_its_marker(bench):
    refund_bench = EmployerFactory(name="基准测试单位2号", uscc="B22BENCH000000002")
    lookalike = EmployerFactory(name=f"{bench.NAME_PREFIX}0有限公司")  # the same name, not the bench's
    ContributionFactory(employer=refund_bench, period=date(2024, 1, 1))
    codes = bench.ensure_employers(2)
    for code in codes:
        ContributionFactory(employer=bench.Employer.objects.get(uscc=code), period=date(2024, 1, 1))

    assert bench.drop_employers() == 2
    assert set(bench.Employer.objects.values_list("pk", flat=True)) == {refund_bench.pk, lookalike.pk}
    assert list(Contribution.objects.values_list("employer_id", flat=True)) == [refund_bench.pk]
