"""The filter backend of a viewset whose selector runs the FilterSet (`filter_or_raise`: a bad value is the
house 400 `invalid_filter` there): it only puts the FilterSet's parameters in the OpenAPI schema."""

from django_filters.rest_framework import DjangoFilterBackend


class FilteredBySelector(DjangoFilterBackend):
    """Set `filterset_class` on the viewset and `filter_backends = [FilteredBySelector, OrderingFilter]`; the
    selector, given the query parameters, has filtered already."""

    def filter_queryset(self, request, queryset, view):
        return queryset
