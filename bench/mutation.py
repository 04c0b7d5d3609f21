"""Mutation test of the rule, scoping, import and review code: do the tests fail when the code changes?

    make mutation                         # or: .venv/bin/python bench/mutation.py [--max-children 2] [--keep]

Runs mutmut (configuration: [tool.mutmut] in pyproject.toml — the modules mutated and the tests run) on
SQLite, with the test database in a file migrated once and reused by every mutant's test run, then prints
killed / survived / total and the score per module and overall, and the surviving mutants
(`.venv/bin/mutmut show NAME` shows one). A mutant with no test that runs its code counts as survived.
Nothing is asserted: the figures are read and recorded in bench/README.md. `--keep` reuses mutmut's
results of an earlier run (mutants/), re-testing only what changed.
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).with_name("mutmut")
KILLED = {"killed"}
SURVIVED = {"survived", "no tests"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default 2 cores)")
    parser.add_argument("--keep", action="store_true", help="reuse the results in mutants/ of an earlier run")
    parser.add_argument("--show-survivors", type=int, default=40, help="how many surviving mutants to list")
    args = parser.parse_args()

    os.chdir(ROOT)
    if not args.keep:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    workdir = Path(tempfile.mkdtemp(prefix="mutation-"))
    env = {**os.environ, "TEST_DATABASE_FILE": str(workdir / "test.sqlite3"), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "REQUIRE_BROWSER", "REQUIRE_CELERY_WORKER"):
        env.pop(name, None)  # SQLite, eager Celery: the same code paths, no services needed
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    log = out / "mutation.log"
    started = time.monotonic()
    with log.open("w") as handle:
        run = subprocess.run([str(MUTMUT), "run", "--max-children", str(args.max_children)], cwd=ROOT, env=env,
                             stdout=handle, stderr=subprocess.STDOUT, check=False)
    seconds = time.monotonic() - started
    results = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=ROOT, env=env, capture_output=True,
                             text=True, check=False)
    shutil.rmtree(workdir, ignore_errors=True)
    statuses: dict[str, str] = {}
    for line in results.stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name:
            statuses[name] = status
    if run.returncode != 0 or not statuses:
        print(f"mutmut run failed (exit {run.returncode}); see {log.relative_to(ROOT)}", file=sys.stderr)
        print(log.read_text()[-3000:], file=sys.stderr)
        return run.returncode or 1

    by_module: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for name, status in statuses.items():
        module = name.split(".x_")[0].split(".xǁ")[0]
        by_module[module][status] += 1

    def row(label: str, counts: collections.Counter) -> str:
        killed = sum(counts[s] for s in KILLED)
        survived = sum(counts[s] for s in SURVIVED)
        total = sum(counts.values())
        other = total - killed - survived
        score = 100 * killed / total if total else 0.0
        return (f"{label:<52} {killed:>7} {survived:>9} {counts['no tests']:>9} {other:>6} {total:>6} "
                f"{score:>7.1f}%")

    print(f"mutation test: {len(statuses)} mutants, {seconds:.0f} s, --max-children {args.max_children}")
    print(f"{'module':<52} {'killed':>7} {'survived':>9} {'no tests':>9} {'other':>6} {'total':>6} {'score':>8}")
    total: collections.Counter = collections.Counter()
    for module in sorted(by_module):
        print(row(module, by_module[module]))
        total.update(by_module[module])
    print(row("all", total))
    print("(survived includes 'no tests'; other = timeout, suspicious, skipped, segfault)")
    survivors = sorted(name for name, status in statuses.items() if status in SURVIVED)
    if survivors and args.show_survivors:
        print(f"\nsurviving mutants (first {min(len(survivors), args.show_survivors)} of {len(survivors)}):")
        for name in survivors[: args.show_survivors]:
            print(f"  {name}: {statuses[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
