"""The one place that decides which records a user may see.

Every record carries a region (GB/T 2260 code, the Region primary key). A user sees the records of
their own region and everything below it, which for hierarchical codes is a prefix match — one
indexable predicate, no tree walk. Every selector, view, export and API endpoint goes through
`scope_queryset`; nothing else filters by region for access control.

A *scope* is a code prefix: "" covers everything, None covers nothing (fail closed), "2201" covers 长春市.
The prefix helpers below are the only code that compares a region code with a prefix; use them wherever a
scope is held without a user (an import run's context, a refund run's region) instead of `startswith`.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

from apps.core.exceptions import NotFoundError
from apps.core.models import Region

Scope = str | None
M = TypeVar("M", bound=Model)


def user_scope_prefix(user) -> Scope:
    """'' sees everything, None sees nothing, else the code prefix the user owns."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    region = getattr(user, "region", None)
    if region is None:
        return None
    return region.scope_prefix


# --- A scope held as a prefix ---------------------------------------------------------------------------

def prefix_covers(prefix: Scope, region_code: str | None) -> bool:
    """Does the scope `prefix` cover `region_code`? No scope or no code: no."""
    return prefix is not None and region_code is not None and region_code.startswith(prefix)


def codes_outside_prefix(prefix: Scope, codes: Iterable[str | None]) -> set[str | None]:
    """The codes of `codes` the scope does not cover (every one of them when there is no scope)."""
    return {code for code in codes if not prefix_covers(prefix, code)}


def filter_by_prefix(queryset: QuerySet, prefix: Scope, code_field: str = "region__code") -> QuerySet:
    """The rows whose `code_field` (a path to a region code: `region__code`, a plain `region_code` column) the scope covers."""
    if prefix is None:
        return queryset.none()
    if prefix == "":
        return queryset
    return queryset.filter(**{f"{code_field}__startswith": prefix})


def exclude_prefix(queryset: QuerySet, prefix: Scope, code_field: str = "region__code") -> QuerySet:
    """The rows the scope does *not* cover (all of them when there is no scope)."""
    if prefix is None:
        return queryset
    if prefix == "":
        return queryset.none()
    return queryset.exclude(**{f"{code_field}__startswith": prefix})


# --- A user's scope ---------------------------------------------------------------------------------------

def scope_queryset(queryset: QuerySet, user, region_field: str = "region") -> QuerySet:
    """Limit `queryset` to the user's region. `region_field` is a path to a Region FK."""
    return filter_by_prefix(queryset, user_scope_prefix(user), f"{region_field}__code")


def user_can_see_region(user, region_code: str | None) -> bool:
    return prefix_covers(user_scope_prefix(user), region_code)


def user_can_see_regions(user, region_codes: Iterable[str | None]) -> bool:
    """Every one of `region_codes` is inside the user's scope (an empty set is)."""
    return not codes_outside_prefix(user_scope_prefix(user), region_codes)


def visible_regions(user, *, levels: Iterable[str] | None = None) -> QuerySet[Region]:
    """The regions a user may pick in a form (their own and those below), optionally of some levels."""
    regions = filter_by_prefix(Region.objects.select_related("parent"), user_scope_prefix(user), "code")
    return regions.filter(level__in=list(levels)) if levels is not None else regions


def get_scoped_or_404(queryset: QuerySet[M], user, region_field: str = "region", **lookup) -> M:
    """A record outside the user's region does not exist for them: 404, never 403 (no existence leak)."""
    try:
        return scope_queryset(queryset, user, region_field).get(**lookup)
    except ObjectDoesNotExist as error:  # the model's DoesNotExist
        raise NotFoundError("not_found", "记录不存在或无权访问。") from error


def scope_queryset_by_code(queryset: QuerySet, user, code_field: str = "region_code") -> QuerySet:
    """`scope_queryset` for rows that store a region code as text (a denormalised copy such as the refund
    results' region_code) instead of a Region FK. No user or no region: nothing."""
    return filter_by_prefix(queryset, user_scope_prefix(user), code_field)
