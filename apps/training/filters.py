"""django-filter FilterSets shared by the API and the caseworker UI (run inside the selectors)."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from apps.core.filters import StableOrderingFilter
from apps.training.models import (
    Enrollment,
    EnrollmentStatus,
    FollowUp,
    Occupation,
    Program,
    ShortageReport,
    TargetGroup,
    TrainingWillingness,
)


class OccupationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="名称或代码")

    class Meta:
        model = Occupation
        fields = ["kind", "category", "is_new"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(code__istartswith=value)) if value else queryset


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="项目名称或编号")
    occupation = django_filters.CharFilter(field_name="occupation__code", label="职业代码")

    class Meta:
        model = Program
        fields = ["funding_channel", "dual_certificate", "provider", "target_level"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(code__istartswith=value)) if value else queryset


class EnrollmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名或身份证号")
    status = django_filters.ChoiceFilter(choices=EnrollmentStatus.choices, label="状态")
    target_group = django_filters.ChoiceFilter(choices=TargetGroup.choices, label="人员类别")
    program = django_filters.NumberFilter(field_name="program_id", label="培训项目")
    ordering = StableOrderingFilter(fields=(("id", "id"), ("status", "status")),
                                    field_labels={"id": "登记顺序", "status": "状态"}, label="排序")

    class Meta:
        model = Enrollment
        fields = ["status", "target_group", "program"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18:
            return queryset.filter(person__id_number=value.upper())
        return queryset.filter(Q(person__name__startswith=value) | Q(program__code__istartswith=value))


class FollowUpFilter(django_filters.FilterSet):
    # Any non-empty value asks for the overdue ones (as the API has always read `?overdue=1`).
    overdue = django_filters.CharFilter(method="filter_overdue", label="仅逾期")

    class Meta:
        model = FollowUp
        fields = ["overdue"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(done_on__isnull=True, due_on__lt=timezone.localdate()) if value else queryset


class WillingnessFilter(django_filters.FilterSet):
    """培训意愿登记 (农村劳动力转移就业): the API list and the demand page."""

    q = django_filters.CharFilter(method="search", label="姓名或身份证号")
    occupation = django_filters.CharFilter(field_name="occupation__code", label="意向职业代码")
    target_group = django_filters.ChoiceFilter(choices=TargetGroup.choices, label="人员类别")
    person = django_filters.NumberFilter(field_name="person_id", label="人员")
    registered_from = django_filters.DateFilter(field_name="registered_on", lookup_expr="gte", label="登记日期起")
    registered_to = django_filters.DateFilter(field_name="registered_on", lookup_expr="lte", label="登记日期止")
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", max_length=12,
                                       label="区划代码")

    class Meta:
        model = TrainingWillingness
        fields = ["q", "occupation", "target_group", "person", "registered_from", "registered_to", "region"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18:
            return queryset.filter(person__id_number=value.upper())
        return queryset.filter(person__name__startswith=value)


class ShortageFilter(django_filters.FilterSet):
    """企业缺工登记: the API list and the demand page."""

    q = django_filters.CharFilter(method="search", label="单位名称或统一社会信用代码")
    employer = django_filters.NumberFilter(field_name="employer_id", label="用人单位")
    occupation = django_filters.CharFilter(field_name="occupation__code", label="缺工职业代码")
    reported_from = django_filters.DateFilter(field_name="reported_on", lookup_expr="gte", label="登记日期起")
    reported_to = django_filters.DateFilter(field_name="reported_on", lookup_expr="lte", label="登记日期止")
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", max_length=12,
                                       label="区划代码")

    class Meta:
        model = ShortageReport
        fields = ["q", "employer", "occupation", "reported_from", "reported_to", "region"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18:
            return queryset.filter(employer__uscc=value.upper())
        return queryset.filter(employer__name__contains=value)
