"""django-filter FilterSets shared by the API and the caseworker UI (run inside the selectors)."""

import django_filters
from django.db.models import Q

from apps.gig.models import Availability, Broker, Placement, Posting, Trade


class PostingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="岗位名称或地址")
    status = django_filters.ChoiceFilter(choices=Posting.Status.choices, label="状态")
    trade = django_filters.ChoiceFilter(choices=Trade.choices, label="工种")
    broker = django_filters.NumberFilter(field_name="broker_id", label="发布经纪人")
    employer = django_filters.NumberFilter(field_name="employer_id", label="用工单位")

    class Meta:
        model = Posting
        fields = ["status", "trade", "broker", "employer"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__contains=value) | Q(address__contains=value)) if value else queryset


class AvailabilityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名或身份证号")
    status = django_filters.ChoiceFilter(choices=Availability.Status.choices, label="状态")
    trade = django_filters.ChoiceFilter(field_name="trades__trade", choices=Trade.choices, label="工种",
                                        distinct=True)

    class Meta:
        model = Availability
        fields = ["status", "trade"]

    def search(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(Q(person__name__contains=value) | Q(person__id_number=value)) if value else queryset


class BrokerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名")
    status = django_filters.ChoiceFilter(choices=Broker.Status.choices, label="状态")

    class Meta:
        model = Broker
        fields = ["status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(person__name__contains=value) if value else queryset


class PlacementFilter(django_filters.FilterSet):
    posting = django_filters.NumberFilter(field_name="posting_id", label="零工岗位")
    broker = django_filters.NumberFilter(field_name="broker_id", label="经纪人")
    outcome = django_filters.ChoiceFilter(choices=[*Placement.State.choices], label="最近回访结果")

    class Meta:
        model = Placement
        fields = ["posting", "broker", "outcome"]

