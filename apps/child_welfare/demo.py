"""Demo cases for `seed_demo`: children's directors, charity resources and cases at every lifecycle stage,
assigned to the demo users `caseworker` (南关区) and `caseworker_jl` (船营区). Idempotent: a child who already
has a case is skipped. Everything goes through the services, so the demo history looks like real work."""

import random
from datetime import date, timedelta

from apps.accounts.models import User
from apps.child_welfare import monitoring, services
from apps.child_welfare.lifecycle import STEPS
from apps.child_welfare.models import (
    Case,
    Category,
    CharityResource,
    ChildrenDirector,
    Domain,
    PlanItem,
    ReferralSource,
    RiskLevel,
    Severity,
    Status,
)
from apps.core.demo import make_id_number, person_name

DIRECTORS = [
    ("220102", "曙光街道", "明珠社区", "刘红梅"), ("220102", "永吉街道", "新春社区", "孙丽娟"),
    ("220102", "桃源街道", "桃源社区", "高玉兰"), ("220204", "北京街道", "文化社区", "赵春燕"),
]
RESOURCES = [
    ("爱心助学金", "吉林省慈善总会", "charity", Domain.EDUCATION, "220000", 50),
    ("儿童心理疏导服务", "长春市阳光心理志愿服务队", "volunteer", Domain.MENTAL_HEALTH, "220100", 30),
    ("康复训练补助", "长春市残疾人福利基金会", "charity", Domain.MEDICAL, "220100", 20),
    ("课业辅导“一对一”", "东北师范大学青年志愿者协会", "volunteer", Domain.EDUCATION, "220102", 40),
    ("冬季衣物与营养包", "吉林市红十字会", "charity", Domain.BASIC_LIVING, "220200", 100),
    ("安全自护课堂", "南关区“护苗”志愿服务队", "volunteer", Domain.SAFETY, "220102", 60),
]
# status to reach, risk, categories, days since report
PLAN = [
    (Status.REPORTED, RiskLevel.HIGH, [Category.AT_RISK_OF_HARM], 3),
    (Status.VERIFIED, RiskLevel.MEDIUM, [Category.LEFT_BEHIND], 20),
    (Status.ASSESSED, RiskLevel.MEDIUM, [Category.DISABLED, Category.MINIMUM_LIVING_ALLOWANCE], 40),
    (Status.PLANNED, RiskLevel.LOW, [Category.SERIOUSLY_ILL], 60),
    (Status.IN_SERVICE, RiskLevel.HIGH, [Category.DE_FACTO_UNSUPPORTED], 75),
    (Status.IN_SERVICE, RiskLevel.MEDIUM, [Category.ORPHAN], 120),
    (Status.IN_SERVICE, RiskLevel.LOW, [Category.EXTREME_POVERTY_SUPPORT, Category.DISABLED], 200),
    (Status.UNDER_REVIEW, RiskLevel.MEDIUM, [Category.LEFT_BEHIND], 210),
    (Status.CLOSED, RiskLevel.LOW, [Category.MINIMUM_LIVING_ALLOWANCE], 300),
    # High risk, assessed but not visited since its report 40 days ago: the first visit is overdue, and the
    # monitoring job escalates it to the supervisor (the 待办 lists' 逾期督办).
    (Status.ASSESSED, RiskLevel.HIGH, [Category.AT_RISK_OF_HARM], 40),
]
NEEDS: dict[str, str] = {
    Domain.BASIC_LIVING: "家庭收入低，冬季取暖与营养需保障", Domain.MEDICAL: "需定期康复训练",
    Domain.EDUCATION: "学习成绩落后，需课业辅导", Domain.MENTAL_HEALTH: "情绪低落，与同学交往少",
    Domain.SAFETY: "放学后无人看护", Domain.GUARDIANSHIP: "祖父母年迈，监护能力不足",
}


def _walk(case: Case, user: User, target: str, today: date, rng) -> None:
    """Take a case along the main path to `target` the way a caseworker would."""
    order = STEPS
    if order.index(target) >= 1:
        services.case_update(user=user, case_id=case.pk, expected_version=case.version,
                             data={"identity_verified": True, "documents_verified": True})
        services.case_transition(user=user, case_id=case.pk, action="verify", reason="入户核实身份与材料")
    if order.index(target) >= 2:
        domains = {d: {"severity": rng.choice([Severity.LOW, Severity.MEDIUM, Severity.HIGH]), "needs": NEEDS[d]}
                   for d in Domain.values}
        services.assessment_create(user=user, case_id=case.pk, assessed_on=today - timedelta(days=5),
                                   summary="六领域综合评估完成", domains=domains)
        services.case_transition(user=user, case_id=case.pk, action="assess")
    if order.index(target) >= 3:
        for domain in (Domain.EDUCATION, Domain.MENTAL_HEALTH):
            services.plan_item_save(user=user, case_id=case.pk, domain=domain, goal=f"改善{Domain(domain).label}状况",
                                    service="链接资源开展专项服务", responsible_type=PlanItem.ResponsibleType.CHARITY,
                                    responsible_name="吉林省慈善总会", due_date=today + timedelta(days=90),
                                    status=PlanItem.ItemStatus.PLANNED)
        services.case_transition(user=user, case_id=case.pk, action="plan")
    if order.index(target) >= 4:
        services.case_transition(user=user, case_id=case.pk, action="start_service")
        services.visit_record(user=user, case_id=case.pk, visited_on=today - timedelta(days=rng.randint(5, 80)),
                              visitors=f"{user}、儿童主任", findings="儿童在家，精神状态良好，家中卫生一般",
                              services_delivered="送去学习用品")
    if target == Status.UNDER_REVIEW:
        services.case_transition(user=user, case_id=case.pk, action="review")
    if target == Status.CLOSED:
        services.case_transition(user=user, case_id=case.pk, action="close", closure_reason="resolved",
                                 reason="家庭纳入低保后生活稳定，困境已消除")


def seed(*, rng) -> str:
    directors: dict[str, list[tuple[ChildrenDirector, str, str]]] = {}
    for region, township, community, name in DIRECTORS:
        director, _ = ChildrenDirector.objects.get_or_create(
            region_id=region, community=f"{township}{community}", name=name,
            defaults={"phone": f"139{rng.randint(10000000, 99999999)}"})
        directors.setdefault(region, []).append((director, township, community))
    for name, provider, kind, domain, region, capacity in RESOURCES:
        CharityResource.objects.get_or_create(name=name, provider=provider, defaults={
            "provider_type": kind, "domain": domain, "region_id": region, "capacity": capacity,
            "contact": f"0431-8{rng.randint(1000000, 9999999)}", "description": f"{provider}提供的{name}"})
    workers = {u.region_id: u for u in User.objects.filter(username__in=["caseworker", "caseworker_jl"])}
    today, created = date.today(), 0
    for region, plans in (("220102", PLAN), ("220204", PLAN[:4])):
        user = workers.get(region)
        if user is None:
            continue
        for index, (target, risk, categories, days_ago) in enumerate(plans):
            # One generator per case, births from a fixed range: the same children on every run, any day.
            rng = random.Random(f"child-welfare-{region}-{index}")
            birth = date(2011, 6, 1) + timedelta(days=rng.randint(0, 365 * 13))
            number = make_id_number(region, birth, 700 + index, index % 2 == 0)
            if Case.objects.filter(child__id_number=number).exists():
                continue
            director, township, community = directors[region][index % len(directors[region])]
            reported = today - timedelta(days=days_ago)
            case = services.case_report(
                user=user, child_id_number=number, child_name=person_name(rng), region_code=region,
                referral_source=rng.choice(ReferralSource.values), risk_level=risk, risk_reason="报告时综合研判",
                categories=[(c, reported) for c in categories], reported_on=reported,
                guardians=[{"name": person_name(rng), "relationship": "祖母", "situation": "normal"}],
                township=township, village=community, household_situation="父母外出务工，随祖辈生活",
                at_inclusive_kindergarten=index == 2, kindergarten_approved=index == 2)
            services.case_update(user=user, case_id=case.pk, expected_version=case.version, data={"director": director})
            case.refresh_from_db()
            _walk(case, user, target, today, rng)
            created += 1
    escalated = monitoring.escalate_overdue_visits(today=today)  # what the daily beat task does
    return f"{created} 个新困境儿童个案（共 {Case.objects.count()} 个），{escalated} 件逾期督办"
