"""FilterSets shared by the API and the caseworker UI (run inside the selectors with filter_or_raise)."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q

from apps.childcare.models import AgeGroup, Attendance, Enrollment, Institution, OperatingSubsidyClaim
from apps.core.filters import StableOrderingFilter


class IntegerFilter(django_filters.NumberFilter):
    """Ids and years are whole numbers: `?year=2025.5` is refused like `?year=abc`, not passed on as a decimal."""

    field_class = forms.IntegerField


class InstitutionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="机构名称或统一社会信用代码")
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", label="区划代码")
    category = django_filters.ChoiceFilter(choices=Institution.Category.choices, label="机构类别")
    status = django_filters.ChoiceFilter(choices=Institution.Status.choices, label="运营状态")
    serious_finding = django_filters.BooleanFilter(field_name="has_open_serious_finding", label="存在未整改严重问题")
    ordering = StableOrderingFilter(fields=(("name", "name"), ("id", "id")),
                                    field_labels={"name": "机构名称", "id": "登记顺序"}, label="排序")
    pilot = django_filters.ChoiceFilter(method="pilot_filter", label="试点", choices=[
        ("community_embedded", "社区嵌入式托育"), ("home_based", "家庭托育点"), ("medical_integrated", "医育结合")])

    class Meta:
        model = Institution
        fields = ["q", "region", "category", "status", "serious_finding", "pilot", "ordering"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc=value.upper()))

    def pilot_filter(self, queryset, name, value):
        return queryset.filter(**{value: True}) if value else queryset


class EnrollmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名或身份证号")
    institution = IntegerFilter(field_name="institution_id", label="机构编号")
    uscc = django_filters.CharFilter(field_name="institution__uscc", label="机构统一社会信用代码")
    region = django_filters.CharFilter(field_name="institution__region__code", lookup_expr="startswith",
                                       label="区划代码")
    age_group = django_filters.ChoiceFilter(choices=AgeGroup.choices, label="班级")
    active_on = django_filters.DateFilter(method="active_filter", label="某日在托")

    class Meta:
        model = Enrollment
        fields = ["q", "institution", "uscc", "region", "age_group", "active_on"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18:
            return queryset.filter(child__id_number=value.upper())
        return queryset.filter(Q(child__name__startswith=value) | Q(child__id_number__endswith=value.upper()))

    def active_filter(self, queryset, name, value):
        return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=value), start_date__lte=value)


class AttendanceFilter(django_filters.FilterSet):
    institution = IntegerFilter(field_name="enrollment__institution_id", label="机构编号")
    enrollment = IntegerFilter(field_name="enrollment_id", label="入托记录编号")
    month = django_filters.CharFilter(method="month_filter", label="月份（YYYY-MM）",
                                      validators=[RegexValidator(r"^\d{4}-\d{1,2}$", "格式应为 YYYY-MM，例如 2025-03")])
    year = IntegerFilter(field_name="month__year", label="年度")

    class Meta:
        model = Attendance
        fields = ["institution", "enrollment", "month", "year"]

    def month_filter(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))  # the validator has checked the shape
        return queryset.filter(month__year=year, month__month=month)


class ClaimFilter(django_filters.FilterSet):
    year = IntegerFilter(field_name="year", label="年度")
    status = django_filters.ChoiceFilter(choices=OperatingSubsidyClaim.Status.choices, label="状态")
    institution = IntegerFilter(field_name="institution_id", label="机构编号")
    ordering = StableOrderingFilter(fields=(("year", "year"), ("amount", "amount")),
                                    field_labels={"year": "年度", "amount": "补助金额"}, label="排序")
    region = django_filters.CharFilter(field_name="institution__region__code", lookup_expr="startswith",
                                       label="区划代码")
    category = django_filters.ChoiceFilter(field_name="institution__category", choices=Institution.Category.choices,
                                           label="机构类别")

    class Meta:
        model = OperatingSubsidyClaim
        fields = ["year", "status", "institution", "region", "category", "ordering"]
