"""Figures for the home dashboard, scoped to the user's region."""

from django.db.models import Count

from apps.applicants.models import Person
from apps.core.scoping import scope_queryset
from apps.employers.models import Employer


def summary(*, user) -> dict:
    people = scope_queryset(Person.objects.all(), user)
    employers = scope_queryset(Employer.objects.all(), user)
    # Break down one level below the viewer: a province user by prefecture, everyone else by county.
    region = getattr(user, "region", None)
    group = "region__parent__name" if (user.is_superuser or region is None or region.level == "province") \
        else "region__name"
    by_region = list(employers.values(group).annotate(n=Count("id")).order_by("-n")[:12])
    by_type = list(employers.values("entity_type").annotate(n=Count("id")).order_by("-n"))
    labels = dict(Employer.EntityType.choices)
    return {
        "stats": [
            {"label": "登记人员", "value": people.count(), "icon": "people"},
            {"label": "用人单位", "value": employers.count(), "icon": "building"},
            {"label": "严重失信单位", "value": employers.filter(serious_dishonesty=True).count(),
             "icon": "exclamation-octagon"},
        ],
        "chart_region": {"labels": [r[group] or "—" for r in by_region],
                         "values": [r["n"] for r in by_region]},
        "tiles": domain_tiles(user=user),
        "chart_type": {"labels": [str(labels.get(r["entity_type"], r["entity_type"])) for r in by_type],
                       "values": [r["n"] for r in by_type]},
    }


def domain_tiles(*, user) -> list[dict]:
    """One tile per domain: the figure a caseworker acts on today, from that app's own selectors.

    The home page is the one place that composes every domain, so the imports are here and local.
    """
    from django.urls import reverse
    from django.utils import timezone

    from apps.child_welfare.selectors import open_escalations, overdue_visits
    from apps.childcare.selectors import institution_list
    from apps.eligibility.selectors import benefit_match_list
    from apps.training.models import EnrollmentStatus
    from apps.training.selectors import status_counts

    today = timezone.localdate()
    training = status_counts(user=user)
    in_training = training.get(EnrollmentStatus.IN_TRAINING, 0)
    return [
        {"label": "待处理主动发现", "value": benefit_match_list(user=user).count(), "icon": "search-heart",
         "hint": "符合条件但尚未享受待遇的人员", "url": reverse("eligibility:match-list")},
        {"label": "培训中学员", "value": in_training, "icon": "mortarboard",
         "hint": f"全部学员 {sum(training.values())} 人", "url": reverse("training:dashboard")},
        {"label": "在营托育机构", "value": institution_list(user=user).filter(status="operating").count(),
         "icon": "balloon-heart", "hint": "含普惠与非普惠", "url": reverse("childcare:dashboard")},
        {"label": "困境儿童逾期走访", "value": overdue_visits(user=user, today=today).count(),
         "icon": "exclamation-triangle", "hint": f"已升级督办 {open_escalations(user=user).count()} 件",
         "url": reverse("child_welfare:dashboard"), "alert": True},
    ]
