"""Demo fraud cases (工伤医保冒用) of 南关区 and 船营区 in several states: 已立案, 调查中, 已认定（待审核）, 已生效,
申诉中, 已撤销 and 不予认定 — found by 王经办, reviewed by 李审核 (four eyes).

Idempotent: a case is keyed by its person and reported date; a case that exists is left as it is."""

from datetime import date
from decimal import Decimal

from apps.accounts.models import User
from apps.applicants.services import person_get_or_create
from apps.core.demo import make_id_number, person_name
from apps.fraud import services
from apps.fraud.models import FraudCase

# region, reported on, hospital, billed, the moves after 立案 (action, note)
CASES = [
    ("220102", date(2026, 10, 8), "吉林大学第二医院", "8600.00", []),
    ("220102", date(2026, 10, 15), "长春市中心医院", "12350.40", [("investigate", "")]),
    ("220102", date(2026, 9, 20), "南关区人民医院", "4200.00", [("investigate", ""), ("find", "")]),
    ("220102", date(2026, 8, 3), "长春市骨科医院", "23800.00", [("investigate", ""), ("find", ""), ("approve", "事实清楚")]),
    ("220102", date(2026, 7, 12), "吉林省人民医院", "6150.75", [
        ("investigate", ""), ("find", ""), ("approve", "事实清楚"), ("appeal", "当事人称该次住院与工伤无关")]),
    ("220102", date(2026, 6, 2), "南关区中医院", "1880.00", [
        ("investigate", ""), ("find", ""), ("approve", "事实清楚"), ("appeal", "已补交工伤认定结论：非工伤"),
        ("revoke", "复核：人社部门认定不属于工伤，撤销认定")]),
    ("220102", date(2026, 9, 1), "长春市第六医院", "960.00", [("investigate", ""), ("dismiss", "查明系非工作原因受伤")]),
    ("220204", date(2026, 10, 20), "吉林市中心医院", "15400.00", [("investigate", ""), ("find", "")]),
]


def seed(*, rng) -> str:
    workers = {"220102": User.objects.get(username="caseworker"), "220204": User.objects.get(username="caseworker_jl")}
    reviewer = User.objects.get(username="supervisor_jl")  # 吉林省: reviews both regions
    created = 0
    for index, (region, reported_on, hospital, billed, moves) in enumerate(CASES):
        number = make_id_number(region, date(1978 + index, 3 + index, 10 + index), 880 + index, index % 2 == 1)
        person, _ = person_get_or_create(id_number=number, defaults={"name": person_name(rng), "region_id": region})
        if FraudCase.objects.filter(person=person, reported_on=reported_on).exists():
            continue
        worker = workers[region]
        case = services.case_create(user=worker, person=person, reported_on=reported_on, hospital=hospital,
                                    amount_billed=Decimal(billed), description="工伤事故后就医，以普通疾病名义由医保基金结算")
        for action, note in moves:
            user = reviewer if services.CASE_LIFECYCLE.transitions[action].roles else worker
            case = services.case_transition(case=case, action=action, user=user, note=note,
                                            misused_amount=Decimal(billed),
                                            facts_summary=f"{hospital}住院费用 {billed} 元经工伤认定属工伤，已由医保基金结算")
        created += 1
    return f"{created} 件新骗保案件（共 {FraudCase.objects.count()} 件）"
