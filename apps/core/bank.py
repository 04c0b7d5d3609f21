"""Bank details of a payee (开户银行, 账号, 户名): one copy of the checks, used by the employer registry, the
payment service and the bank-return import.

What is checked, and why no more:

* 账号 — digits only, `BANK_ACCOUNT_MIN_DIGITS` to `BANK_ACCOUNT_MAX_DIGITS` of them, spaces (as people type
  a long number: 6222 0202 …) and full-width digits normalised away. The payees here are units: their
  accounts are 单位银行结算账户, whose numbering each bank sets for itself (《人民币银行结算账户管理办法》 gives
  no format). The Luhn check digit belongs to *card* numbers (GB/T 19584 / ISO/IEC 7812), not to settlement
  accounts, so no check digit is tested — a Luhn test would refuse valid corporate accounts. The upper
  bound is the 32-character account field of the PBoC payment systems (CNAPS); the lower bound is a local
  sanity bound (no Chinese bank issues unit accounts that short), a documented assumption (docs/payments.md).
* 户名 — must be the payee's registered name for the bank to credit the account; a different name is not
  refused (a branch office, an old name) but *flagged* (`account_name_mismatch`), compared after Unicode
  NFKC (full-width brackets and letters) without whitespace.
* A person's account (个人银行账户 or the financial account of the 社会保障卡, `personal=True`) is checked the
  same way for the number — a card number usually carries a Luhn digit, a passbook (存折) account does not, so
  again none is tested — but its 户名 must be the person's own name: a subsidy is paid to the person, never
  into a relative's account, and a person has no branch office. A different 户名 is *blocking*
  (`account_name_not_own`); the middle dot of minority and foreign names (阿依古丽·买买提) is compared
  whichever dot was typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

BANK_ACCOUNT_MIN_DIGITS = 8
BANK_ACCOUNT_MAX_DIGITS = 32
BANK_NAME_MAX_LENGTH = 100
ACCOUNT_NAME_MAX_LENGTH = 200
_SPACES = re.compile(r"\s+")


def normalize_bank_account(value: str | None) -> str:
    """Full-width digits to ASCII, spaces removed: what the bank file carries."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value or ""))


def validate_bank_account(value: str | None) -> str:
    """The normalised account number, or a ValidationError with a stable code and a Chinese message."""
    number = normalize_bank_account(value)
    if not number.isascii() or not number.isdigit():
        raise ValidationError(_("银行账号只能由数字组成（可含空格，不含字母、横线等符号）"), code="bank_account_not_digits")
    if len(number) < BANK_ACCOUNT_MIN_DIGITS:
        raise ValidationError(_("银行账号过短：至少 %(min)d 位数字") % {"min": BANK_ACCOUNT_MIN_DIGITS},
                              code="bank_account_too_short")
    if len(number) > BANK_ACCOUNT_MAX_DIGITS:
        raise ValidationError(_("银行账号过长：最多 %(max)d 位数字") % {"max": BANK_ACCOUNT_MAX_DIGITS},
                              code="bank_account_too_long")
    return number


def validate_bank_account_field(value: str | None) -> None:
    """A model-field validator (an empty account is allowed on the record; a payment refuses it)."""
    if value:
        validate_bank_account(value)


def mask_bank_account(value: str | None) -> str:
    """Lists show 6222************1234: the first four and the last four only."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * (len(value) - 2) + value[-2:]
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


# The dots people type between the parts of a name: middle dot, bullet, katakana middle dot, hyphenation point,
# dot operator, full stop (after NFKC, the halfwidth katakana dot is U+30FB).
_NAME_DOTS = re.compile("[\u00b7\u2022\u30fb\u2027\u22c5\u2219.]")


def normalize_name(value: str | None) -> str:
    return _NAME_DOTS.sub("·", _SPACES.sub("", unicodedata.normalize("NFKC", value or "")))


def account_name_matches(account_name: str | None, payee_name: str | None) -> bool:
    return bool(account_name) and normalize_name(account_name) == normalize_name(payee_name)


def account_name_not_own_message(account_name: str, person_name: str) -> str:
    return f"户名“{account_name}”与本人姓名“{person_name}”不一致：补贴只能发放到本人账户"


@dataclass(frozen=True)
class BankProblem:
    code: str
    message: str
    blocking: bool = True  # a blocking problem keeps the payee out of a disbursement file


def bank_details_problems(*, bank_name: str, account_number: str, account_name: str,
                          payee_name: str, personal: bool = False) -> list[BankProblem]:
    """Every problem of one payee's bank details (not just the first). `personal`: the payee is a person, whose
    account must be in their own name (blocking), where a unit's differing 户名 is only flagged."""
    problems: list[BankProblem] = []
    if not (bank_name or "").strip():
        problems.append(BankProblem("bank_name_missing", "未填写开户银行"))
    if not (account_number or "").strip():
        problems.append(BankProblem("bank_account_missing", "未填写银行账号"))
    else:
        try:
            validate_bank_account(account_number)
        except ValidationError as error:
            problems.append(BankProblem(error.code or "bank_account_invalid", str(error.messages[0])))
    if not (account_name or "").strip():
        problems.append(BankProblem("account_name_missing", "未填写户名"))
    elif personal and not account_name_matches(account_name, payee_name):
        problems.append(BankProblem("account_name_not_own", account_name_not_own_message(account_name, payee_name)))
    elif not account_name_matches(account_name, payee_name):
        problems.append(BankProblem("account_name_mismatch", f"户名“{account_name}”与单位名称“{payee_name}”不一致，请核实",
                                    blocking=False))
    return problems


class BankDetails(models.Model):
    """Where a payment goes: a 单位银行结算账户 (apps.core.bank says what is checked). Employers (稳岗返还) and
    childcare institutions (运营补助) carry it; so do people (培训补贴, a personal account: applicants.Person
    overrides the 户名's help text, and the payment source says `personal`). Lists show the account masked; the full number is read-audited
    like personal data. The payee's registered name is `name` on the concrete model.

    db_default: bulk SQL that names only the older columns (seed_benchmark's INSERT … SELECT) still works.
    """

    bank_name = models.CharField(_("开户银行"), max_length=BANK_NAME_MAX_LENGTH, blank=True, default="",
                                 db_default="")
    bank_account = models.CharField(_("银行账号"), max_length=BANK_ACCOUNT_MAX_DIGITS, blank=True, default="",
                                    db_default="", validators=[validate_bank_account_field])
    bank_account_name = models.CharField(_("户名"), max_length=ACCOUNT_NAME_MAX_LENGTH, blank=True, default="",
                                         db_default="", help_text=_("应与单位名称一致；不一致时发放前会提示核实"))
    name: str

    class Meta:
        abstract = True

    @property
    def masked_bank_account(self) -> str:
        return mask_bank_account(self.bank_account)

    @property
    def has_bank_details(self) -> bool:
        return bool(self.bank_name.strip() and self.bank_account and self.bank_account_name.strip())

    @property
    def bank_account_name_matches(self) -> bool:
        return account_name_matches(self.bank_account_name, self.name)
