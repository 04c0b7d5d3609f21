"""Demo 养老服务人才: three institutions of 南关区 and 船营区, a few staff from the applicants registry (carers, social
workers), one 黑名单 entry (published for 公示), and claims waiting for review.

Idempotent: institutions by 统一社会信用代码, staff by (institution, person), the entry by (institution, reason), claims
by (staff, kind); a second run adds nothing."""

from datetime import date

from django.utils import timezone

from apps.accounts.models import User
from apps.applicants.models import Person
from apps.core.demo import make_uscc
from apps.core.exceptions import ApplicationError
from apps.eldercare import services
from apps.eldercare.models import BlacklistEntry, IncentiveClaim, Institution, StaffMember

INSTITUTIONS = [  # name, region, serial, beds, older people served, ownership
    ("南关区福寿养老院", "220102", 8_800_001, 120, 96, Institution.Ownership.PRIVATE),
    ("南关区社会福利中心", "220102", 8_800_002, 300, 260, Institution.Ownership.PUBLIC),
    ("船营区颐康护理院", "220204", 8_800_003, 80, 70, Institution.Ownership.PUBLIC_PRIVATE),
]
# Per institution: (role, full time, social-worker qualification, skill level, college graduate)
STAFF = [
    (StaffMember.Role.CAREGIVER, True, False, "senior", False),
    (StaffMember.Role.SOCIAL_WORKER, True, True, "", True),
    (StaffMember.Role.CAREGIVER, False, False, "junior", False),
]


def seed(*, rng) -> str:
    admin = User.objects.filter(username="admin").first() or User.objects.filter(is_superuser=True).first()
    if admin is None:
        return "没有管理员账号，跳过"
    today = timezone.localdate()
    added = 0
    used: set[int] = set(StaffMember.objects.values_list("person_id", flat=True))
    for name, region, serial, beds, older, ownership in INSTITUTIONS:
        uscc = make_uscc(region, serial, "52")
        institution = Institution.objects.filter(uscc=uscc).first()
        if institution is None:
            institution = services.institution_save(institution=Institution(
                name=name, uscc=uscc, region_id=region, beds=beds, older_people_served=older, ownership=ownership,
                address=f"{name}（演示地址）"), user=admin)
        people = list(Person.objects.filter(region_id=region).exclude(pk__in=used).order_by("id")[:len(STAFF)])
        if institution.staff.exists():
            continue
        for person, (role, full_time, social_worker, level, graduate) in zip(people, STAFF, strict=False):
            services.staff_save(staff=StaffMember(
                institution=institution, person=person, role=role, full_time=full_time,
                social_worker_qualified=social_worker, skill_level=level, college_graduate=graduate,
                start_date=date(today.year - 2, 3, 1)), user=admin)
            used.add(person.pk)
            added += 1
    listed = Institution.objects.filter(uscc=make_uscc("220204", 8_800_003, "52")).first()
    reason = "演示：未按规定落实消防安全管理，侵害老年人合法权益"
    if listed is not None and not BlacklistEntry.objects.filter(institution=listed, reason=reason).exists():
        entry = services.blacklist_add(user=admin, institution=listed, reason=reason,
                                       source="船营区民政局 船民罚决字〔2026〕1号（演示）", listed_on=today.replace(day=1))
        services.blacklist_publish(entry=entry, user=admin)
    for staff in StaffMember.objects.filter(institution__uscc__in=[make_uscc(r, s, "52") for _, r, s, *_ in
                                                                   INSTITUTIONS]).select_related("person"):
        kind = "skill_award" if staff.skill_level else "post_subsidy"
        if IncentiveClaim.objects.filter(staff=staff, kind=kind).exists():
            continue
        try:
            services.claim_submit(staff=staff, user=admin, kind=kind, claim_date=today, months=6)
        except ApplicationError:  # refused by the rules (part-time, 黑名单): nothing to store, as on the page
            continue
    return (f"养老机构 {Institution.objects.count()} 家，养老服务人员 {StaffMember.objects.count()} 人（本次新增 {added}），"
            f"补贴申领 {IncentiveClaim.objects.count()} 条")
