import django_filters
from django.db.models import Q

from apps.core.filters import StableOrderingFilter
from apps.employers.models import Contribution, Employer


class EmployerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="单位名称或统一社会信用代码")
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", label="区划代码")
    ordering = StableOrderingFilter(
        fields=(("name", "name"), ("employees", "employees"), ("created_at", "created_at"), ("id", "id")),
        field_labels={"name": "单位名称", "employees": "从业人员", "created_at": "登记时间", "id": "编号"},
        label="排序",
    )

    class Meta:
        model = Employer
        fields = ["entity_type", "industry", "serious_dishonesty"]

    def search(self, queryset, name, value):
        """Name prefix or USCC prefix: both served by b-tree indexes (pattern ops on PostgreSQL)."""
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18:
            return queryset.filter(uscc=value.upper())
        return queryset.filter(Q(name__startswith=value) | Q(uscc__startswith=value.upper()))


class ContributionFilter(django_filters.FilterSet):
    uscc = django_filters.CharFilter(field_name="employer__uscc", label="统一社会信用代码")
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte", label="所属期起")
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte", label="所属期止")
    ordering = StableOrderingFilter(fields=(("period", "period"), ("employer", "employer")), label="排序")

    class Meta:
        model = Contribution
        fields = ["employer"]
