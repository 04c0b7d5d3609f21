"""Writes for the demand a program is opened against: shortage reports and training willingness."""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from apps.applicants.services import person_get_or_create
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.scoping import user_can_see_region
from apps.training.models import Occupation, ShortageReport, TrainingWillingness
from apps.training.pushes import push_shortage, push_willingness
from apps.training.services.validation import check_region, full_clean_or_raise

logger = logging.getLogger(__name__)


WILLINGNESS_EXISTS = "该人员已登记过这一职业（工种）的培训意愿，请编辑原有登记。"
SHORTAGE_FIELDS = ("employer", "occupation", "count", "wage_min", "wage_max", "reported_on")
WILLINGNESS_FIELDS = ("occupation", "target_group", "registered_on")


@transaction.atomic
def shortage_report_create(*, report: ShortageReport, user) -> ShortageReport:
    """Record a shortage report (the admin saves an edited one through here too) of an employer in the user's
    region; it is pushed to the job-matching platform with the write (apps.training.pushes)."""
    is_new = report.pk is None
    if report.wage_min is not None and report.wage_max is not None and report.wage_max < report.wage_min:
        raise ApplicationError("invalid_wage_range", "工资上限不能低于下限", {"wage_max": ["工资上限不能低于下限"]})
    if not report.region_id:
        report.region_id = report.employer.region_id
    check_region(user, "employer", report.employer.region_id, report.region_id)
    full_clean_or_raise(report)
    report.save()
    push_shortage(report, event="created" if is_new else "updated")
    logger.info("shortage report saved", extra={"shortage_report": report.pk, "occupation": report.occupation_id,
                                                "count": report.count, "region": report.region_id, "new": is_new})
    return report


@transaction.atomic
def shortage_report_update(*, report: ShortageReport, user, data: dict) -> ShortageReport:
    """Change a report of the user's region (another employer must be theirs too; the region follows it)."""
    check_region(user, "employer", report.region_id)
    for field in SHORTAGE_FIELDS:
        if field in data:
            setattr(report, field, data[field])
    if "employer" in data:
        report.region_id = report.employer.region_id
    return shortage_report_create(report=report, user=user)


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
    push_willingness(item)
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


@transaction.atomic
def willingness_create(*, user, person, occupation: Occupation, target_group: str,
                       registered_on: date | None = None) -> TrainingWillingness:
    """The API's create: a person of the user's region (checked again here), once per occupation (409)."""
    check_region(user, "person", person.region_id)
    if TrainingWillingness.objects.filter(person=person, occupation=occupation).exists():
        raise ConflictError("willingness_exists", WILLINGNESS_EXISTS, {"occupation": [WILLINGNESS_EXISTS]})
    return willingness_register(person=person, occupation=occupation, target_group=target_group,
                                registered_on=registered_on)


@transaction.atomic
def willingness_update(*, user, item: TrainingWillingness, data: dict) -> TrainingWillingness:
    """Change the occupation, the group or the date of a registration of the user's region; pushed as a change."""
    check_region(user, "person", item.region_id)
    for field in WILLINGNESS_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    if (TrainingWillingness.objects.filter(person_id=item.person_id, occupation=item.occupation)
            .exclude(pk=item.pk).exists()):
        raise ConflictError("willingness_exists", WILLINGNESS_EXISTS, {"occupation": [WILLINGNESS_EXISTS]})
    full_clean_or_raise(item)
    item.save()
    push_willingness(item, event="updated")
    logger.info("training willingness changed", extra={"willingness": item.pk, "occupation": item.occupation_id})
    return item
