"""FilterSets shared by the API and the caseworker UI (run in the selectors with filter_or_raise)."""

import django_filters
from django.db.models import Q

from apps.core.filters import StableOrderingFilter
from apps.core.validators import normalize_id_number
from apps.startup_loans.models import LoanApplication, SubsidyClaim


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名、身份证号、贷款编号或经营主体")
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", label="区划代码")
    status = django_filters.ChoiceFilter(choices=LoanApplication.Status.choices, label="状态")
    eligible = django_filters.BooleanFilter(label="符合条件")
    applied_from = django_filters.DateFilter(field_name="application_date", lookup_expr="gte", label="申请日期起")
    applied_to = django_filters.DateFilter(field_name="application_date", lookup_expr="lte", label="申请日期止")
    ordering = StableOrderingFilter(
        fields=(("application_date", "application_date"), ("amount_requested", "amount_requested")),
        field_labels={"application_date": "申请日期", "amount_requested": "申请贷款金额"}, label="排序")

    class Meta:
        model = LoanApplication
        fields = ["q", "region", "status", "eligible", "applied_from", "applied_to", "ordering"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18 and not value.upper().startswith("CDB"):
            return queryset.filter(person__id_number=normalize_id_number(value))
        return queryset.filter(Q(person__name__icontains=value) | Q(reference__iexact=value)
                               | Q(business_name__icontains=value))


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SubsidyClaim.Status.choices, label="状态")
    application = django_filters.NumberFilter(field_name="application_id", label="贷款")

    class Meta:
        model = SubsidyClaim
        fields = ["status", "application"]
