"""Demo training data: providers, programs against shortages, trainees walked through the lifecycle.

Idempotent: providers and programs are keyed by USCC/code, and trainees are only added to a
program that has none yet, so a second run changes nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

from apps.accounts.models import User
from apps.applicants.models import Person
from apps.core.demo import make_uscc
from apps.employers.models import Employer
from apps.training import services
from apps.training.catalogue import load_occupations
from apps.training.models import (
    Enrollment,
    Occupation,
    Program,
    Provider,
    ShortageReport,
    TargetGroup,
)

PROVIDERS = [  # name, type, region, serial
    ("长春市南关区家政职业培训学校", "training_institution", "220102", 8_100_001),
    ("吉林省技师学院", "technical_school", "220104", 8_100_002),
    ("吉林市船营区妇联巾帼家政培训基地", "womens_federation", "220204", 8_100_003),
]
PROGRAMS = [  # code, name, provider index, occupation code, level, channel, dual, subsidy key, start, groups
    ("JZ-2026-01", "家政服务员（母婴护理）初级班", 0, "DOM-01", "junior", "subsidised", False, "domestic_service",
     date(2026, 3, 2), ["migrant_worker", "women_returning"]),
    ("YL-2026-01", "养老护理员初级班", 0, "ELD-01", "junior", "subsidised", False, "elderly_care",
     date(2026, 4, 6), ["unemployed", "employment_difficulty"]),
    ("DG-2026-01", "电工“一培双证”班", 1, "ELE-01", "intermediate", "subsidised", True, "low_voltage_electrician",
     date(2026, 5, 11), ["migrant_worker", "unemployed_graduate"]),
    ("JZ-2026-JL1", "巾帼家政提质扩容班", 2, "DOM-01", "junior", "womens_federation", False, "domestic_service",
     date(2026, 6, 1), ["women_returning"]),
]
# How far each demo trainee gets: the happy path prefix, or a dropout.
ROUTES = ["paid", "paid", "approved", "publicizing", "claimed", "verified", "assessed", "completed", "in_training", "enrolled",
          "registered", "dropped"]


def _route(enrollment, route: str, user, reviewer, cert_serial: int, rng, first_reviewer=None) -> None:
    """`user` registers and claims; `first_reviewer` makes the 初审 and publishes (a month ago for a claim that goes
    on, so its window has passed; today for one left 公示中); `reviewer` makes the 复核 and pays (four eyes:
    apps.core.review)."""

    def go(action, **payload):
        actor = reviewer if action in ("approve", "pay") else first_reviewer if action == "publish" else user
        services.enrollment_transition(enrollment=enrollment, action=action, user=actor, payload=payload)

    if route == "registered":
        return
    if route == "dropped":
        go("drop_out")
        return
    go("enroll")
    if route == "enrolled":
        return
    go("start")
    if route == "in_training":
        return
    program = enrollment.program
    go("complete", completed_on=program.end_date)
    if route == "completed":
        return
    go("assess", kind="skill_level", level=program.target_level, number=f"S{cert_serial:010d}",
       issued_on=program.end_date + timedelta(days=10), issuer="吉林省职业技能鉴定中心")
    if route == "assessed":
        return
    go("verify_employment", employment_evidence=rng.choice(["labour_contract", "service_agreement", "wage_statement"]),
       employer_name="长春市家政服务有限公司", employment_start=program.end_date + timedelta(days=15),
       monthly_wage=Decimal(rng.randrange(3200, 5200, 100)))
    if route == "verified":
        return
    go("claim_subsidy")
    if route == "claimed" or first_reviewer is None:
        return
    go("publish", today=date.today() if route == "publicizing" else date.today() - timedelta(days=30))
    if route == "publicizing":
        return
    go("approve")
    if route == "approved":
        return
    go("pay")


def seed(*, rng) -> str:
    if not Occupation.objects.exists():
        load_occupations(Occupation)
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return "跳过（缺少演示管理员）"
    # The claim is the city caseworker's, the 初审 the supervisor's, the 复核 the administrator's: the maker may
    # not check, the first reviewer may not make the second review.
    caseworkers = {(user.region_id or "")[:4]: user for user in User.objects.filter(
        username__in=["caseworker", "caseworker_jl"])}
    supervisors = list(User.objects.filter(username__in=["supervisor", "supervisor_jl"]).order_by("-region_id"))
    providers = []
    for index, (name, kind, region, serial) in enumerate(PROVIDERS):
        # The first school's accreditation runs out 45 days after seeding: an example for the 待办 list.
        until = date.today() + timedelta(days=45) if index == 0 else date(2028, 12, 31)
        provider, _ = Provider.objects.get_or_create(uscc=make_uscc(region, serial, "52"), defaults={
            "name": name, "provider_type": kind, "region_id": region, "accreditation_number": f"吉人社培{serial}",
            "accredited_until": until})
        providers.append(provider)
    occupations = {o.code: o for o in Occupation.objects.all()}
    new_enrollments = 0
    for code, name, provider_index, occupation, level, channel, dual, key, start, groups in PROGRAMS:
        provider = providers[provider_index]
        occ = occupations[occupation]
        program = Program.objects.filter(code=code).first()
        if program is None:
            program = services.program_save(program=Program(
                code=code, name=name, provider=provider, occupation=occ, target_level=level, funding_channel=channel,
                dual_certificate=dual, second_certificate_name=occ.licence_name if dual else "",
                second_certificate_issuer=occ.licence_issuer if dual else "", capacity=30, start_date=start,
                end_date=start + timedelta(days=45), target_groups=groups, subsidy_key=key,
                region_id=provider.region_id), user=admin)
            employer = Employer.objects.filter(region__code__startswith=provider.region_id[:4]).order_by("id").first()
            if employer is not None:
                shortage = services.shortage_report_create(report=ShortageReport(
                    employer=employer, occupation=occ, count=rng.randint(20, 45),
                    wage_min=Decimal("3200.00"), wage_max=Decimal("5000.00"), reported_on=start - timedelta(days=40)), user=admin)
                program.shortages.add(shortage)
        if program.enrollments.exists():
            continue
        people = list(Person.objects.filter(region__code__startswith=program.region_id[:4],
                                            birth_date__lte=date(2006, 1, 1)).order_by("id")[:len(ROUTES)])
        for index, (person, route) in enumerate(zip(people, ROUTES, strict=False)):
            if Enrollment.objects.filter(person=person, program=program).exists():
                continue
            enrollment = services.enrollment_register(person=person, program=program, user=admin,
                                                      target_group=rng.choice(groups or TargetGroup.values))
            maker = caseworkers.get(program.region_id[:4], admin)
            # the supervisor of the programme's city, else the province's
            first_reviewer = next((sup for sup in supervisors if program.region_id.startswith(
                (sup.region_id or "").rstrip("0") or "22")), None)
            _route(enrollment, route, maker, admin, program.pk * 1000 + index, rng,
                   first_reviewer=first_reviewer if maker != admin else None)
            new_enrollments += 1
    services.worklist_refresh()
    return f"{Program.objects.count()} 个培训项目，新增 {new_enrollments} 名学员"
