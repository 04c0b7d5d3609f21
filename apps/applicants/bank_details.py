"""The rules of a person's own bank account (a subsidy is paid to them), shared by the caseworker form, the admin
and the API: 开户银行 and 账号 together or neither, 户名 the person's name — filled in from 姓名 when left empty,
refused when it is someone else's (the payment's readiness check refuses it too, apps.core.bank). The account
number itself is checked by apps.core.bank.validate_bank_account before these."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.core.bank import account_name_matches, account_name_not_own_message


@dataclass(frozen=True)
class BankProblem:
    field: str
    message: str
    code: str


def person_bank_details(*, name: str, bank_name: str, account: str, account_name: str
                        ) -> tuple[dict[str, str], list[BankProblem]]:
    """The cleaned (bank_name, bank_account_name) and the problems, each with its field and a stable code."""
    bank_name, account_name, name = (bank_name or "").strip(), (account_name or "").strip(), (name or "").strip()
    problems: list[BankProblem] = []
    if account and not bank_name:
        problems.append(BankProblem("bank_name", str(_("填写了银行账号，请同时填写开户银行")), "bank_name_required"))
    if bank_name and not account:
        problems.append(BankProblem("bank_account", str(_("填写了开户银行，请同时填写银行账号")), "bank_account_required"))
    if account_name and not account:
        problems.append(BankProblem("bank_account", str(_("填写了户名，请同时填写开户银行和银行账号")),
                                    "bank_details_incomplete"))
    cleaned = {"bank_name": bank_name}
    if account and not account_name and name:
        cleaned["bank_account_name"] = name  # 户名 = the person's name
    elif account_name and name and not account_name_matches(account_name, name):
        problems.append(BankProblem("bank_account_name", account_name_not_own_message(account_name, name),
                                    "account_name_not_own"))
    return cleaned, problems
