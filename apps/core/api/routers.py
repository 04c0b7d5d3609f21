"""The one API router: every detail route takes a numeric id.

DRF's default lookup matches any segment (`[^/.]+`), so `/applicants/null/` or `/refund-runs/1e3/approve/`
reached the view and failed in the database lookup (a 500, writes included). Here an id that is not digits
does not match a route at all: a 404, like any unknown URL. A viewset with a non-numeric key sets its own
`lookup_value_regex`, which still wins.

No format-suffix twins (`/cases/1/transitions.json/`): an action's signature takes no `format` argument, so
every such twin of an action answered 500 (found by tests/security/test_access_matrix.py). Clients choose
the format with the Accept header or `?format=`, as the schema documents.
"""

from rest_framework.routers import DefaultRouter

NUMERIC_ID = r"[0-9]+"


class NumericIdRouter(DefaultRouter):
    include_format_suffixes = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # DRF's fallback when a viewset sets no lookup_value_regex (its regex routes; the only kind used here)
        self._default_value_pattern = NUMERIC_ID
