"""Certificates a trainee earns (skill level, special skill, the second licence of 一培双证)."""

import logging
from datetime import date

from django.db import transaction

from apps.core.exceptions import ApplicationError, ConflictError
from apps.training.models import Certificate, Enrollment, EnrollmentStatus, SkillLevel

logger = logging.getLogger(__name__)

S = EnrollmentStatus
# After completion a certificate may still be added (e.g. the 一培双证 licence arrives later).
CERTIFIABLE = (S.COMPLETED, S.ASSESSED, S.EMPLOYMENT_VERIFIED, S.SUBSIDY_CLAIMED, S.SUBSIDY_PUBLICIZING,
               S.APPROVED, S.PAID)


def _issued_on(value) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


@transaction.atomic
def certificate_add(*, enrollment: Enrollment, user, data: dict, check_status: bool = True) -> Certificate:
    """`check_status=False` from the lifecycle's `assess`, which has already checked the state."""
    if check_status and enrollment.status not in CERTIFIABLE:
        raise ConflictError("not_completed", "学员结业后才能登记证书")
    kind = data.get("kind") or ""
    level = data.get("level") or ""
    errors = {}
    if kind not in Certificate.Kind.values:
        errors["kind"] = ["请选择证书类型"]
    if kind == Certificate.Kind.SKILL_LEVEL and level not in SkillLevel.values:
        errors["level"] = ["职业技能等级证书须填写等级"]
    if kind == Certificate.Kind.OPERATING_LICENCE and not enrollment.program.dual_certificate:
        errors["kind"] = ["非“一培双证”项目不登记操作证"]
    for name, label in (("number", "证书编号"), ("issuer", "发证机构")):
        if not str(data.get(name) or "").strip():
            errors[name] = [f"请填写{label}"]
    issued_on = _issued_on(data.get("issued_on"))
    if issued_on is None:
        errors["issued_on"] = ["请填写发证日期（YYYY-MM-DD）"]
    if errors or issued_on is None:
        raise ApplicationError("invalid_certificate", "证书信息有误", errors)
    number = str(data["number"]).strip()
    if Certificate.objects.filter(kind=kind, number=number).exists():
        raise ConflictError("certificate_exists", "该证书编号已登记", {"number": ["该证书编号已登记"]})
    certificate = Certificate.objects.create(
        enrollment=enrollment, kind=kind, level=level if kind == Certificate.Kind.SKILL_LEVEL else "",
        number=number, issued_on=issued_on, issuer=str(data["issuer"]).strip())
    logger.info("certificate added", extra={"certificate": certificate.pk, "enrollment": enrollment.pk,
                                            "kind": kind, "level": certificate.level})
    return certificate
