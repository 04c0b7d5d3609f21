"""Writes on the six-domain assessment and the service plan of a case."""

import logging
from datetime import date

from django.db import transaction

from apps.child_welfare.models import Assessment, AssessmentDomain, Domain, PlanItem
from apps.child_welfare.selectors import assessment_list, case_get, child_record_get, plan_item_list
from apps.child_welfare.services.locking import StaleVersionError, claim_version, save_recorded
from apps.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)


def _write_domains(assessment: Assessment, domains: dict[str, dict]) -> None:
    unknown = set(domains) - set(Domain.values)
    if unknown:
        raise ApplicationError("invalid_domain", "评估领域无效", {"domains": [f"未知领域：{'、'.join(unknown)}"]})
    for domain, values in domains.items():
        row, _ = AssessmentDomain.objects.get_or_create(assessment=assessment, domain=domain)
        row.severity, row.needs = values.get("severity", "none"), values.get("needs", "")
        row.full_clean(exclude=["assessment"])
        row.save()


@transaction.atomic
def assessment_create(*, user, case_id: int, assessed_on: date, summary: str = "",
                      domains: dict[str, dict]) -> Assessment:
    case = case_get(user=user, pk=case_id)
    if not case.is_open:
        raise ApplicationError("case_closed", "已结案的个案不能新增评估")
    assessment = Assessment(case=case, assessed_on=assessed_on, summary=summary, assessor=user)
    save_recorded(assessment, user)
    _write_domains(assessment, domains)
    logger.info("child welfare assessment recorded", extra={
        "case_id": case.pk, "assessment_id": assessment.pk, "domains": sorted(domains), "user_id": user.pk})
    return assessment


@transaction.atomic
def assessment_update(*, user, assessment_id: int, expected_version: int | None, assessed_on: date,
                      summary: str, domains: dict[str, dict]) -> Assessment:
    assessment = child_record_get(assessment_list(user=user), assessment_id)
    current_domains = {d.domain: d for d in assessment.domains.all()}
    submitted = {"assessed_on": assessed_on, "summary": summary}
    try:
        claim_version(assessment, expected_version, submitted)
    except StaleVersionError as error:
        for domain, values in domains.items():
            row = current_domains.get(domain)
            if row and (row.severity, row.needs) != (values.get("severity", "none"), values.get("needs", "")):
                error.fields[f"domains.{domain}"] = [
                    f"{error.changed_by} 已改为：{row.get_severity_display()}；{row.needs or '（无描述）'}"]
        raise
    assessment.assessed_on, assessment.summary = assessed_on, summary
    save_recorded(assessment, user)
    _write_domains(assessment, domains)
    return assessment


@transaction.atomic
def plan_item_save(*, user, case_id: int, item_id: int | None = None, **data) -> PlanItem:
    case = case_get(user=user, pk=case_id)
    # Another case's item under this case's id is a 404 (NotFoundError), not a DoesNotExist out of the service.
    item = child_record_get(plan_item_list(user=user, case=case), item_id) if item_id else PlanItem(case=case)
    for name, value in data.items():
        setattr(item, name, value)
    item.full_clean(exclude=["case"])
    save_recorded(item, user)
    return item
