"""Demo 创业担保贷款 of 南关区 and 船营区: applicants with the status tags that make them target groups (返乡创业农民工,
离校未就业高校毕业生, 生育后再就业妇女) and one without; applications registered by 王经办 and reviewed by 李审核 (four
eyes): approved, waiting, and one over the term limit; six months of the bank's schedule on an approved loan, the
first four repaid, and a subsidy claim computed from them, waiting for review.

The 经办银行名录 holds the three lender branches with their settlement accounts; every application is registered
at its lender (so an approved claim can be paid to it through apps.payments).

Idempotent: an application is keyed by its person and business name; a lender by its USCC; the schedule by (loan,
period); the claim is made only while the loan has none."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.applicants.models import StatusTag
from apps.applicants.services import person_get_or_create, status_tag_open
from apps.core.demo import make_id_number, make_uscc, person_name
from apps.startup_loans import services
from apps.startup_loans.models import Lender, LoanApplication, SubsidyClaim

# name, region, serial of its USCC, settlement account
LENDERS = [
    ("吉林银行长春南关支行", "220102", 9_100_001, "22050161000100010001"),
    ("中国邮政储蓄银行长春分行", "220102", 9_100_002, "922001010000123456"),
    ("吉林银行吉林船营支行", "220204", 9_100_003, "22050261000300030003"),
]

# region, tag (None: no target group), business, amount, term months, bank, approve?
APPLICATIONS = [
    ("220102", StatusTag.Tag.MIGRANT_WORKER, "南关区返乡农家菜馆", "200000.00", 24, "吉林银行长春南关支行", True),
    ("220102", StatusTag.Tag.UNEMPLOYED_GRADUATE, "长春青创电商工作室", "320000.00", 36, "中国邮政储蓄银行长春分行", False),
    ("220102", StatusTag.Tag.POSTNATAL_WOMAN, "南关区巧手家政服务部", "80000.00", 48, "吉林银行长春南关支行", False),
    ("220204", StatusTag.Tag.UNEMPLOYED, "船营区便民维修店", "150000.00", 24, "吉林银行吉林船营支行", True),
    ("220204", None, "船营区小吃店", "50000.00", 12, "吉林银行吉林船营支行", False),
]


def _schedule(application: LoanApplication, today: date) -> None:
    first_due = application.application_date + timedelta(days=30)
    rows = []
    for period in range(1, 7):
        due = first_due + timedelta(days=30 * (period - 1))
        rows.append(services.PeriodRow(
            application_id=application.pk, region_id=application.region_id, period=period, due_date=due,
            principal=Decimal("0.00"), interest=(application.guaranteed_amount * Decimal("0.0035")).quantize(
                Decimal("0.01")), paid_date=due if period <= 4 and due <= today else None))
    services.repayment_periods_write(rows=rows, import_batch_id=None)


def _lenders(workers) -> dict[str, Lender]:
    found = {}
    for name, region, serial, account in LENDERS:
        uscc = make_uscc(region, serial)
        lender = Lender.objects.filter(uscc=uscc).first() or services.lender_save(
            user=workers[region], lender=Lender(name=name, uscc=uscc, region_id=region, bank_name=f"{name}营业部",
                                                bank_account=account, bank_account_name=name))
        found[name] = lender
    return found


def seed(*, rng) -> str:
    workers = {"220102": User.objects.get(username="caseworker"), "220204": User.objects.get(username="caseworker_jl")}
    lenders = _lenders(workers)
    reviewer = User.objects.get(username="supervisor_jl")  # 吉林省: reviews both regions
    today = timezone.localdate()
    applied = today - timedelta(days=200)
    created = 0
    for index, (region, tag, business, amount, term, bank, approve) in enumerate(APPLICATIONS):
        number = make_id_number(region, date(1988 + index, 2 + index, 8 + index), 640 + index, index % 2 == 0)
        person, _ = person_get_or_create(id_number=number, defaults={"name": person_name(rng), "region_id": region})
        if LoanApplication.objects.filter(person=person, business_name=business).exists():
            continue
        if tag is not None:
            status_tag_open(person=person, tag=tag, since=applied - timedelta(days=60), note="演示数据")
        application = services.application_create(user=workers[region], person=person, data=services.ApplicationInput(
            application_date=applied, business_name=business, amount_requested=Decimal(amount), term_months=term,
            lender_bank=bank, lender_id=lenders[bank].pk))
        if approve:
            application = services.application_review(application=application, user=reviewer, action="approve",
                                                      note="材料齐全，符合条件")
            _schedule(application, today)
            if not SubsidyClaim.objects.filter(application=application).exists():
                services.claim_create(application=application, user=workers[region])
        created += 1
    return f"{created} 件新创业担保贷款申请（共 {LoanApplication.objects.count()} 件）"
