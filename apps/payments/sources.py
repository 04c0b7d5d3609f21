"""The programmes that pay register here (from their AppConfig.ready()): payments knows no programme.

A source says, for one of its records (a refund run, …), which lines are to be paid *now* — amounts from the
decisions, bank details from the registry as they stand. The payment service hashes those lines when a file
is prepared, again when it is approved and again when it is issued: a change in between is caught.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.bank import BankDetails, BankProblem, bank_details_problems
from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.scoping import user_can_see_region
from apps.core.validators import mask_id_number
from apps.notifications.events import Recipient


@dataclass(frozen=True)
class PayeeLine:
    """One payment as the source sees it now."""

    row_key: str  # unique within the source record (e.g. the employer id of a refund result)
    payee_code: str  # e.g. the USCC
    payee_name: str
    bank_name: str
    account_number: str
    account_name: str
    amount: Decimal
    region_code: str
    payee_url: str = ""  # where a caseworker corrects the bank details
    personal: bool = False  # a person's own account: 户名 must be their name (apps.core.bank)

    @classmethod
    def to(cls, payee: BankDetails, *, amount: Decimal, region_code: str, payee_url: str,
           row_key: str | None = None) -> PayeeLine:
        """A line paying `payee` — a person, an employer, an institution, a lender: a registry row with its bank
        details — from the row as it stands now (a re-issue pays a corrected account). A person's line is
        personal and carries the masked ID number as its code (the bank credits by account and 户名); an
        organisation's carries its 统一社会信用代码. The row key is the payee's id unless the source says."""
        id_number = getattr(payee, "id_number", None)
        return cls(row_key=str(payee.pk) if row_key is None else row_key,
                   payee_code=mask_id_number(id_number) if id_number is not None else getattr(payee, "uscc", ""),
                   payee_name=payee.name, bank_name=payee.bank_name, account_number=payee.bank_account,
                   account_name=payee.bank_account_name, amount=amount, region_code=region_code,
                   payee_url=payee_url, personal=id_number is not None)


@dataclass(frozen=True)
class SourceRecord:
    """What the payment pages show about the record being paid, and the region that scopes it."""

    label: str
    region_code: str
    url: str
    purpose: str  # the bank file's 摘要, e.g. "2025年稳岗返还"
    payable: bool  # may a first disbursement file be prepared now (e.g. the run is approved)
    refusal: str = ""  # why not, when not payable


@dataclass(frozen=True)
class PaymentSource:
    key: str  # "refunds.run"
    slug: str  # in URLs: "refund-run"
    label: str
    # record(source_id) → SourceRecord, or None when there is no such record
    record: Callable[[int], SourceRecord | None]
    # lines(source_id, row_keys) → the lines to pay now; row_keys None = every payable row
    lines: Callable[[int, Collection[str] | None], list[PayeeLine]]
    # on_issued(source_id, batch, user): the source records that money went out (e.g. the run → issued)
    on_issued: Callable[[int, Any, Any], None] | None = None
    # contacts(source_id, row_keys) → {row_key: Recipient} (name, region, phone, e-mail) of the payees: whom the
    # 已发放到账 notice goes to when the bank's return marks a line paid. None: the source sends no notice.
    contacts: Callable[[int, Collection[str]], dict[str, Recipient]] | None = None
    # on_paid(source_id, lines, user): the bank's return marked these PaymentLines paid (row_key, reference,
    # returned_at) — in the return's transaction, once per line: a return imported twice calls nothing the second
    # time. None: the source records nothing (a refund run is reconciled as a whole).
    on_paid: Callable[[int, list[Any], Any], None] | None = None
    # The payees are people (personal accounts): pages say 收款人 / 身份证号 instead of 单位 / 统一社会信用代码.
    personal: bool = False
    # "app_label.model" of the records the row keys name, when they are people: a download of the file (full
    # account numbers) is then also logged as a read of each of them, so a person's access log shows it.
    payee_model: str = ""


SOURCES: dict[str, PaymentSource] = {}


def register_source(source: PaymentSource) -> None:
    SOURCES[source.key] = source


def source_by_slug(slug: str) -> PaymentSource | None:
    return next((source for source in SOURCES.values() if source.slug == slug), None)


def source_get(key: str) -> PaymentSource:
    try:
        return SOURCES[key]
    except KeyError:
        raise ApplicationError("unknown_payment_source", f"未知的发放来源：{key}", {"source": ["未知的发放来源"]}) from None


def source_record(*, user, source: PaymentSource, source_id: int) -> SourceRecord:
    """The record being paid, if the user may see it (else 404, as for any record outside the region)."""
    record = source.record(source_id)
    if record is None or not user_can_see_region(user, record.region_code):
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    return record


def lines_problems(lines: list[PayeeLine]) -> list[tuple[PayeeLine, list[BankProblem]]]:
    """(line, its bank problems) for every line with at least one problem, blocking or flagged."""
    found = []
    for line in lines:
        problems = bank_details_problems(bank_name=line.bank_name, account_number=line.account_number,
                                         account_name=line.account_name, payee_name=line.payee_name,
                                         personal=line.personal)
        if problems:
            found.append((line, problems))
    return found
