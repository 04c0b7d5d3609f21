"""The approved monthly 公益性岗位 subsidy run as a payment source (registered in PublicPostsConfig.ready()).

The run's line is one sum of two subsidies with two payees:

- **岗位补贴** is the person's: paid into their own account (applicants.Person's bank details, 户名 = their name —
  `personal`), one payment per person of the run.
- **社会保险补贴** is the unit's: the source of the programme (人社建字〔2025〕84号) names no payee, and the funding
  rules it works under — 《就业补助资金管理办法》(财政部 人力资源社会保障部 财社〔2017〕164号) — pay it to "通过公益性岗位
  安置就业困难人员并缴纳社会保险费的单位", for the contributions it paid for them: the post's 用人单位, into its
  单位银行结算账户 (employers.Employer's bank details), one payment per unit of the run (the sum of its people).
  A post whose 用人单位 is only a name (not a registered employer) has no account: its payment is blocking until
  the post names the registered employer.

Two sources on the same run — `public_posts.run` (slug `public-post-run`, to the people) and
`public_posts.run_insurance` (slug `public-post-run-insurance`, to the units) — so that each file says 收款人 or
收款单位 and a personal file's download is a logged read of the people. The split is exact: the 社会保险补贴 share is
the calculator's exact prorated amount rounded half-up to the fen, the 岗位补贴 share is the line's (once-rounded)
amount less it; the two files together pay exactly the run's total.

One run is one record, as a refund run is: it is approved as a whole, and a run approved after it (another month)
is another record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import replace
from decimal import Decimal

from django.urls import reverse

from apps.core.money import round_money
from apps.notifications.events import Recipient
from apps.payments.sources import PayeeLine, PaymentSource, SourceRecord
from apps.public_posts.models import SubsidyLine, SubsidyRun

PERSONAL_SOURCE = "public_posts.run"
PERSONAL_SLUG = "public-post-run"
INSURANCE_SOURCE = "public_posts.run_insurance"
INSURANCE_SLUG = "public-post-run-insurance"

ZERO = Decimal("0.00")


def split(line: SubsidyLine) -> tuple[Decimal, Decimal]:
    """(岗位补贴 share, 社会保险补贴 share) of a line; they add up to the line's amount."""
    exact = (line.explanation or {}).get("data", {}).get("social_insurance_subsidy")
    insurance = min(round_money(Decimal(str(exact))), line.amount) if exact not in (None, "") else ZERO
    return line.amount - insurance, insurance


def _run(run_id: int) -> SubsidyRun | None:
    return SubsidyRun.objects.select_related("region").filter(pk=run_id).first()


def _record(run_id: int, *, insurance: bool) -> SourceRecord | None:
    run = _run(run_id)
    if run is None:
        return None
    payable = run.status == SubsidyRun.Status.APPROVED and run.total_amount > 0
    refusal = "" if payable else (f"批次当前状态为“{run.get_status_display()}”，只有已审核且合计大于零的补贴批次"
                                  "可以制作发放文件")
    part = "社会保险补贴" if insurance else "岗位补贴"
    return SourceRecord(label=f"{run.region.name} {run.month:%Y年%m月}公益性岗位{part}", region_code=run.region_id,
                        url=reverse("public_posts:run-detail", args=[run.pk]),
                        purpose=f"{run.month:%Y年%m月}公益性岗位{part}", payable=payable, refusal=refusal)


def _run_lines(run_id: int):
    return (SubsidyLine.objects.filter(run_id=run_id, run__status=SubsidyRun.Status.APPROVED, amount__gt=0)
            .select_related("person", "placement__post__employer").order_by("id"))


def person_lines(run_id: int, row_keys: Collection[str] | None) -> list[PayeeLine]:
    """One payment per person: the 岗位补贴 shares of their lines, into their own account as it stands now."""
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    people = {}
    for line in _run_lines(run_id):
        amounts[line.person_id] += split(line)[0]
        people[line.person_id] = (line.person, line.placement.region_id)
    lines = []
    for person_id, amount in amounts.items():
        person, region = people[person_id]
        if amount <= 0 or (row_keys is not None and str(person_id) not in row_keys):
            continue
        lines.append(PayeeLine.to(person, amount=amount, region_code=region,
                                  payee_url=reverse("applicants:edit", args=[person_id])))
    return lines


def insurance_lines(run_id: int, row_keys: Collection[str] | None) -> list[PayeeLine]:
    """One payment per 用人单位: the 社会保险补贴 shares of its people, into the unit's account as it stands now. A post
    without a registered employer is its own payee (row key `post:<id>`), with no account: blocking."""
    amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
    payees: dict[str, PayeeLine] = {}
    for line in _run_lines(run_id):
        post = line.placement.post
        employer = post.employer
        if employer is not None:
            key = str(employer.pk)
            payee = PayeeLine.to(employer, amount=ZERO, region_code=employer.region_id,
                                 payee_url=reverse("employers:edit", args=[employer.pk]))
        else:
            key = f"post:{post.pk}"
            payee = PayeeLine(row_key=key, payee_code="", payee_name=post.employer_name, bank_name="",
                              account_number="", account_name="", amount=ZERO, region_code=post.region_id,
                              payee_url=reverse("public_posts:post-detail", args=[post.pk]))
        amounts[key] += split(line)[1]
        payees.setdefault(key, payee)
    lines = []
    for key, payee in payees.items():
        if amounts[key] <= 0 or (row_keys is not None and key not in row_keys):
            continue
        lines.append(replace(payee, amount=amounts[key]))
    return lines


def person_contacts(run_id: int, row_keys: Collection[str]) -> dict[str, Recipient]:
    """Who hears that the 岗位补贴 arrived (已发放到账): the person, by 短信 at their phone."""
    from apps.applicants.models import Person

    people = Person.objects.filter(pk__in=[int(key) for key in row_keys if key.isdigit()])
    return {str(p.pk): Recipient(key=f"person:{p.pk}", name=p.name, region_code=p.region_id, phone=p.phone or "")
            for p in people}


def employer_contacts(run_id: int, row_keys: Collection[str]) -> dict[str, Recipient]:
    """The unit hears of its 社会保险补贴: its contact phone and e-mail (as a refund run's employer)."""
    from apps.employers.models import Employer

    employers = Employer.objects.filter(pk__in=[int(key) for key in row_keys if key.isdigit()])
    return {str(e.pk): Recipient(key=f"employer:{e.pk}", name=e.name, region_code=e.region_id,
                                 phone=e.contact_phone or "", email=e.contact_email or "") for e in employers}


PERSONAL = PaymentSource(
    key=PERSONAL_SOURCE, slug=PERSONAL_SLUG, label="公益性岗位补贴（个人）",
    record=lambda run_id: _record(run_id, insurance=False), lines=person_lines, contacts=person_contacts,
    personal=True, payee_model="applicants.person")
INSURANCE = PaymentSource(
    key=INSURANCE_SOURCE, slug=INSURANCE_SLUG, label="公益性岗位社会保险补贴（单位）",
    record=lambda run_id: _record(run_id, insurance=True), lines=insurance_lines, contacts=employer_contacts)

SOURCES = (PERSONAL, INSURANCE)
