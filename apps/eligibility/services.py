"""Writes: stored determinations and the proactive (免申即享) matches of people to benefits."""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError, ConflictError, NotFoundError
from apps.core.scoping import user_can_see_region
from apps.eligibility.calculators import (
    birth_reward,
    border_village_birth,
    child_rearing,
    childcare_subsidy,
    maternity,
    preschool_aid,
)
from apps.eligibility.fingerprints import fingerprint, parameters_part
from apps.eligibility.models import BenefitMatch, Determination
from apps.eligibility.parameters import parameter_versions_freeze
from apps.eligibility.providers import BenefitEntry, PersonFactProvider, person_facts
from apps.eligibility.selectors import calculation_compute, calculator_get, facts_parse, region_code_check

logger = logging.getLogger(__name__)

# Benefits with money the person has to be told about; leave and employer programmes are not matched.
MATCHED_CALCULATORS = (childcare_subsidy.NAME, preschool_aid.NAME, maternity.NAME, birth_reward.NAME,
                       border_village_birth.NAME, child_rearing.NAME)
# People per chunk of the daily job: one id-range query, one query each for existing matches and decisions,
# one bulk insert. A thousand Person rows and their results stay well under a few MB.
MATCH_CHUNK_SIZE = 1000


@transaction.atomic
def determination_create(*, user, calculator: str, facts: Mapping[str, Any] | Any, as_of: date | None = None,
                         region_code: str | None = None, person=None, employer=None,
                         label: str = "") -> Determination:
    """Compute with the parameters in force (snapshot) and store facts, result and parameter versions.

    `facts` is JSON (as the API takes it) or the calculator's facts dataclass. The region decides which
    regional parameters apply and who may see the decision: the subject's region, else the given one,
    else the user's own.
    """
    if person is not None and employer is not None:
        raise ApplicationError("one_subject_only", "一项决定只能针对一个人员或一个单位。")
    entry = calculator_get(calculator)
    subject = person or employer
    if subject is not None:
        if not user_can_see_region(user, subject.region_id):
            raise NotFoundError("not_found", "记录不存在或无权访问。")
        region_code = subject.region_id
    region_code = region_code_check(region_code or getattr(user, "region_id", None))
    if not user_can_see_region(user, region_code):
        raise ApplicationError("region_out_of_scope", "不能在您的经办区划以外保存决定。",
                               {"region": ["不在您的经办区划范围内"]})
    if not dataclasses.is_dataclass(facts):
        facts = facts_parse(entry, facts)
    calculation = calculation_compute(calculator=entry, facts=facts, region_code=region_code, as_of=as_of)
    result = calculation.result
    determination = Determination.objects.create(
        calculator=entry.name, label=label[:200], as_of=calculation.as_of, region_id=region_code,
        person=person, employer=employer, facts=calculation.facts_json, result=result.to_dict(),
        eligible=result.eligible, amount=result.amount,
        parameter_versions=[p.version for p in result.parameters], created_by=user,
        calculator_version=entry.version,
        fingerprint=fingerprint(calculator_version=entry.version, facts=calculation.facts_json,
                                parameters=parameters_part(result.parameters)),
    )
    parameter_versions_freeze(versions=determination.parameter_versions, on=calculation.as_of)
    logger.info("determination stored", extra={"determination": determination.pk, "calculator": entry.name,
                                                "eligible": result.eligible, "amount": str(result.amount)})
    return determination


# ---------------------------------------------------------------- proactive matching


def benefit_match_run(*, as_of: date, facts_source: Callable[..., list] | None = None) -> int:
    """Find people who qualify, on `as_of`, for a benefit they have not received; store one match each.

    Candidates and their facts come from the people's fact provider (apps.eligibility.providers, registered
    by the applicants registry): children under the subsidy age, parents of young children and children with
    a hardship tag; each benefit is matched on the person it is for.
    "Received" means an eligible determination of the same calculator and year exists for the person.
    Idempotent: (person, calculator, year) is unique and inserts ignore conflicts, so a re-run — or a retry
    of a half-finished run — adds nothing twice. Returns the number of new matches.
    """
    provider = person_facts()
    run_cache: dict = {}  # values read once per run (the age limit)
    candidates = provider.candidate_ids(as_of=as_of)
    snapshots: dict = {}
    created = 0
    last_id = 0
    while True:
        ids = list(candidates.filter(id__gt=last_id)[:MATCH_CHUNK_SIZE])
        if not ids:
            break
        last_id = ids[-1]
        people = provider.subjects(ids)
        source: Callable[..., list]
        if facts_source is None:  # the registries of the whole chunk, read once (no query per person)
            context = provider.registry_context(people, as_of=as_of, cache=run_cache)
            source = functools.partial(_chunk_entries, provider, context)
        else:
            source = facts_source
        created += _match_chunk(people, as_of, source, snapshots)
    logger.info("benefit matching as of %s: %s new matches", as_of, created,
                extra={"as_of": as_of.isoformat(), "new_matches": created})
    return created


def _chunk_entries(provider: PersonFactProvider, context: Any, person: Any, as_of: date) -> list[BenefitEntry]:
    return provider.benefit_entries(person, as_of=as_of, context=context)


def _match_chunk(people, as_of: date, source, snapshots) -> int:
    ids = [p.id for p in people]
    received = set(Determination.objects.filter(person_id__in=ids, eligible=True,
                                                calculator__in=MATCHED_CALCULATORS)
                   .values_list("person_id", "calculator", "as_of__year"))
    existing = set(BenefitMatch.objects.filter(person_id__in=ids).values_list("person_id", "calculator", "year"))
    new = []
    for person in people:
        for entry in source(person, as_of):
            name, facts, label = entry[:3]
            # A child's benefit is matched on the child, who is a candidate of its own: found once, not again
            # through each parent (the key is per person, so two children of one parent would collide).
            subject = getattr(entry, "subject", person)
            if name not in MATCHED_CALCULATORS or subject.pk != person.pk:
                continue
            calculation = calculation_compute(calculator=calculator_get(name), facts=facts,
                                              region_code=person.region_id, snapshots=snapshots)
            key = (person.id, name, calculation.as_of.year)
            if not calculation.result.eligible or key in received or key in existing:
                continue
            existing.add(key)
            new.append(BenefitMatch(person=person, calculator=name, year=calculation.as_of.year, label=label[:200],
                                    as_of=calculation.as_of, facts=calculation.facts_json,
                                    result=calculation.result.to_dict(), amount=calculation.result.amount))
    # ignore_conflicts: a concurrent run may have inserted the same key since we looked.
    BenefitMatch.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def benefit_match_resolve(*, user, match: BenefitMatch, status: str, note: str = "") -> BenefitMatch:
    """A caseworker marks a match as handled (已办理) or dismissed (不予办理, with a reason)."""
    match = BenefitMatch.objects.select_for_update().get(pk=match.pk)
    if status not in (BenefitMatch.Status.HANDLED, BenefitMatch.Status.DISMISSED):
        raise ApplicationError("invalid_status", "处理结果应为“已办理”或“不予办理”。", {"status": ["无效的处理结果"]})
    if match.status != BenefitMatch.Status.OPEN:
        raise ConflictError("match_already_resolved", f"该线索已处理（{match.get_status_display()}）。")
    note = note.strip()
    if status == BenefitMatch.Status.DISMISSED and not note:
        raise ApplicationError("note_required", "不予办理时请填写原因。", {"note": ["请填写不予办理的原因"]})
    match.status, match.note = status, note[:500]
    match.resolved_by, match.resolved_at = user, timezone.now()
    match.save(update_fields=["status", "note", "resolved_by", "resolved_at", "updated_at"])
    logger.info("benefit match resolved", extra={"match": match.pk, "status": status})
    return match
