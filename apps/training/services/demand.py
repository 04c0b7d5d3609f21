"""Writes for the demand a program is opened against: shortage reports and training willingness."""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from apps.applicants.services import person_get_or_create
from apps.core.exceptions import ApplicationError
from apps.core.scoping import user_can_see_region
from apps.training.models import Occupation, ShortageReport, TrainingWillingness
from apps.training.services.validation import check_region, full_clean_or_raise

logger = logging.getLogger(__name__)


@transaction.atomic
def shortage_report_create(*, report: ShortageReport, user) -> ShortageReport:
    """Record a shortage report (the admin saves an edited one through here too) of an employer in the user's
    region."""
    if report.wage_min is not None and report.wage_max is not None and report.wage_max < report.wage_min:
        raise ApplicationError("invalid_wage_range", "工资上限不能低于下限", {"wage_max": ["工资上限不能低于下限"]})
    if not report.region_id:
        report.region_id = report.employer.region_id
    check_region(user, "employer", report.employer.region_id, report.region_id)
    full_clean_or_raise(report)
    report.save()
    logger.info("shortage report created", extra={"shortage_report": report.pk, "occupation": report.occupation_id,
                                                  "count": report.count, "region": report.region_id})
    return report


@transaction.atomic
def willingness_register(*, person, occupation: Occupation, target_group: str, registered_on: date | None = None
                         ) -> TrainingWillingness:
    existing = TrainingWillingness.objects.filter(person=person, occupation=occupation).first()
    if existing is not None:
        logger.info("training willingness already registered", extra={"willingness": existing.pk})
        return existing
    item = TrainingWillingness(person=person, occupation=occupation, target_group=target_group,
                               registered_on=registered_on or timezone.localdate(), region_id=person.region_id)
    full_clean_or_raise(item)
    item.save()
    logger.info("training willingness registered", extra={"willingness": item.pk, "occupation": occupation.pk,
                                                          "region": item.region_id})
    return item


@transaction.atomic
def willingness_register_by_id_number(*, user, id_number: str, name: str, occupation: Occupation,
                                      target_group: str) -> TrainingWillingness:
    """The caseworker's form: the person is found by ID number (or created in the caseworker's region);
    a person registered outside the caseworker's region is not theirs to register."""
    person, _ = person_get_or_create(id_number=id_number, defaults={"name": name, "region_id": user.region_id},
                                     user=user)
    if not user_can_see_region(user, person.region_id):
        raise ApplicationError("not_found", "该人员不在您的经办区划内")
    return willingness_register(person=person, occupation=occupation, target_group=target_group)
