import re

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.applicants.models import DuplicateCandidate, Person, StatusTag
from apps.core.filters import StableOrderingFilter

MASKED_ID = re.compile(r"^(\d{0,6})\*+(\d{3}[\dX])$")
LAST4 = re.compile(r"^\d{3}[\dX]$")


def person_search(queryset, value: str):
    """Every branch is one indexed lookup: full ID (unique), masked ID (prefix + stored last four),
    last four (id_last4), name prefix (pattern-ops index)."""
    value = value.strip().upper()
    if not value:
        return queryset
    if len(value) == 18 and "*" not in value:
        return queryset.filter(id_number=value)
    masked = MASKED_ID.match(value)
    if masked:
        prefix, last4 = masked.groups()
        return queryset.filter(id_last4=last4, id_number__startswith=prefix)
    if LAST4.match(value):
        return queryset.filter(Q(id_last4=value) | Q(name__startswith=value))
    return queryset.filter(name__startswith=value)


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名、身份证号或后四位")
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", label="区划代码")
    tag = django_filters.ChoiceFilter(choices=StatusTag.Tag.choices, method="filter_tag", label="身份类别（当前有效）")
    ordering = StableOrderingFilter(
        fields=(("name", "name"), ("birth_date", "birth_date"), ("created_at", "created_at"), ("id", "id")),
        field_labels={"name": "姓名", "birth_date": "出生日期", "created_at": "登记时间", "id": "编号"},
        label="排序",
    )

    class Meta:
        model = Person
        fields = ["sex", "hukou_type"]

    def search(self, queryset, name, value):
        return person_search(queryset, value)

    def filter_tag(self, queryset, name, value):
        today = timezone.localdate()
        current = StatusTag.objects.filter(person=OuterRef("pk"), tag=value, since__lte=today).filter(
            Q(until__isnull=True) | Q(until__gte=today))
        return queryset.filter(Exists(current))


class DuplicateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DuplicateCandidate.Status.choices, label="状态")

    class Meta:
        model = DuplicateCandidate
        fields = ["status"]
