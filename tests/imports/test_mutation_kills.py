"""Tests that fail when the import's second pass stops being all-or-nothing or stops writing in chunks."""

import pytest

from apps.core.exceptions import ApplicationError
from apps.employers.models import Employer
from apps.imports import services
from apps.imports.models import ImportBatch, ImportIssue
from tests.imports.helpers import EMPLOYER_HEADER, csv_file, employer_row

pytestmark = pytest.mark.django_db


def run(handle, user=None):
    return services.import_file(kind="employers", handle=handle, file_name="employers.csv", user=user, source="test")


@pytest.fixture
def chunk_of_7(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 7)
    return 7


@pytest.fixture
def written_chunks(monkeypatch):
    """The sizes of the chunks pass 2 hands to the owning app's writer, in order."""
    spec = services.spec_for("employers")
    original = spec.write_chunk
    sizes: list[int] = []

    def write_chunk(rows, ctx):
        sizes.append(len(rows))
        return original(rows, ctx)

    monkeypatch.setattr(spec, "write_chunk", write_chunk)
    return sizes


def test_a_file_larger_than_one_chunk_imports_every_row_in_chunks(chunk_of_7, written_chunks):
    rows = [employer_row(serial) for serial in range(1, 31)]  # 30 rows = 7 + 7 + 7 + 7 + 2
    batch = run(csv_file(EMPLOYER_HEADER, *rows))
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert (batch.rows_total, batch.rows_created) == (30, 30)
    assert Employer.objects.count() == 30
    assert written_chunks == [7, 7, 7, 7, 2]


def test_a_file_of_exactly_one_chunk_is_one_write(chunk_of_7, written_chunks):
    batch = run(csv_file(EMPLOYER_HEADER, *[employer_row(serial) for serial in range(1, 8)]))
    assert batch.rows_created == 7 and written_chunks == [7]


def test_pass_one_checks_the_database_once_per_chunk(chunk_of_7, monkeypatch):
    spec = services.spec_for("employers")
    original = spec.check_chunk
    checked: list[int] = []

    def check_chunk(rows, ctx):
        checked.append(len(rows))
        return original(rows, ctx)

    monkeypatch.setattr(spec, "check_chunk", check_chunk)
    run(csv_file(EMPLOYER_HEADER, *[employer_row(serial) for serial in range(1, 16)]))
    assert checked == [7, 7, 1]


def test_a_failure_midway_through_pass_two_writes_nothing(chunk_of_7, monkeypatch):
    """The first chunk is written, the second fails: the whole file is rolled back, the batch says why."""
    spec = services.spec_for("employers")
    original = spec.write_chunk
    calls = []

    def write_chunk(rows, ctx):
        calls.append(len(rows))
        if len(calls) == 2:
            assert Employer.objects.count() == 7  # the first chunk really was written
            raise ApplicationError("write_failed", "写入失败（测试）")
        return original(rows, ctx)

    monkeypatch.setattr(spec, "write_chunk", write_chunk)
    batch = run(csv_file(EMPLOYER_HEADER, *[employer_row(serial) for serial in range(1, 21)]))
    assert calls == [7, 7]
    assert batch.status == ImportBatch.Status.FAILED
    assert Employer.objects.count() == 0
    assert Employer.history.count() == 0
    assert (batch.rows_created, batch.rows_updated) == (0, 0)
    assert list(ImportIssue.objects.filter(batch=batch).values_list("message", flat=True)) == ["写入失败（测试）"]
