"""The case list's FilterSet, shared by the API and the caseworker UI (run in the selector with filter_or_raise)."""

import django_filters
from django.db.models import Q

from apps.core.filters import StableOrderingFilter
from apps.core.validators import normalize_id_number
from apps.fraud.models import FraudCase


class FraudCaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名、身份证号或医疗机构")
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", label="区划代码")
    status = django_filters.ChoiceFilter(choices=FraudCase.Status.choices, label="状态")
    kind = django_filters.ChoiceFilter(choices=FraudCase.Kind.choices, label="案件类型")
    reported_from = django_filters.DateFilter(field_name="reported_on", lookup_expr="gte", label="发现日期起")
    reported_to = django_filters.DateFilter(field_name="reported_on", lookup_expr="lte", label="发现日期止")
    ordering = StableOrderingFilter(fields=(("reported_on", "reported_on"), ("amount_billed", "amount_billed")),
                                    field_labels={"reported_on": "线索发现日期", "amount_billed": "医保基金已支付金额"},
                                    label="排序")

    class Meta:
        model = FraudCase
        fields = ["q", "region", "status", "kind", "reported_from", "reported_to", "ordering"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18:
            return queryset.filter(person__id_number=normalize_id_number(value))
        return queryset.filter(Q(person__name__icontains=value) | Q(hospital__icontains=value))
