"""FilterSets of stored determinations and proactive matches — shared by the pages, the panels and tests.
Selectors run them through apps.core.filters.filter_or_raise: `?person=abc` is a 400, not a 500."""

import django_filters

from apps.eligibility.models import BenefitMatch, Determination


class DeterminationFilter(django_filters.FilterSet):
    calculator = django_filters.CharFilter(field_name="calculator", label="测算项目")
    person = django_filters.NumberFilter(field_name="person_id", label="人员编号")
    employer = django_filters.NumberFilter(field_name="employer_id", label="单位编号")

    class Meta:
        model = Determination
        fields = ["calculator", "person", "employer"]


class BenefitMatchFilter(django_filters.FilterSet):
    """`status` defaults to open (待处理); a value that is no status (e.g. `?status=`) lists every status."""

    status = django_filters.CharFilter(method="filter_status", label="状态")
    calculator = django_filters.CharFilter(field_name="calculator", label="测算项目")

    class Meta:
        model = BenefitMatch
        fields = ["status", "calculator"]

    def __init__(self, data=None, *args, **kwargs):
        if data is None or "status" not in data:
            data = data.copy() if data is not None else {}
            data["status"] = BenefitMatch.Status.OPEN
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value) if value in BenefitMatch.Status.values else queryset
