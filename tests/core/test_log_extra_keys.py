"""`logger.info(..., extra={"created": …})` raises KeyError at run time: LogRecord owns that name. Walk
every logging call in apps/ and refuse extra keys that clash with LogRecord's own attributes (this broke
`seed_demo` once)."""

import ast
import logging
from pathlib import Path

APPS = Path(__file__).resolve().parents[2] / "apps"
RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _clashes() -> list[str]:
    found = []
    for path in APPS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg == "extra" and isinstance(keyword.value, ast.Dict):
                    for key in keyword.value.keys:
                        if isinstance(key, ast.Constant) and key.value in RESERVED:
                            found.append(f"{path.relative_to(APPS.parent)}:{node.lineno} {key.value!r}")
    return found


def test_no_logging_call_passes_an_extra_key_that_logrecord_owns():
    assert not _clashes(), "rename these extra keys:\n" + "\n".join(_clashes())


def test_the_reserved_names_include_the_one_that_broke_seed_demo():
    assert {"created", "name", "msg", "module"} <= RESERVED
