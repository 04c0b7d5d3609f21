"""FilterSets shared by the API and the UI."""

import django_filters
from django.db.models import Q

from apps.public_posts.models import Placement, PublicPost, SubsidyRun


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="岗位名称 / 用人单位")
    post_type = django_filters.ChoiceFilter(choices=PublicPost.PostType.choices, label="岗位类别")
    status = django_filters.ChoiceFilter(choices=PublicPost.Status.choices, label="状态")

    class Meta:
        model = PublicPost
        fields = ["q", "post_type", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(employer_name__icontains=value))


class PlacementFilter(django_filters.FilterSet):
    post = django_filters.NumberFilter(field_name="post_id", label="岗位")
    person = django_filters.NumberFilter(field_name="person_id", label="人员")
    status = django_filters.ChoiceFilter(choices=Placement.Status.choices, label="状态")

    class Meta:
        model = Placement
        fields = ["post", "person", "status"]


class RunFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SubsidyRun.Status.choices, label="状态")

    class Meta:
        model = SubsidyRun
        fields = ["status"]
