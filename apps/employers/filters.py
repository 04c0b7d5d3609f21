import django_filters
from django.db.models import Q

from apps.employers.models import Employer


class EmployerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="单位名称或统一社会信用代码")
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", label="区划代码")

    class Meta:
        model = Employer
        fields = ["entity_type", "industry", "serious_dishonesty"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18:
            return queryset.filter(uscc=value.upper())
        return queryset.filter(Q(name__contains=value) | Q(uscc__startswith=value.upper()))
