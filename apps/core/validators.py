"""身份证号 and 统一社会信用代码: validated by python-stdnum, messages in Chinese."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc
from stdnum.util import isdigits

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
    "invalid_component": _("身份证号中的出生日期无效"),
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


def _ric_validate_without_birthplace(number: str) -> str:
    """python-stdnum's ric.validate minus its last step, get_birth_place: that step refuses a birthplace code
    outside the years the library's table has it in force (南关区 220102 only from 1983), so everyone born in
    Changchun before 1983 would be refused. Length, digits, check digit and date are stdnum's own checks."""
    if len(number) != 18:
        raise stdnum_errors.InvalidLength()
    if not isdigits(number[:-1]):
        raise stdnum_errors.InvalidFormat()
    if number[-1] != ric.calc_check_digit(number):
        raise stdnum_errors.InvalidChecksum()
    ric.get_birth_date(number)
    return number


def validate_id_number(value: str) -> str:
    """Return the compact form or raise ValidationError with a Chinese message and a stable code.
    A number is valid when its length, check digit and birth date are; the birthplace code is never a reason
    to refuse (see birthplace_known)."""
    try:
        return _ric_validate_without_birthplace(normalize_id_number(value))
    except stdnum_errors.ValidationError as error:
        code = _code_for(error)
        raise ValidationError(ID_NUMBER_MESSAGES[code], code=code) from error


def birthplace_known(number: str) -> bool:
    """Whether stdnum's code table has the birthplace code in force in the birth year. False for a historical
    code (older than the table's periods) or an unknown one: recorded on the person, never a refusal."""
    try:
        ric.get_birth_place(number)
    except (stdnum_errors.ValidationError, KeyError):  # KeyError: the province is known, the county is not
        return False
    return True


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
    birthplace_known: bool  # False: the code is historical or unknown to the table — kept, flagged
    last4: str


def id_number_facts(value: str) -> IdNumberFacts:
    """Birth date, sex, birthplace and the last four come from the ID number and are never typed twice.
    The one place they are computed; raises ValidationError for a number that is not valid."""
    number = validate_id_number(value)
    sex = "M" if int(number[16]) % 2 else "F"
    return IdNumberFacts(number=number, birth_date=ric.get_birth_date(number), sex=sex, birthplace_code=number[:6],
                         birthplace_known=birthplace_known(number), last4=number[-4:])


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
