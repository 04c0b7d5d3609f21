"""身份证号 and 统一社会信用代码 (python-stdnum), 联系电话 (phonenumbers) and impossible facts: one copy of each
check, messages in Chinese, a stable code on every ValidationError. Models, forms, serializers, import specs
and the calculator faces all call these."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
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


# ---------------------------------------------------------------- impossible facts


def validate_non_negative(value: int | Decimal | None) -> None:
    """Contributions, headcounts, employees, months and amounts are never below zero."""
    if value is not None and value < 0:
        raise ValidationError(_("不能为负数"), code="negative")


def validate_birth_date(day: date | None) -> None:
    """Nobody is born after today."""
    if day is not None and day > timezone.localdate():
        raise ValidationError(_("出生日期不能晚于今天"), code="future_birth_date")


def validate_id_number_birth_date(value: str) -> None:
    """The birth date an ID number encodes is not after today (ric accepts any calendar date). Kept apart from
    validate_id_number so the number's own rules stay in one function; run it after that one."""
    try:
        born = ric.get_birth_date(normalize_id_number(value))
    except (stdnum_errors.ValidationError, ValueError):
        return  # not a valid number at all: validate_id_number says why
    if born > timezone.localdate():
        raise ValidationError(_("身份证号中的出生日期晚于今天"), code="future_birth_date")


# How far ahead a delivery date may lie: a pregnancy lasts at most about 300 days (43 weeks), so a delivery
# date further than that from today cannot be a real (or an expected) one. A plausibility bound on a fact,
# not a rule of any programme — hence a constant here and not a policy parameter.
DELIVERY_MAX_DAYS_AHEAD = 300


def validate_delivery_date(day: date | None) -> None:
    if day is not None and day > timezone.localdate() + timedelta(days=DELIVERY_MAX_DAYS_AHEAD):
        raise ValidationError(_("分娩日期不能晚于今天之后 %(days)s 天") % {"days": DELIVERY_MAX_DAYS_AHEAD},
                              code="delivery_date_too_far")


# ---------------------------------------------------------------- phone numbers

PHONE_MESSAGE = _("联系电话格式错误：应为11位手机号（如 13812345678）或带区号的固定电话（如 0431-88888888）")
_PHONE_CHARACTERS = set("0123456789+-() ")
_PHONE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalize_phone(value: str) -> str:
    """A Chinese mobile or landline number → 13812345678 / 0431-88888888; raises ValidationError
    (code invalid_phone) for anything else. An empty value stays empty (the field decides if it is required).
    Validity (number ranges, area codes, lengths) is libphonenumber's metadata, not a pattern of ours."""
    text = (value or "").strip()
    if not text:
        return ""
    if not set(text) <= _PHONE_CHARACTERS:  # the library skips leading words ("电话138…"); a field holds a number
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone") from error
    if (number.country_code != 86 or not phonenumbers.is_valid_number(number)
            or phonenumbers.number_type(number) not in _PHONE_TYPES):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
    national = phonenumbers.national_significant_number(number)
    area = phonenumbers.length_of_geographical_area_code(number)
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE or not area:
        return national
    return f"0{national[:area]}-{national[area:]}"


def validate_phone(value: str) -> None:
    """Model and form field validator (Django ignores a validator's result; normalize_phone returns one)."""
    normalize_phone(value)
