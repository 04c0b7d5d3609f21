import django_filters
from django.db.models import Q

from apps.child_welfare.models import Case, Category


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名 / 身份证号 / 个案编号")
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", label="区划代码")
    category = django_filters.ChoiceFilter(field_name="categories__category", choices=Category.choices,
                                           label="困境类别", distinct=True)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="探访逾期")

    class Meta:
        model = Case
        fields = ["status", "risk_level", "referral_source", "assigned_worker"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.upper().startswith("KJ") and "-" in value:
            tail = value.rsplit("-", 1)[1]
            return queryset.filter(pk=int(tail)) if tail.isdigit() else queryset.none()
        if len(value) == 18:
            return queryset.filter(child__id_number=value.upper())
        return queryset.filter(Q(child__name__contains=value) | Q(child__id_number__endswith=value.upper()))

    def filter_overdue(self, queryset, name, value):
        from datetime import date

        if value is None:
            return queryset
        overdue = Q(next_visit_due__lt=date.today())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
