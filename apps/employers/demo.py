from datetime import date
from decimal import Decimal
from io import BytesIO

from dateutil.relativedelta import relativedelta
from simple_history.utils import bulk_create_with_history

from apps.core.demo import make_uscc
from apps.core.models import Region
from apps.employers.models import Contribution, Employer

COMPANY_WORDS = ["长白山", "松花江", "吉顺", "汇通", "东北", "北方", "华信", "鼎盛", "恒达", "金桥", "宏远", "瑞丰",
                 "兴农", "德惠", "天成", "安泰", "丰源", "鸿运", "启明", "新世纪"]
# Registry industry code → the tail of a believable company name.
COMPANY_KINDS = {
    "industry": "机械制造有限公司", "construction": "建筑工程有限公司", "wholesale": "商贸有限公司",
    "retail": "超市有限公司", "transport": "运输有限公司", "hospitality": "餐饮管理有限公司",
    "software": "信息技术有限公司", "property_management": "物业服务有限公司", "agriculture": "农业发展有限公司",
    "other": "服务有限公司",
}
DEMO_EMPLOYERS = 120
MONTHS = [date(2024, 1, 1) + relativedelta(months=n) for n in range(24)]  # 2024-01 … 2025-12


def seed(*, rng) -> str:
    counties = ["220102"] * 10 + list(Region.objects.filter(level="county").values_list("code", flat=True))
    employers = []
    for index in range(DEMO_EMPLOYERS):
        region = rng.choice(counties)
        industry = rng.choice(list(COMPANY_KINDS))
        entity = "enterprise" if index % 10 else rng.choice(["law_firm", "social_org", "accounting_firm",
                                                              "individual_business"])
        staff = rng.choice([3, 8, 15, 28, 30, 31, 45, 80, 150, 320, 1200])
        employers.append(Employer(
            uscc=make_uscc(region, index + 1), name=f"吉林省{rng.choice(COMPANY_WORDS)}{COMPANY_KINDS[industry]}"
            if entity == "enterprise" else f"吉林{rng.choice(COMPANY_WORDS)}{dict(Employer.EntityType.choices)[entity]}",
            entity_type=entity, industry=industry, employees=staff if rng.random() > 0.1 else None,
            revenue_10k=Decimal(rng.randint(50, 60000)) if rng.random() > 0.2 else None,
            assets_10k=Decimal(rng.randint(50, 90000)) if rng.random() > 0.3 else None,
            region_id=region, serious_dishonesty=rng.random() < 0.03,
            contact_name="张会计", contact_phone=f"0431-8{rng.randint(1000000, 9999999)}",
        ))
        # Bank details without touching rng (the rest of the demo draws the same numbers): every 15th unit
        # has none, so the payment page's pre-issue check has something to list.
        if index % 15 != 7:
            employer = employers[-1]
            employer.bank_name = "中国工商银行长春分行" if index % 2 else "中国建设银行吉林省分行"
            employer.bank_account, employer.bank_account_name = f"4200021109{index + 1:08d}", employer.name
    existing = set(Employer.objects.filter(uscc__in=[e.uscc for e in employers]).values_list("uscc", flat=True))
    new = [e for e in employers if e.uscc not in existing]
    bulk_create_with_history(new, Employer, batch_size=500)

    contributions = []
    for employer in Employer.objects.filter(uscc__in=[e.uscc for e in new]):
        headcount = employer.employees or rng.randint(5, 60)
        wage_base = Decimal(rng.choice([4200, 5000, 6100, 7500]))
        for month in MONTHS:
            due = (wage_base * headcount * Decimal("0.01")).quantize(Decimal("0.01"))  # demo only: 1% total rate
            short = rng.random() < 0.02
            paid_employee = (due * Decimal("0.3")).quantize(Decimal("0.01"))
            paid_employer = (due - paid_employee) if not short else Decimal("0.00")
            contributions.append(Contribution(
                employer=employer, period=month, insured_headcount=headcount, amount_due=due,
                paid_employer=paid_employer, paid_employee=paid_employee, late_fee=Decimal("0.00"),
            ))
            headcount = max(0, headcount + rng.choice([-1, 0, 0, 0, 1]))
    bulk_create_with_history(contributions, Contribution, batch_size=2000)
    refused = _refused_import()
    return f"{len(new)} 家新单位，{len(contributions)} 条缴费记录（共 {Employer.objects.count()} 家）{refused}"


# A supplementary list with a wrong check digit and a unit outside 南关区: the import service refuses the file,
# and the caseworker finds it on their 待办 list (导入未成功) with its error report.
REFUSED_IMPORT = ("统一社会信用代码,单位名称,单位类型,行业,从业人员数,营业收入（万元）,资产总额（万元）,区划代码,严重失信\n"
                  "91220102MA0000000X,吉林省启明商贸有限公司,enterprise,wholesale,12,300,200,220102,否\n"
                  f"{make_uscc('220204', 9_000_001)},吉林省汇通运输有限公司,enterprise,transport,30,900,500,220204,否\n")


def _refused_import() -> str:
    from apps.accounts.models import User  # the accounts step has run: the demo users exist
    from apps.imports.models import ImportBatch
    from apps.imports.services import import_file

    user = User.objects.filter(username="caseworker").first()
    if user is None or ImportBatch.objects.filter(created_by=user, file_name="用人单位补充名单-演示.csv").exists():
        return ""
    batch = import_file(kind="employers", handle=BytesIO(REFUSED_IMPORT.encode("utf-8-sig")),
                        file_name="用人单位补充名单-演示.csv", user=user)
    return f"，1 个未通过校验的导入（{batch.error_count} 处错误）"
