"""FilterSets shared by the API and the UI."""

import django_filters
from django.db.models import Q

from apps.eldercare.models import (
    SKILL_LEVEL_CHOICES,
    BlacklistEntry,
    IncentiveClaim,
    Institution,
    StaffMember,
)


class InstitutionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="机构名称 / 统一社会信用代码")
    ownership = django_filters.ChoiceFilter(choices=Institution.Ownership.choices, label="性质")
    region = django_filters.CharFilter(method="in_region", label="区划代码")

    class Meta:
        model = Institution
        fields = ["q", "ownership", "region"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(uscc__iexact=value.strip()))

    def in_region(self, queryset, name, value):
        return queryset.filter(region__code__startswith=value) if value.isascii() and value.isdigit() else queryset.none()


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名")
    institution = django_filters.NumberFilter(field_name="institution_id", label="养老机构")
    person = django_filters.NumberFilter(field_name="person_id", label="人员")
    role = django_filters.ChoiceFilter(choices=StaffMember.Role.choices, label="岗位")
    full_time = django_filters.BooleanFilter(label="专职")
    social_worker_qualified = django_filters.BooleanFilter(label="具有社会工作者职业资格")
    skill_level = django_filters.ChoiceFilter(choices=SKILL_LEVEL_CHOICES, label="技能等级")
    current = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label="在职")

    class Meta:
        model = StaffMember
        fields = ["q", "institution", "person", "role", "full_time", "social_worker_qualified", "skill_level",
                  "current"]

    def search(self, queryset, name, value):
        return queryset.filter(person__name__icontains=value)


class BlacklistFilter(django_filters.FilterSet):
    subject = django_filters.ChoiceFilter(choices=BlacklistEntry.Subject.choices, label="列入对象")
    current = django_filters.BooleanFilter(field_name="removed_on", lookup_expr="isnull", label="未移出")
    institution = django_filters.NumberFilter(field_name="institution_id", label="养老机构")
    person = django_filters.NumberFilter(field_name="person_id", label="人员")

    class Meta:
        model = BlacklistEntry
        fields = ["subject", "current", "institution", "person"]


class ClaimFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=IncentiveClaim._meta.get_field("kind").choices, label="补贴类别")
    status = django_filters.ChoiceFilter(choices=IncentiveClaim.Status.choices, label="状态")
    staff = django_filters.NumberFilter(field_name="staff_id", label="养老服务人员")

    class Meta:
        model = IncentiveClaim
        fields = ["kind", "status", "staff"]
