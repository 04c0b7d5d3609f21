"""The facts this registry offers eligibility: an employer in, calculator facts out (the "employer" provider).

Eligibility knows no registry: this app registers `EmployerFacts` with apps.eligibility.providers in its
AppConfig.ready(). The refund facts come from the refund runs' own set-based statement
(apps.employers.refund_facts) with a one-employer filter, so the estimate on an employer's page is exactly
the row a run would write for it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from apps.eligibility.calculators import enterprise_size, stable_job_refund
from apps.eligibility.calculators.enterprise_size import EnterpriseSizeFacts
from apps.eligibility.calculators.stable_job_refund import StableJobRefundFacts
from apps.eligibility.parameters import parameter_snapshot
from apps.eligibility.providers import EMPLOYER, BenefitEntry
from apps.employers.models import Contribution, Employer
from apps.employers.refund_facts import enterprise_size_facts, refund_facts
from apps.employers.selectors import employer_get


def employer_size_facts(employer: Employer, year: int, insured_headcount_december: int | None = None
                        ) -> EnterpriseSizeFacts:
    return enterprise_size_facts(facts_year=year, industry=employer.industry, employees=employer.employees,
                                 revenue=employer.revenue_10k, total_assets=employer.assets_10k,
                                 insured_headcount_december=insured_headcount_december)


def employer_facts(employer: Employer, year: int, size_class: str | None = None) -> StableJobRefundFacts:
    """StableJobRefundFacts of `employer` for facts year `year` (the refund year is `year` + 1).

    The size class comes from the enterprise-size calculator over the registry figures unless given.
    """
    params = parameter_snapshot(as_of=date(year, 12, 31), region_code=employer.region_id)
    ((_, facts, size),) = refund_facts(employer_ids=[employer.pk], year=year + 1, params=params)
    return replace(facts, size_class=size_class or size.data["size_class"])


def december_headcount(employer: Employer, year: int) -> int | None:
    """Insured headcount of December `year`; None without a December row (the size calculator says so)."""
    return (Contribution.objects.filter(employer=employer, period=date(year, 12, 1))
            .values_list("insured_headcount", flat=True).first())


class EmployerFacts:
    """The "employer" fact provider (apps.eligibility.providers.FactProvider).

    `year` is the facts year P (the refund year is P + 1); by default the year before `as_of`.
    """

    subject = EMPLOYER

    def get(self, *, user: Any, pk: int) -> Employer:
        return employer_get(user=user, pk=pk)

    def label(self, subject: Employer) -> str:
        return subject.name

    def region_code(self, subject: Employer) -> str:
        return subject.region_id

    def benefit_entries(self, subject: Employer, *, as_of: date, calculator: str | None = None,
                        context: Any = None, year: int | None = None) -> list[BenefitEntry]:
        year = year if year is not None else as_of.year - 1
        label = f"{subject.name}（{year}年度）"
        if calculator == enterprise_size.NAME:  # on its own: the registry's December headcount (None if no row)
            size = employer_size_facts(subject, year, december_headcount(subject, year))
            return [BenefitEntry(enterprise_size.NAME, size, label, subject)]
        if calculator == stable_job_refund.NAME:
            return [BenefitEntry(stable_job_refund.NAME, employer_facts(subject, year), label, subject)]
        if calculator is not None:
            return []
        # Both, as the employer panel shows them: the size from the refund statement's December headcount.
        refund = employer_facts(subject, year)
        size = employer_size_facts(subject, year, refund.headcount_end)
        return [BenefitEntry(enterprise_size.NAME, size, label, subject),
                BenefitEntry(stable_job_refund.NAME, refund, label, subject)]
