"""Writes for the registry side: institutions, their staff, safety inspections and what they found."""

import logging
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.childcare.models import Finding, Inspection, Institution, StaffMember
from apps.core.exceptions import ApplicationError
from apps.core.lifecycle import Lifecycle, Transition

logger = logging.getLogger(__name__)


def full_clean(obj, exclude: Iterable[str] = ()) -> None:
    """Model validation as an ApplicationError (Chinese message, field errors), for every childcare write."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        fields = error.message_dict
        first = next(iter(fields.values()))[0] if fields else "提交的数据有误"
        raise ApplicationError("invalid", first, fields) from error


@transaction.atomic
def institution_save(*, institution: Institution) -> Institution:
    """Create or update. The 普惠 certificate belongs to the inclusive categories only and needs a start date."""
    institution.uscc = (institution.uscc or "").strip().upper()
    errors: dict[str, list[str]] = {}
    has_certificate = bool(institution.inclusive_certificate_number or institution.inclusive_certified_from)
    if institution.category == Institution.Category.OTHER and has_certificate:
        errors["category"] = ["持有普惠认定的机构不能登记为非普惠民办；请修改类别或清除认定信息"]
    if institution.inclusive_certified_to and not institution.inclusive_certified_from:
        errors["inclusive_certified_from"] = ["请填写普惠认定起始日"]
    if (institution.inclusive_certified_from and institution.inclusive_certified_to
            and institution.inclusive_certified_to < institution.inclusive_certified_from):
        errors["inclusive_certified_to"] = ["普惠认定截止日不能早于起始日"]
    if errors:
        raise ApplicationError("invalid", next(iter(errors.values()))[0], errors)
    full_clean(institution)
    institution.save()
    return institution


@transaction.atomic
def staff_member_save(*, staff: StaffMember) -> StaffMember:
    if staff.left_on and staff.hired_on and staff.left_on < staff.hired_on:
        raise ApplicationError("invalid", "离职日期不能早于入职日期", {"left_on": ["离职日期不能早于入职日期"]})
    full_clean(staff)
    staff.save()
    return staff


@transaction.atomic
def inspection_save(*, inspection: Inspection) -> Inspection:
    if inspection.visited_on and inspection.visited_on > date.today():
        raise ApplicationError("invalid", "检查日期不能晚于今天", {"visited_on": ["检查日期不能晚于今天"]})
    full_clean(inspection)
    inspection.save()
    return inspection


@transaction.atomic
def finding_save(*, finding: Finding) -> Finding:
    if finding.rectification_deadline and finding.inspection_id and \
            finding.rectification_deadline < finding.inspection.visited_on:
        raise ApplicationError("invalid", "整改期限不能早于检查日期",
                               {"rectification_deadline": ["整改期限不能早于检查日期"]})
    if finding.status == Finding.Status.RECTIFIED and not finding.rectified_on:
        raise ApplicationError("invalid", "请填写整改完成日期", {"rectified_on": ["请填写整改完成日期"]})
    full_clean(finding)
    finding.save()
    return finding


# ---------------------------------------------------------------- rectification (open → rectified)


def _not_before_the_visit(finding: Finding, user, payload: dict) -> None:
    if payload["rectified_on"] < finding.inspection.visited_on:
        raise ApplicationError("invalid", "整改完成日期不能早于检查日期", {"rectified_on": ["整改完成日期不能早于检查日期"]})


def _record_rectification(finding: Finding, user, payload: dict) -> None:
    finding.rectified_on, finding.follow_up = payload["rectified_on"], payload["follow_up"]


FINDING_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("rectify", "整改复查通过", sources=(Finding.Status.OPEN,), target=Finding.Status.RECTIFIED,
                   state_code="already_rectified", guards=(_not_before_the_visit,), effect=_record_rectification,
                   needs_form=True, style="success", icon="check2-circle"),
    ],
    status_label=lambda status: str(Finding.Status(status).label),
)


@transaction.atomic
def finding_rectify(*, finding: Finding, rectified_on: date, follow_up: str, user=None) -> Finding:
    """Follow-up visit confirmed the rectification; an open serious finding stops blocking approvals."""
    FINDING_LIFECYCLE.apply(finding, "rectify", user=user,
                            payload={"rectified_on": rectified_on, "follow_up": follow_up})
    logger.info("finding rectified", extra={"finding_id": finding.pk, "severity": finding.severity,
                                            "rectified_on": rectified_on.isoformat()})
    return finding
