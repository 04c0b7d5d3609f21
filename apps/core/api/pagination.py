from collections import OrderedDict

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from apps.core.pagination import CappedCountPaginator


class StandardPagination(PageNumberPagination):
    """Page-number pagination with the UI's paginator: `count` is exact up to `LIST_EXACT_COUNT_LIMIT` rows and
    the planner's estimate above it (`count_exact: false`); `next` is always exact."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data):
        page = self.page
        if page is None:  # DRF calls paginate_queryset() first; this narrows the Optional for the type checker
            raise RuntimeError("get_paginated_response() before paginate_queryset()")
        paginator = page.paginator
        exact = paginator.count_is_exact if isinstance(paginator, CappedCountPaginator) else True
        return Response(OrderedDict([
            ("count", paginator.count),
            ("count_exact", exact),
            ("next", self.get_next_link()),
            ("previous", self.get_previous_link()),
            ("results", data),
        ]))

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            "Exact up to LIST_EXACT_COUNT_LIMIT rows (default 10,000), an estimate above it (see count_exact).")
        response["properties"] = {
            "count": response["properties"]["count"],
            "count_exact": {"type": "boolean", "example": True,
                            "description": "false when count is an estimate of a large list; next/previous "
                                           "are exact either way"},
            **{k: v for k, v in response["properties"].items() if k != "count"},
        }
        response["required"] = [*response.get("required", []), "count_exact"]
        return response
