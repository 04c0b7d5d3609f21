"""身份证号 and 统一社会信用代码: validated by python-stdnum, messages in Chinese."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

_STDNUM_CODES = (
    (stdnum_errors.InvalidChecksum, "invalid_checksum"),
    (stdnum_errors.InvalidLength, "invalid_length"),
    (stdnum_errors.InvalidFormat, "invalid_format"),
    (stdnum_errors.InvalidComponent, "invalid_component"),
)


def _code_for(error: Exception) -> str:
    for cls, code in _STDNUM_CODES:
        if isinstance(error, cls):
            return code
    return "invalid"


ID_NUMBER_MESSAGES = {
    "invalid_checksum": _("身份证号校验位错误"),
    "invalid_length": _("身份证号应为18位"),
    "invalid_format": _("身份证号格式错误"),
    "invalid_component": _("身份证号中的出生日期或地区码无效"),
    "invalid": _("身份证号无效"),
}
USCC_MESSAGES = {
    "invalid_checksum": _("统一社会信用代码校验位错误"),
    "invalid_length": _("统一社会信用代码应为18位"),
    "invalid_format": _("统一社会信用代码格式错误"),
    "invalid_component": _("统一社会信用代码中的登记管理部门或机构类别无效"),
    "invalid": _("统一社会信用代码无效"),
}


def normalize_id_number(value: str) -> str:
    return ric.compact(value or "").upper()


def validate_id_number(value: str) -> str:
    """Return the compact form or raise ValidationError with a Chinese message and a stable code."""
    try:
        return ric.validate(normalize_id_number(value))
    except stdnum_errors.ValidationError as error:
        code = _code_for(error)
        raise ValidationError(ID_NUMBER_MESSAGES[code], code=code) from error


def validate_uscc(value: str) -> str:
    try:
        return uscc.validate(uscc.compact(value or "").upper())
    except stdnum_errors.ValidationError as error:
        code = _code_for(error)
        raise ValidationError(USCC_MESSAGES[code], code=code) from error


@dataclass(frozen=True)
class IdNumberFacts:
    number: str  # the compact, upper-case form
    birth_date: date
    sex: str  # "M" / "F"
    birthplace_code: str
    last4: str


def id_number_facts(value: str) -> IdNumberFacts:
    """Birth date, sex, birthplace and the last four come from the ID number and are never typed twice.
    The one place they are computed; raises ValidationError for a number that is not valid."""
    number = validate_id_number(value)
    sex = "M" if int(number[16]) % 2 else "F"
    return IdNumberFacts(number=number, birth_date=ric.get_birth_date(number), sex=sex, birthplace_code=number[:6],
                         last4=number[-4:])


def mask_id_number(value: str | None) -> str:
    """Lists show 2201**********123X: region prefix and the last four only."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_name(value: str | None) -> str:
    """张** — for minors in lists when the user may not open the case."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)
