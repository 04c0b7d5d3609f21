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
        "chart_type": {"labels": [str(labels.get(r["entity_type"], r["entity_type"])) for r in by_type],
                       "values": [r["n"] for r in by_type]},
    }
