"""The PostgreSQL path of the contributions import (apps.imports.bulk: COPY into a staging table, set-based checks,
one INSERT … ON CONFLICT) gives exactly what the Python passes give: the same issues (line, column, value,
message, in order), the same batch (status, counts, message) and the same contribution rows — file by file.

Each case runs twice on the same database state (a savepoint rolled back in between): once with the spec's
`bulk_sql` removed (the Python path, as on SQLite) and once as it is (the SQL path). PostgreSQL only."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from apps.employers.models import Contribution
from apps.imports import bulk, services
from apps.imports import spec as spec_module
from apps.imports.limits import ImportLimits
from apps.imports.models import ImportBatch, ImportIssue
from tests.concurrency import postgresql_only  # noqa: F401 (fixture)
from tests.factories import ContributionFactory, EmployerFactory
from tests.imports.helpers import CONTRIBUTION_HEADER, bad_check_digit, uscc, xlsx_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postgresql_only")]


@pytest.fixture(autouse=True, params=["1MB-blocks", "64-byte-blocks"])
def block_size(request, monkeypatch):
    """Every case twice: with the block path's megabyte blocks (a test file is one block) and with blocks of 64
    bytes (about one line each), so that clean blocks are COPYed as they are and the rest of the file, from the
    first block that is not all clean, goes row by row."""
    if request.param == "64-byte-blocks":
        monkeypatch.setattr(bulk, "FAST_BLOCK", 64)
    return request.param

LABELS = "统一社会信用代码,所属期,参保人数,应缴金额,单位实缴,个人实缴,滞纳金"


def row(code, period="2025-01", headcount="30", due="3000.00", employer="2100.00", employee="900.00", late=""):
    return f"{code},{period},{headcount},{due},{employer},{employee},{late}"


def run(handle, user, limits=None):
    return services.import_file(kind="contributions", handle=handle, file_name="c.csv", user=user, source="test",
                                limits=limits)


def outcome(batch: ImportBatch, before: set[int]) -> dict:
    def who(batch_id):
        return "this" if batch_id == batch.pk else ("earlier" if batch_id in before else batch_id)

    batch.refresh_from_db()
    return {
        "batch": (batch.status, batch.rows_total, batch.rows_created, batch.rows_updated, batch.rows_unchanged,
                  batch.error_count, batch.message),
        "issues": list(ImportIssue.objects.filter(batch=batch).order_by("line", "id")
                       .values_list("line", "column", "value", "message")),
        "rows": [(employer, period, headcount, due, paid_er, paid_ee, late, who(batch_id))
                 for employer, period, headcount, due, paid_er, paid_ee, late, batch_id in
                 Contribution.objects.order_by("employer_id", "period").values_list(
                     "employer__uscc", "period", "insured_headcount", "amount_due", "paid_employer", "paid_employee",
                     "late_fee", "import_batch_id")],
    }


@pytest.fixture
def world(caseworker):
    """Two employers of the caseworker's 南关区, one of 船营区 (outside), and one stored contribution."""
    mine = EmployerFactory(region_id="220102")
    second = EmployerFactory(region_id="220102")
    elsewhere = EmployerFactory(region_id="220204")
    earlier = ImportBatch.objects.create(kind="contributions", file_name="earlier.csv", sha256="0" * 64)
    ContributionFactory(employer=second, period=date(2024, 12, 1), insured_headcount=30, amount_due=Decimal("3000.00"),
                        paid_employer=Decimal("2100.00"), paid_employee=Decimal("900.00"), late_fee=Decimal("0.00"),
                        import_batch=earlier)
    return {"mine": mine.uscc, "second": second.uscc, "elsewhere": elsewhere.uscc, "user": caseworker}


def text(*lines: str, header: str = CONTRIBUTION_HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


# Each case: (name, a function of the world giving the file's bytes, whether the caseworker imports (else the operator)).
CASES = [
    ("good file", lambda w: text(row(w["mine"]), row(w["mine"], "2025-02", late="12.5"),
                                 row(w["second"], "2025-01-01")), True),
    ("reimport: one stored row unchanged, one new", lambda w: text(
        row(w["second"], "2024-12"), row(w["second"], "2024-12", employee="901.00").replace("2024-12", "2024-11")),
     True),
    ("reimport with one changed amount", lambda w: text(row(w["second"], "2024-12", late="0.01")), True),
    ("bad periods", lambda w: text(*(row(w["mine"], period) for period in (
        "2025-13", "2025/01", "1989-12", "2101-01", "2025-00", "2025-1", "2025-02-15", "25-01", "２０２５-０３",
        "2025-04-01", "2025-05 ", "2025-06x"))), True),
    ("bad headcounts", lambda w: text(*(row(w["mine"], f"2025-{m:02d}", headcount=h) for m, h in enumerate(
        ("x", "-5", "1234567890", "", "3.0", "+3", "٣", "007", "999999999", "-", "1 2"), start=1))), True),
    ("bad amounts", lambda w: text(*(row(w["mine"], f"2025-{m:02d}", due=d) for m, d in enumerate(
        ("-10", "1.005", "1.000", "1,000", "1e3", "abc", "1234567890123.00", "999999999999.99", "9" * 30,
         "9" * 27 + ".001", "-0", "-0.001", ".5", "5.", "１２.５０", "", "0.10"), start=1))), True),
    ("bad late fees, empty is 0.00", lambda w: text(
        row(w["mine"], "2025-01", late=""), row(w["mine"], "2025-02", late="-1"), row(w["mine"], "2025-03", late="0.123")),
     True),
    ("bad and normalised USCCs", lambda w: text(
        row(bad_check_digit(w["mine"])), row(w["mine"][:10]), row(""), row("X" * 18), row(w["mine"].lower(), "2025-02"),
        row(w["mine"][:6] + " " + w["mine"][6:], "2025-03"), row(w["mine"][:4] + "-" + w["mine"][4:], "2025-04")), True),
    ("duplicates in the file", lambda w: text(
        row(w["mine"]), row(w["mine"]), row(w["mine"], headcount="x"), row(w["mine"], "2025-01-01"),
        row(w["mine"].lower(), "2025-01"), row("", "2025-02"), row("", "2025-02"), row(w["mine"], "2025-13"),
        row(w["mine"], "2025-13"), row(w["second"], "2025-03", due="-1"), row(w["second"], "2025-03")), True),
    ("unknown and out-of-scope employers", lambda w: text(
        row(uscc(99)), row(w["elsewhere"]), row(w["mine"]), row(uscc(99), "2025-02")), True),
    ("the operator imports every region", lambda w: text(row(w["elsewhere"]), row(uscc(98))), False),
    ("mixed good and bad rows", lambda w: text(
        row(w["mine"]), row(w["mine"], "2025-02", due="-1", employee="x", headcount=""), row(w["elsewhere"]),
        "", row(w["second"], "2025-03"), ",,,,,,", row(w["mine"], "2025-04") + ",extra,cells",
        row(w["mine"], "2025-05") + ",,", f"{w['mine']},2025-06,3", row(w["mine"], "2025-07")), True),
    ("empty file", lambda w: b"", True),
    ("header only", lambda w: text(), True),
    ("blank lines only", lambda w: text("", ",,,,,,", ""), True),
    ("header: missing, unknown and repeated columns", lambda w: text(
        "x", header="uscc,period,uscc,amount_due,what"), True),
    ("header in Chinese labels, other order", lambda w: text(
        f"2025-01,{w['mine']},30,3000,2100,900,", f"2025-13,{w['mine']},30,3000,2100,900,",
        header="所属期,统一社会信用代码,参保人数,应缴金额,单位实缴,个人实缴,滞纳金"), True),
    ("GBK with Chinese labels", lambda w: ("\n".join([LABELS, row(w["mine"]), row(w["mine"], "2025-13")]) + "\n")
     .encode("gbk"), True),
    ("a quoted cell with a newline and a tab", lambda w: text(
        f'{w["mine"]},"2025-01\n",30,"3000\t",2100,900,', row(w["mine"], "2025-02")), True),
    ("NUL in the middle", lambda w: text(row(w["mine"], headcount="x"), row(w["mine"], "2025-02")[:20] + "\x00",
                                         row(w["mine"], "2025-03")), True),
    # The clean patterns' edges (apps.imports.bulk: SqlParser.clean) and the block path's conditions.
    ("clean edges: years, months, digits, decimals, 01 days", lambda w: text(
        row(w["mine"], "1990-01"), row(w["mine"], "2100-12"), row(w["mine"], "2099-10-01"),
        row(w["mine"], "2025-03", headcount="000000000", due="999999999999.99", employer="0.5", employee="007", late="0"),
        row(w["mine"], "2025-04", due="000000000001.00", late="1.10"), row(w["mine"], "2025-05", due="9999999999999"),
        row(w["mine"], "2025-06", due="1.5", employer="12.", employee="0.000")), True),
    ("spaces around cells, a backslash, a \\. line", lambda w: text(
        row(w["mine"], " 2025-01"), f" {w['mine']} ,2025-02,30,3000.00,2100.00,900.00, ", row(w["mine"] + "\\", "2025-03"),
        "\\.", row(w["mine"], "2025-04")), True),
    ("Windows line ends", lambda w: text(row(w["mine"]), row(w["mine"], "2025-02"), row(w["second"], "2025-03"))
     .replace(b"\n", b"\r\n"), True),
    ("Windows line ends, one bad row", lambda w: text(row(w["mine"]), row(w["mine"], "2025-13"), row(w["mine"], "2025-03"))
     .replace(b"\n", b"\r\n"), True),
    ("mixed line ends", lambda w: text(row(w["mine"]), row(w["mine"], "2025-02")).replace(b"\n", b"\r\n", 1), True),
    ("no line end after the last row", lambda w: text(row(w["mine"]), row(w["mine"], "2025-02"))[:-1], True),
    ("a header column left unnamed", lambda w: text(
        row(w["mine"]) + ",anything", row(w["mine"], "2025-02") + ",", row(w["mine"], "2025-13") + ",x",
        header=CONTRIBUTION_HEADER + ","), True),
    ("clean rows, then a row with extra cells and a blank line", lambda w: text(
        *(row(w["mine"], f"2024-{m:02d}") for m in range(1, 13)), row(w["mine"], "2025-01") + ",x,y", "",
        row(w["mine"], "2025-02")), True),
]


def both_paths(monkeypatch, setup, make_file, limits=None) -> tuple[dict, dict]:
    spec = services.spec_for("contributions")
    before = set(ImportBatch.objects.values_list("pk", flat=True))
    stages = []
    real = services._run_bulk
    monkeypatch.setattr(services, "_run_bulk", lambda *a, **k: stages.append(1) or real(*a, **k))
    results = []
    for python in (True, False):
        savepoint = transaction.savepoint()
        with monkeypatch.context() as patch:
            if python:
                patch.setattr(spec, "bulk_sql", None)
            results.append(outcome(run(io.BytesIO(make_file()), setup, limits), before))
        transaction.savepoint_rollback(savepoint)
    assert stages == [1], "the SQL path did not run (or ran twice)"
    return results[0], results[1]


@pytest.mark.parametrize(("name", "make", "as_caseworker"), CASES, ids=[case[0] for case in CASES])
def test_both_paths_report_and_write_the_same(world, monkeypatch, name, make, as_caseworker):
    python, sql = both_paths(monkeypatch, world["user"] if as_caseworker else None, lambda: make(world))
    assert sql["issues"] == python["issues"]
    assert sql["batch"] == python["batch"]
    assert sql["rows"] == python["rows"]


def test_the_cases_cover_success_rejection_and_each_count(world, monkeypatch):
    """The table above is not all rejections: the good file creates, the re-imports update and leave unchanged."""
    seen = {}
    for name, make, as_caseworker in CASES[:3]:
        python, _ = both_paths(monkeypatch, world["user"] if as_caseworker else None, lambda make=make: make(world))
        seen[name] = python["batch"][:5]
    assert seen == {"good file": ("succeeded", 3, 3, 0, 0),
                    "reimport: one stored row unchanged, one new": ("succeeded", 2, 1, 0, 1),
                    "reimport with one changed amount": ("succeeded", 1, 0, 1, 0)}


def test_an_xlsx_file_the_same(world, monkeypatch):
    cells = [[world["mine"], "2025-01", 30, 3000, 2100.5, 899.5, None], [world["mine"], "2025-13", 30, 1, 1, 1, None],
             [world["elsewhere"], date(2025, 2, 1), 3, -1, 1.005, 0, 0], [world["second"], "2025-03", 3.0, 1, 1, 1, 2]]
    python, sql = both_paths(monkeypatch, world["user"],
                             lambda: xlsx_file(CONTRIBUTION_HEADER, *cells).getvalue())
    assert sql == python and python["batch"][0] == "rejected"


@pytest.mark.parametrize("chunk", [2, 3, 4, 100, 1000])
def test_a_file_that_breaks_off_midway_the_same_for_any_chunk(world, monkeypatch, chunk):
    """The Python path has checked keys and employers for its finished chunks when a byte on line 212 is not UTF-8
    (past the decoder's first 8 KB block, so rows were read before it)."""
    monkeypatch.setattr(services, "CHUNK_ROWS", chunk)
    lines = [row(world["mine"]), row(world["mine"]), row(uscc(97)), row(world["mine"], "2025-13"),
             row(world["elsewhere"]), row(world["mine"]), row(world["mine"], due="-5")] * 30
    python, sql = both_paths(monkeypatch, world["user"],
                             lambda: text(*lines) + b"\xff\xfe,broken\n" + row(world["mine"], "2025-09").encode())
    assert sql == python and "不是 UTF-8" in python["batch"][-1]


@pytest.mark.parametrize(("chunk", "max_rows"), [(2, 5), (3, 6), (100, 5)])
def test_the_row_limit_the_same(world, monkeypatch, chunk, max_rows):
    monkeypatch.setattr(services, "CHUNK_ROWS", chunk)
    lines = [row(world["mine"], f"2025-{m:02d}") for m in range(1, 10)]
    lines[1] = lines[0]
    lines[3] = row(uscc(96))
    limits = ImportLimits(max_upload_bytes=10**6, max_expanded_bytes=10**7, max_rows=max_rows)
    python, sql = both_paths(monkeypatch, world["user"], lambda: text(*lines), limits)
    assert sql == python and "行的上限" in python["batch"][-1]


def test_a_thousand_rows_over_many_chunks_the_same(world, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 64)
    lines = [row(world["mine"] if n % 3 else world["second"], f"{2000 + n // 12}-{n % 12 + 1:02d}",
                 due=f"{n}.{n % 100:02d}") for n in range(1000)]
    lines[500] = lines[10]
    lines[700] = row(world["elsewhere"])
    python, sql = both_paths(monkeypatch, world["user"], lambda: text(*lines))
    assert sql == python and python["batch"][5] == 2


def test_clean_lines_then_an_encoding_error_the_same(world, monkeypatch):
    """Clean lines COPYed by blocks, then a byte that is not UTF-8: the reader of record, reading the file again,
    meets it while passing rows the block path had staged (its decoder reads ahead 8 KB) — those rows are
    unstaged, so the rows read and the checks cover what the Python path covers."""
    monkeypatch.setattr(services, "CHUNK_ROWS", 7)
    lines = [row(world["mine"] if n % 2 else world["second"], f"{2000 + n // 12}-{n % 12 + 1:02d}") for n in range(300)]
    lines[3] = lines[1]
    lines[-3] = row(bad_check_digit(world["mine"]), "2030-01")  # clean as written: a block row, past the reader's stop
    python, sql = both_paths(monkeypatch, world["user"],
                             lambda: text(*lines) + b"\xff\xfe,broken\n" + row(world["mine"], "2025-09").encode())
    assert sql == python and "不是 UTF-8" in python["batch"][-1] and python["issues"][0][0] == 5
    assert python["batch"][1:5] == (0, 0, 0, 0) and python["batch"][5] < 4, "the bad check digit was not left unread"


def test_a_clean_file_is_staged_by_blocks_only(world, monkeypatch, block_size):
    """The block path is not a silent no-op: a clean file reaches the row-by-row path with nothing left to read."""
    seen = []
    real = bulk._stage_rows
    monkeypatch.setattr(bulk, "_stage_rows", lambda raw, layout, rows, *a: seen.append((list(rows), a[2])) or
                        real(raw, layout, iter(()), *a))
    lines = [row(world["mine"], f"{2000 + n // 12}-{n % 12 + 1:02d}", late="1.5" if n % 3 else "") for n in range(40)]
    batch = run(io.BytesIO(text(*lines)), world["user"])
    assert batch.status == "succeeded" and batch.rows_created == 40
    assert seen == [([], 40)]


def test_uscc_verdicts_cached_per_process_give_the_same_issues(world, monkeypatch):
    """python-stdnum checks each distinct USCC once per process: the second import of the same codes asks it
    nothing and reports the same issues (a bad check digit; a lower-case code normalised)."""
    bulk._verdicts.clear()
    checked = []
    real = spec_module.validate_uscc
    monkeypatch.setattr(spec_module, "validate_uscc", lambda value: checked.append(value) or real(value))
    make = lambda: text(row(bad_check_digit(world["mine"])), row(world["mine"].lower(), "2025-02"))  # noqa: E731
    first = outcome(run(io.BytesIO(make()), world["user"]), set())
    assert len(checked) == 2
    second = outcome(run(io.BytesIO(make()), world["user"]), set())
    assert len(checked) == 2, "the cached verdicts were not used"
    assert first["issues"] == second["issues"] and len(first["issues"]) == 1
    assert first["batch"][0] == second["batch"][0] == "rejected"
