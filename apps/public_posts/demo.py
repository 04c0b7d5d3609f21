"""Demo 公益性岗位: three posts of 南关区 and 船营区, the region's 就业困难 people placed on them (one of them
already left), and last month's subsidy run of 南关区, computed and waiting for review.

Idempotent: posts by name, placements by (post, person), the run by (region, month); a second run adds nothing."""

from datetime import date, timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.applicants.models import Person, StatusTag
from apps.core.exceptions import ApplicationError
from apps.core.models import Region
from apps.employers.models import Employer
from apps.public_posts import services
from apps.public_posts.models import Placement, PublicPost, SubsidyRun

POSTS = [  # name, type, region, places, employer name when no registered employer is used
    ("乡村快递收发点收发员", PublicPost.PostType.RURAL_LOGISTICS, "220102", 3, None),
    ("社区保洁绿化员", PublicPost.PostType.CLEANING_GREENING, "220102", 2, "南关区永吉街道办事处"),
    ("居家养老服务助理", PublicPost.PostType.ELDERLY_CARE, "220204", 2, "船营区民政局"),
]


def _difficulty_people(region: str, day: date) -> list[Person]:
    tagged = StatusTag.objects.filter(tag=StatusTag.Tag.EMPLOYMENT_DIFFICULTY, since__lte=day,
                                      person__region__code__startswith=region).exclude(until__lt=day)
    return list(Person.objects.filter(pk__in=tagged.values("person_id")).order_by("id")[:6])


def seed(*, rng) -> str:
    admin = User.objects.filter(username="admin").first() or User.objects.filter(is_superuser=True).first()
    if admin is None:
        return "没有管理员账号，跳过"
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=100)).replace(day=1)  # the first of a month some months back
    placed = 0
    for name, post_type, region, places, employer_name in POSTS:
        post = PublicPost.objects.filter(name=name).first()
        if post is None:
            employer = None if employer_name else Employer.objects.filter(region_id=region).order_by("id").first()
            post = services.post_save(post=PublicPost(
                name=name, post_type=post_type, region_id=region, places=places, start_date=start,
                employer=employer, employer_name=employer_name or ""), user=admin)
        people = _difficulty_people(region, start)
        for person in people[:places]:
            if Placement.objects.filter(person=person).exists():
                continue
            try:
                services.placement_create(post=post, person=person, start_date=start,
                                          agreed_end_date=start.replace(year=start.year + 1) - timedelta(days=1),
                                          user=admin)
            except ApplicationError:  # a person the rules refuse (no tag that day, post full) is left out
                continue
            placed += 1
    leaver = Placement.objects.filter(post__name=POSTS[0][0], status=Placement.Status.ACTIVE).order_by("-id").first()
    if leaver is not None and placed:
        services.placement_exit(placement=leaver, user=admin, exit_date=today.replace(day=1) - timedelta(days=16),
                                reason=Placement.ExitReason.FOUND_JOB, note="演示：已实现市场化就业")
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    nanguan = Region.objects.get(pk="220102")
    run = SubsidyRun.objects.filter(region=nanguan, month=month).first()
    if run is None and Placement.objects.filter(region__code__startswith="220102").exists():
        run = services.run_start(user=admin, region=nanguan, month=month)
        services.run_compute(run_id=run.pk)
    return f"公益性岗位 {PublicPost.objects.count()} 个，安置 {Placement.objects.count()} 人（本次新增 {placed}）"
