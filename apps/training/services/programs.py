"""Writes for programs: the program itself and its amount in the training-subsidy parameter table."""

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from apps.core.exceptions import ApplicationError
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import parameter_save
from apps.training.models import Program, TargetGroup
from apps.training.selectors import PROGRAM_SUBSIDY_KEY
from apps.training.services.validation import check_region, full_clean_or_raise

logger = logging.getLogger(__name__)


@transaction.atomic
def program_save(*, program: Program, user, shortages=(), willingness=()) -> Program:
    """Create or update a program of a provider in the user's region (the program's region is the provider's
    unless set)."""
    errors = {}
    if program.dual_certificate and not (program.second_certificate_name and program.second_certificate_issuer):
        errors["second_certificate_issuer"] = ["一培双证项目须填写第二证书名称及颁发部门"]
    unknown = set(program.target_groups) - set(TargetGroup.values)
    if unknown:
        errors["target_groups"] = [f"未知的人员类别：{'、'.join(sorted(unknown))}"]
    if program.start_date and program.end_date and program.end_date < program.start_date:
        errors["end_date"] = ["结业日期不能早于开班日期"]
    if errors:
        raise ApplicationError("program_invalid", "培训项目信息有误", errors)
    if not program.region_id:
        program.region_id = program.provider.region_id
    check_region(user, "provider", program.provider.region_id, program.region_id)
    full_clean_or_raise(program)
    created = program.pk is None
    program.save()
    if shortages:
        program.shortages.add(*shortages)
    if willingness:
        program.willingness.add(*willingness)
    logger.info("training program saved", extra={"program": program.pk, "code": program.code, "is_new": created,
                                                 "region": program.region_id})
    return program


@transaction.atomic
def program_subsidy_amount_set(*, subsidy_key: str, name: str, amount: Decimal, valid_from: date,
                               region_code: str, source_title: str) -> PolicyParameter:
    """Put one program's training-subsidy amount into the effective-dated parameter table.

    The table is one PolicyParameter row per version, so a change is a new version from `valid_from`
    carrying every other program's amount over; the old version ends the day before. Amounts stay
    admin-entered data with a legal source — never code.
    """
    if not isinstance(amount, Decimal) or amount < 0:
        raise ApplicationError("invalid_amount", "补贴金额须为非负金额", {"amount": ["请填写金额，如 1200.00"]})
    current = PolicyParameter.objects.filter(key=PROGRAM_SUBSIDY_KEY, region_id=region_code,
                                             valid_from__lte=valid_from).order_by("-valid_from").first()
    table = dict(current.value) if current else {}
    table[subsidy_key] = {"name": name, "amount": f"{amount:.2f}"}
    logger.info("training subsidy amount set", extra={"subsidy_key": subsidy_key, "amount": f"{amount:.2f}",
                                                      "valid_from": valid_from.isoformat(), "region": region_code})
    if current is not None and current.valid_from == valid_from:
        current.value = table
        current.source_title = source_title
        return parameter_save(parameter=current)
    if current is not None and (current.valid_to is None or current.valid_to >= valid_from):
        current.valid_to = valid_from - timedelta(days=1)
        parameter_save(parameter=current)
    return parameter_save(parameter=PolicyParameter(
        key=PROGRAM_SUBSIDY_KEY, name=current.name if current else "职业技能培训补贴标准（按培训项目）",
        value_type=PolicyParameter.ValueType.TABLE, value=table, unit="元/人", valid_from=valid_from,
        region_id=region_code, source_title=source_title))
