"""Filters shared by every list (UI and API)."""

import django_filters


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting by a column with equal values (birth date, headcount) must not shuffle rows between pages:
    the primary key, in the same direction as the first sort key, breaks ties."""

    def filter(self, queryset, value):
        queryset = super().filter(queryset, value)
        ordering = [field for field in (value or []) if field]
        if ordering and ordering[-1].lstrip("-") not in {"id", "pk"}:
            tie_breaker = "-pk" if ordering[0].startswith("-") else "pk"
            queryset = queryset.order_by(*queryset.query.order_by, tie_breaker)
        return queryset
