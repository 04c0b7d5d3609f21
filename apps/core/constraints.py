"""A database constraint that refuses a write speaks Chinese: every constraint of the portal's models carries a
`violation_error_message` saying what to fix (tests/core/test_constraint_messages.py holds every one to it).

Forms and the admin show that message through Django's own constraint validation. A write that reaches the
database anyway (two requests at the same instant, a service that skipped a check) fails with an
IntegrityError; `constraint_violation` finds which constraint it was, on PostgreSQL from the driver's
diagnostics and on SQLite from its message, so the page and the API say the same sentence, never the name.
"""

import re
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import IntegrityError
from django.db.models import BaseConstraint, UniqueConstraint

from apps.core.exceptions import ConflictError

GENERIC_MESSAGE = "保存失败：与已有记录冲突或数据不符合要求，请检查后重试。"
GENERIC_CODE = "constraint_violated"

SQLITE_CHECK = re.compile(r"CHECK constraint failed: (\w+)")
SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")


@dataclass(frozen=True)
class Violation:
    code: str  # the constraint's name: stable, for integrators (the API's `code`)
    message: str  # what to fix, in Chinese, for people


@cache
def _constraints() -> tuple[tuple[str, str, frozenset[str], BaseConstraint], ...]:
    """(name, table, unique columns, constraint) of every constraint of the portal's own models."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("apps."):
            continue
        for constraint in model._meta.constraints:
            columns: frozenset[str] = frozenset()
            if isinstance(constraint, UniqueConstraint) and constraint.fields:
                fields = [model._meta.get_field(name) for name in constraint.fields]
                columns = frozenset(str(getattr(field, "column", field.name)) for field in fields)
            found.append((constraint.name, model._meta.db_table, columns, constraint))
    return tuple(found)


PG_KEY = re.compile(r"^Key \((.+?)\)=")


def _constraint_name(error: IntegrityError) -> str | None:
    diag = getattr(error.__cause__, "diag", None)  # psycopg
    if diag is not None and getattr(diag, "constraint_name", None):
        if any(name == diag.constraint_name for name, *_rest in _constraints()):
            return diag.constraint_name
        # A partition's own copy of the parent's unique index has a generated name (contributions are
        # partitioned by year on PostgreSQL: employers_contribution_y2026_…): find the parent's constraint by
        # the table the partition belongs to and the key's columns, as named in the error's detail.
        key = PG_KEY.search(getattr(diag, "message_detail", None) or "")
        table = getattr(diag, "table_name", None) or ""
        if key:
            columns = frozenset(part.strip().strip('"') for part in key.group(1).split(","))
            for name, db_table, unique_columns, _constraint in _constraints():
                if unique_columns == columns and (table == db_table or table.startswith(db_table + "_")):
                    return name
        return diag.constraint_name
    text = str(error)
    if match := SQLITE_CHECK.search(text):
        return match.group(1)
    if match := SQLITE_UNIQUE.search(text):
        qualified = [part.strip() for part in match.group(1).split(",")]
        tables = {part.rsplit(".", 1)[0] for part in qualified}
        columns = frozenset(part.rsplit(".", 1)[-1] for part in qualified)
        for name, table, unique_columns, _constraint in _constraints():
            if table in tables and unique_columns == columns:
                return name
    return None


def constraint_violation(error: IntegrityError) -> Violation:
    """Which constraint refused the write, with its Chinese message; a generic sentence if none is known."""
    name = _constraint_name(error)
    for known, _table, _columns, constraint in _constraints():
        if known == name:
            return Violation(code=name, message=str(constraint.get_violation_error_message()))
    return Violation(code=GENERIC_CODE, message=GENERIC_MESSAGE)


def conflict_for(error: IntegrityError) -> ConflictError:
    """The IntegrityError as the portal's 409: the constraint's name as code, its message as detail."""
    violation = constraint_violation(error)
    return ConflictError(violation.code, violation.message)
