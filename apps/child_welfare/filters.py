"""FilterSets of every list of this app, shared by the API and the caseworker UI. The selectors run them
through apps.core.filters.filter_or_raise: a value that does not parse (`?case=abc`) is a 400, never a 500."""

from datetime import date

import django_filters
from django import forms
from django.db.models import Q

from apps.child_welfare.models import Assessment, Case, Category, Domain, PlanItem, Referral, Visit
from apps.core.filters import StableOrderingFilter


class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number. Not a ModelChoiceFilter, whose "no such choice" would tell a caller that an
    id they may not see does not exist (an existence oracle); an id out of reach simply matches nothing."""

    field_class = forms.IntegerField


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名 / 身份证号 / 个案编号")
    # A narrowing the user types (a code or its first digits), applied after the selector's scoping: not an
    # access rule, which is apps.core.scoping alone.
    region = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith", label="区划代码")
    category = django_filters.ChoiceFilter(field_name="categories__category", choices=Category.choices,
                                           label="困境类别", distinct=True)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="探访逾期")
    ordering = StableOrderingFilter(fields=(("reported_on", "reported_on"), ("id", "id")),
                                    field_labels={"reported_on": "报告日期", "id": "个案编号"}, label="排序")

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
        if value is None:
            return queryset
        overdue = Q(next_visit_due__lt=date.today())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class AssessmentFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id", label="个案")

    class Meta:
        model = Assessment
        fields = ["case"]


class PlanItemFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id", label="个案")

    class Meta:
        model = PlanItem
        fields = ["case", "domain", "status"]


class VisitFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id", label="个案")

    class Meta:
        model = Visit
        fields = ["case", "child_seen"]


class ReferralFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id", label="个案")

    class Meta:
        model = Referral
        fields = ["case", "target_type", "status"]


class NeedFilter(django_filters.FilterSet):
    """The matching page: open cases with an assessed need in one domain (the rows are narrowed to it too)."""

    domain = django_filters.ChoiceFilter(field_name="assessments__domains__domain", choices=Domain.choices,
                                         label="服务领域", distinct=True)

    class Meta:
        model = Case
        fields = ["domain"]
