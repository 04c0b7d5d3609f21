"""The training fixtures the bulk tests use."""

from tests.training.conftest import occupations  # noqa: F401 — a fixture
