import django_filters
from django.db.models import Q

from apps.core.filters import StableOrderingFilter
from apps.refunds.models import REASON_CODES, REASON_LABELS, SIZE_LABELS, RefundResult, RefundRun


class RefundRunFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="year", label="返还年度")
    status = django_filters.ChoiceFilter(choices=RefundRun.Status.choices, label="状态")
    ordering = StableOrderingFilter(fields=(("id", "id"), ("year", "year")),
                                    field_labels={"id": "批次编号", "year": "返还年度"}, label="排序")

    class Meta:
        model = RefundRun
        fields = ["year", "status"]


class RefundResultFilter(django_filters.FilterSet):
    """Shared by the API and the runs page: decision, reason, size class, region, amount range, name/USCC."""

    decision = django_filters.ChoiceFilter(choices=[("eligible", "符合条件"), ("ineligible", "不符合条件")],
                                           method="filter_decision", label="认定结果")
    reason = django_filters.ChoiceFilter(choices=[(code, REASON_LABELS[code]) for code in REASON_CODES],
                                         method="filter_reason", label="不符合原因")
    size_class = django_filters.ChoiceFilter(choices=list(SIZE_LABELS.items()), label="企业划型")
    region = django_filters.CharFilter(field_name="region_code", lookup_expr="startswith", label="区划代码")
    amount_min = django_filters.NumberFilter(field_name="amount", lookup_expr="gte", label="金额不低于")
    amount_max = django_filters.NumberFilter(field_name="amount", lookup_expr="lte", label="金额不高于")
    q = django_filters.CharFilter(method="search", label="单位名称或统一社会信用代码")
    # UNIQUE(run, employer): no ties to break, so a plain OrderingFilter (the index serves both directions).
    ordering = django_filters.OrderingFilter(fields=(("employer", "employer"),), field_labels={"employer": "单位编号"},
                                             label="排序")

    class Meta:
        model = RefundResult
        fields = ["decision", "reason", "size_class", "region", "amount_min", "amount_max", "q"]

    def filter_decision(self, queryset, name, value):
        return queryset.filter(eligible=value == "eligible")

    def filter_reason(self, queryset, name, value):
        # Codes are ';'-separated; no code is a prefix of another, so a containment test is exact.
        return queryset.filter(reasons__contains=value)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(employer__name__contains=value) | Q(employer__uscc__startswith=value.upper()))
