import django_filters
from django.db.models import Q

from apps.applicants.models import Person


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名或身份证号")
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", label="区划代码")

    class Meta:
        model = Person
        fields = ["sex", "hukou_type"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18:
            return queryset.filter(id_number=value.upper())
        return queryset.filter(Q(name__startswith=value) | Q(id_number__endswith=value.upper()))
