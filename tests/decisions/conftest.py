"""Fixtures shared with the apps whose decisions these tests hold to the same bytes."""

from tests.refunds.conftest import run_now  # noqa: F401 — re-exported fixture
from tests.training.conftest import occupations  # noqa: F401 — re-exported fixture
