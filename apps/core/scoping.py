"""The one place that decides which records a user may see.

Every record carries a region (GB/T 2260 code, the Region primary key). A user sees the records of
their own region and everything below it, which for hierarchical codes is a prefix match — one
indexable predicate, no tree walk. Every selector, view, export and API endpoint goes through
`scope_queryset`; nothing else filters by region for access control.
"""

from django.db.models import Model, QuerySet

from apps.core.exceptions import NotFoundError


def user_scope_prefix(user) -> str | None:
    """'' sees everything, None sees nothing, else the code prefix the user owns."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    region = getattr(user, "region", None)
    if region is None:
        return None
    return region.scope_prefix


def scope_queryset(queryset: QuerySet, user, region_field: str = "region") -> QuerySet:
    """Limit `queryset` to the user's region. `region_field` is a path to a Region FK."""
    prefix = user_scope_prefix(user)
    if prefix is None:
        return queryset.none()
    if prefix == "":
        return queryset
    return queryset.filter(**{f"{region_field}__code__startswith": prefix})


Scope = str | None


def prefix_covers(prefix: Scope, region_code: str | None) -> bool:
    """Does the scope `prefix` cover `region_code`? No scope or no code: no."""
    return prefix is not None and region_code is not None and region_code.startswith(prefix)


def filter_by_prefix(queryset: QuerySet, prefix: Scope, code_field: str = "region__code") -> QuerySet:
    """The rows whose `code_field` (a path to a region code: `region__code`, a plain `region_code` column) the scope covers."""
    if prefix is None:
        return queryset.none()
    if prefix == "":
        return queryset
    return queryset.filter(**{f"{code_field}__startswith": prefix})


def user_can_see_region(user, region_code: str | None) -> bool:
    prefix = user_scope_prefix(user)
    return prefix is not None and bool(region_code is not None and region_code.startswith(prefix))


def get_scoped_or_404(queryset: QuerySet, user, region_field: str = "region", **lookup) -> Model:
    """A record outside the user's region does not exist for them: 404, never 403 (no existence leak)."""
    try:
        return scope_queryset(queryset, user, region_field).get(**lookup)
    except queryset.model.DoesNotExist as error:
        raise NotFoundError("not_found", "记录不存在或无权访问。") from error


def scope_queryset_by_code(queryset: QuerySet, user, code_field: str = "region_code") -> QuerySet:
    """`scope_queryset` for rows that store a region code as text (a denormalised copy such as the refund
    results' region_code) instead of a Region FK. No user or no region: nothing."""
    return filter_by_prefix(queryset, user_scope_prefix(user), code_field)
