"""Demo childcare institutions in Jilin, with staff, inspections, children, attendance and 2025 claims.

Idempotent: institutions are keyed by USCC, children by ID number; enrollments, staff and inspections are
only added to an institution that has none; claims are computed only where none exists.
"""

from datetime import date, timedelta

from apps.accounts.models import User
from apps.applicants.models import Person
from apps.childcare.models import Enrollment, Finding, Inspection, Institution, StaffMember
from apps.childcare.services import claims as claim_services
from apps.childcare.services import enrollments as enrollment_services
from apps.childcare.services import institutions as services
from apps.core.demo import make_id_number, make_uscc, person_name
from apps.core.models import Region

C = Institution.Category
# name, region, category, certified (from, to|None) or None, places (infant, toddler, preschool), pilots
INSTITUTIONS = [
    ("长春市南关区春苗托育中心", "220102", C.PRIVATE_INCLUSIVE, (date(2024, 3, 1), None), (10, 20, 30), {"community_embedded"}),
    ("南关区妇幼保健院附属托育园", "220102", C.PUBLIC_PARTIAL_FUNDED, (date(2023, 9, 1), None), (5, 15, 20),
     {"medical_integrated"}),
    ("南关区自由大路社区嵌入式托育点", "220102", C.PUBLIC_SELF_FINANCED, (date(2025, 4, 1), None), (0, 10, 15),
     {"community_embedded"}),
    ("长春市朝阳区小橡树托育园", "220104", C.PRIVATE_INCLUSIVE, (date(2025, 7, 1), None), (8, 16, 24), set()),
    ("宽城区贝乐家庭托育点", "220103", C.OTHER, None, (0, 4, 6), {"home_based"}),
    ("绿园区启航托育中心", "220106", C.PRIVATE_INCLUSIVE, (date(2024, 1, 1), date(2025, 6, 30)), (6, 18, 24), set()),
    ("九台区机关托育园", "220113", C.PUBLIC_PARTIAL_FUNDED, (date(2024, 6, 1), None), (0, 12, 18), set()),
    ("德惠市童心托育中心", "220183", C.PRIVATE_INCLUSIVE, (date(2024, 1, 1), None), (6, 12, 18), set()),
    ("吉林市船营区松江托育园", "220204", C.PUBLIC_SELF_FINANCED, (date(2024, 5, 1), None), (8, 16, 20),
     {"community_embedded"}),
    ("吉林市昌邑区爱贝托育中心", "220202", C.PRIVATE_INCLUSIVE, (date(2025, 1, 1), None), (6, 14, 20), set()),
    ("四平市铁西区阳光托育园", "220302", C.PRIVATE_INCLUSIVE, (date(2024, 9, 1), None), (4, 12, 16), set()),
    ("延吉市金达莱托育中心", "222401", C.PUBLIC_PARTIAL_FUNDED, (date(2024, 1, 1), None), (6, 12, 18),
     {"medical_integrated"}),
]
# Resident population (2020 census, rounded), so 托位 per 1000 population shows; only filled where empty.
POPULATION = {"220100": 9_066_906, "220200": 3_623_713, "220300": 1_814_733, "222400": 1_941_700,
              "220102": 693_000, "220103": 548_000, "220104": 780_000, "220106": 800_000, "220113": 580_000,
              "220183": 700_000, "220204": 460_000, "220202": 600_000}
TODAY = date(2026, 11, 1)


def _child(rng, region: str, serial: int) -> Person:
    birth = date(2023, 1, 1) + timedelta(days=rng.randint(0, 900))
    female = rng.random() < 0.5
    number = make_id_number(region, birth, 700 + serial, female)
    person, _ = Person.objects.get_or_create(id_number=number, defaults={
        "name": person_name(rng), "birth_date": birth, "sex": "F" if female else "M", "birthplace_code": number[:6],
        "region_id": region, "hukou_region_id": region})
    return person


def _fill(institution: Institution, rng, index: int) -> int:
    posts = [("director", "teacher"), ("caregiver", "childcare_worker"), ("caregiver", "infant_carer"),
             ("caregiver", "childcare_worker"), ("health", "health_care"), ("cook", "none")]
    for post, qualification in posts:
        services.staff_member_save(staff=StaffMember(institution=institution, name=person_name(rng), post=post,
                                                     qualification=qualification, hired_on=date(2024, 3, 1)))
    inspection = services.inspection_save(inspection=Inspection(
        institution=institution, kind=rng.choice(["food", "fire", "health"]), visited_on=date(2025, 10, 15),
        inspector="区卫生健康局综合监督科", notes="例行检查"))
    if index == 5:  # one institution with an open serious finding, so the flag shows in the demo
        services.finding_save(finding=Finding(inspection=inspection, severity="serious",
                                              description="消防通道堆放杂物，灭火器过期",
                                              rectification_deadline=date(2025, 11, 15)))
    elif index % 3 == 0:
        services.finding_save(finding=Finding(inspection=inspection, severity="minor", description="晨检记录不完整",
                                              rectification_deadline=date(2025, 11, 1), status="rectified",
                                              rectified_on=date(2025, 10, 28), follow_up="已补齐晨检记录"))
    count = int(institution.total_places * rng.uniform(0.5, 0.9))
    for serial in range(count):
        child = _child(rng, institution.region_id, index * 100 + serial)
        if Enrollment.objects.filter(child=child).exists():
            continue
        start = max(child.birth_date + timedelta(days=200), date(2024, 9, 1)) + timedelta(days=rng.randint(0, 200))
        end = start + timedelta(days=rng.randint(120, 500)) if rng.random() < 0.3 else None
        enrollment = enrollment_services.enrollment_save(enrollment=Enrollment(
            child=child, institution=institution, start_date=start, end_date=end if end and end < TODAY else None,
            age_group=rng.choice(["infant", "toddler", "preschool"])))
        if rng.random() < 0.5:
            parent_birth = date(1990, 1, 1) + timedelta(days=rng.randint(0, 2500))
            enrollment_services.guardian_add(enrollment=enrollment, guardian=enrollment_services.GuardianInput(
                id_number=make_id_number(institution.region_id, parent_birth, 900 + index * 100 + serial, True),
                name=person_name(rng), relationship="mother", phone=f"13{rng.randint(100000000, 999999999)}"))
    return count


def seed(*, rng) -> str:
    for code, population in POPULATION.items():
        Region.objects.filter(code=code, population__isnull=True).update(population=population)
    created = 0
    for index, (name, region, category, certified, places, pilots) in enumerate(INSTITUTIONS):
        uscc = make_uscc(region, 5_000_000 + index, "52" if category != C.OTHER else "92")
        institution = Institution.objects.filter(uscc=uscc).first()
        if institution is None:
            institution = services.institution_save(institution=Institution(
                name=name, uscc=uscc, category=category, region_id=region, address=f"{name[:6]}××路{10 + index}号",
                contact_person=person_name(rng), phone=f"0431-8{rng.randint(1000000, 9999999)}",
                licence_number=f"吉托备{region}{index:04d}", licence_date=date(2023, 6, 1),
                inclusive_certificate_number=f"吉普惠托〔{certified[0].year}〕{index + 1}号" if certified else "",
                inclusive_certified_from=certified[0] if certified else None,
                inclusive_certified_to=certified[1] if certified else None,
                places_infant=places[0], places_toddler=places[1], places_preschool=places[2],
                **dict.fromkeys(pilots, True)))
            created += 1
        if not institution.enrollments.exists():
            _fill(institution, rng, index)
    created += _expiring_certification(rng)
    claims = _claims()
    return f"{created} 家新托育机构（共 {Institution.objects.count()} 家），{claims} 份新补助申报"


def _expiring_certification(rng) -> int:
    """A 普惠民办 home-based point of 南关区 whose certification runs out 30 days after seeding (the 待办 list's
    example of an expiring certification); no children yet. Created once."""
    uscc = make_uscc("220102", 5_000_100, "52")
    if Institution.objects.filter(uscc=uscc).exists():
        return 0
    services.institution_save(institution=Institution(
        name="南关区幸福里普惠托育点", uscc=uscc, category=C.PRIVATE_INCLUSIVE, region_id="220102",
        address="南关区幸福里××路8号", contact_person=person_name(rng), phone=f"0431-8{rng.randint(1000000, 9999999)}",
        licence_number="吉托备2201020100", licence_date=date(2024, 6, 1),
        inclusive_certificate_number="吉普惠托〔2024〕21号", inclusive_certified_from=date(2024, 7, 1),
        inclusive_certified_to=date.today() + timedelta(days=30), places_toddler=6, places_preschool=6, home_based=True))
    return 1


def _claims() -> int:
    users = {u.username: u for u in User.objects.filter(username__in=["caseworker", "supervisor", "admin"])}
    if len(users) < 3:
        return 0
    new = 0
    for institution in Institution.objects.exclude(claims__year=2025):
        claim = claim_services.claim_compute(institution=institution, year=2025, user=users["admin"])
        new += 1
        if institution.region_id == "220102":
            claim = claim_services.claim_submit(claim=claim, user=users["caseworker"])
            if institution.category == C.PRIVATE_INCLUSIVE:
                # 初审 and 公示 a month ago (the window has passed), 复核 by a second reviewer today.
                claim = claim_services.claim_publish(claim=claim, user=users["admin"], comment="初审通过",
                                                     today=date.today() - timedelta(days=30))
                claim_services.claim_approve(claim=claim, user=users["supervisor"], comment="材料齐全，同意拨付")
    return new
