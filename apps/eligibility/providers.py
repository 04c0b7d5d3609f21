"""Fact providers: how eligibility gets the facts of a registry subject without knowing the registry.

Eligibility sits below the registries (applicants, employers). It takes facts and parameters and returns
results; the app that owns a subject's data gathers its facts and registers a provider here in its
`AppConfig.ready()` (the way django.contrib.admin discovers admin.py):

    # apps/applicants/apps.py
    def ready(self):
        from apps.applicants.eligibility_facts import PersonFacts
        from apps.eligibility.providers import register_facts
        register_facts(PersonFacts())

A provider names its subject kind ("applicant", "employer" — the key an API request uses), finds a subject
the user may see, says what to call it and which region it belongs to, and lists the benefits its
registry can tell facts for. Providers of people also list what cannot be told yet (pending benefits) and
feed the daily matching job (candidates, subjects by id, a chunk's registry read once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, Protocol, cast

from django.db.models import QuerySet

APPLICANT = "applicant"
EMPLOYER = "employer"


@dataclass(frozen=True)
class PendingBenefit:
    """A benefit the registries cannot tell facts for yet, with what is missing (shown on the panel)."""

    calculator: str
    title: str
    missing: str


class BenefitEntry(NamedTuple):
    """Facts for one calculator: what a benefits panel shows, the API computes and the matching job stores."""

    calculator: str
    facts: Any  # the calculator's facts dataclass
    label: str
    subject: Any  # whom the benefit is for: the subject itself or (people) one of their children


class FactProvider(Protocol):
    """What every provider offers eligibility."""

    subject: str  # "applicant", "employer"

    def get(self, *, user: Any, pk: int) -> Any:
        """The subject, if the user may see it; NotFoundError (a 404) otherwise."""

    def label(self, subject: Any) -> str:
        """What a determination calls the subject."""

    def region_code(self, subject: Any) -> str:
        """The region whose parameters apply and whose caseworkers may see the subject's determinations."""

    def benefit_entries(self, subject: Any, *, as_of: date, calculator: str | None = None,
                        context: Any = None, year: int | None = None) -> list[BenefitEntry]:
        """Facts of every benefit the registry can tell on `as_of` (of one calculator when named).
        `context`: what `registry_context` read for a batch of subjects; `year`: the facts year where a
        benefit is about a year (employers; default the year before `as_of`)."""


class PersonFactProvider(FactProvider, Protocol):
    """People additionally feed the panel's pending list and the daily matching job."""

    def registry_context(self, subjects: Sequence[Any], *, as_of: date, cache: dict | None = None) -> Any:
        """What the registries hold for these subjects, read in a fixed number of queries. `cache` lives
        for one matching run (values read once per run, such as an age limit)."""

    def pending_benefits(self, subject: Any, *, as_of: date, evaluated: set[str],
                         context: Any = None) -> list[PendingBenefit]:
        """Benefits the registries cannot tell yet, with what is missing."""

    def candidate_ids(self, *, as_of: date) -> QuerySet:
        """Ids (ordered) of the subjects the daily matching job looks at."""

    def subjects(self, ids: Sequence[int]) -> list[Any]:
        """The subjects with these ids, ordered by id."""


FACT_PROVIDERS: dict[str, FactProvider] = {}


def register_facts(provider: FactProvider) -> None:
    """Called once per subject kind from the owning app's AppConfig.ready()."""
    FACT_PROVIDERS[provider.subject] = provider


def fact_provider(subject: str) -> FactProvider:
    try:
        return FACT_PROVIDERS[subject]
    except KeyError:
        raise LookupError(f"no fact provider registered for {subject!r} (is its app installed?)") from None


def person_facts() -> PersonFactProvider:
    """The provider of people (registered by apps.applicants)."""
    return cast(PersonFactProvider, fact_provider(APPLICANT))
