"""The main lists' shared tools (issue 15): sortable column headers, filters a user saves under a name, and
counts beside a filter's choices. One mechanism for every list page:

- A list view mixes in `ListingMixin` and names its `Listing`: a key (what a saved filter belongs to), the URL
  name of the page, the FilterSet the page filters with (the one its selector runs) and the facets to count.
- Sorting is the FilterSet's `ordering` filter (`StableOrderingFilter`): its fields are the whitelist, anything
  else is a field-level 400 (`filter_or_raise`). Each sort key needs an index
  (tests/architecture/test_sort_indexes.py requests every list with every key).
- Facet counts: one `GROUP BY` query per facet over the list as filtered by everything except that facet
  (the status chips say how many rows each status would show), never one query per choice.
- Saved filters (`SavedFilter`): the querystring of the page, kept without its page number; applying one
  validates it again against the FilterSet and drops what the list no longer knows.

The registry is filled as the view modules are imported (the URLconf imports them all before any view runs).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.urls import reverse

from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.models import SavedFilter

# Query parameters every list understands besides its FilterSet's.
PAGE_PARAMS = ("page_size",)
NOT_SAVED = ("page", "cursor")


@dataclass(frozen=True)
class Listing:
    key: str
    title: str
    url_name: str
    filterset: Any  # a django-filter FilterSet class
    facets: tuple[str, ...] = ()
    url_kwargs: tuple[str, ...] = field(default=())  # a list inside a record (a run's results) is not saved

    @property
    def saves_filters(self) -> bool:
        return not self.url_kwargs

    def url(self) -> str:
        return reverse(self.url_name)

    def sort_keys(self) -> list[str]:
        """Every `?ordering=` value the list accepts, both directions."""
        ordering = self.filterset.base_filters.get("ordering")
        if ordering is None:
            return []
        keys = [value for value, _label in ordering.extra["choices"] if value]
        return keys


LISTINGS: dict[str, Listing] = {}


def register_listing(listing: Listing) -> Listing:
    LISTINGS[listing.key] = listing
    return listing


def clean_querystring(listing: Listing, data: Mapping[str, Any] | str) -> str:
    """The querystring of `data` that `listing` accepts: only its FilterSet's parameters and the page size,
    no page number; raises ApplicationError("invalid_filter") when a value does not validate."""
    params = QueryDict(data) if isinstance(data, str) else _querydict(data)
    known = set(listing.filterset.base_filters) | set(PAGE_PARAMS)
    kept = QueryDict(mutable=True)
    for name in sorted(known):
        values = [v for v in params.getlist(name) if v]
        if values:
            kept.setlist(name, values)
    filterset = listing.filterset(kept, queryset=listing.filterset._meta.model.objects.none())
    if not filterset.is_valid():
        raise ApplicationError("invalid_filter", "筛选条件有误，请检查后重试。",
                               {name: [str(m) for m in messages] for name, messages in filterset.errors.items()})
    return kept.urlencode()


def _querydict(data: Mapping[str, Any]) -> QueryDict:
    if isinstance(data, QueryDict):
        return data.copy()
    params = QueryDict(mutable=True)
    for key, value in data.items():
        params[key] = str(value)
    return params


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    count: int
    url: str
    active: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    all_url: str
    current: str
    choices: list[Choice]


def _facet_column(filterset_class, name: str) -> str:
    flt = filterset_class.base_filters[name]
    if flt.method is not None:
        raise ValueError(f"facet {name!r} filters by a method: it has no column to group by")
    return flt.field_name


def _facet_choices(filterset_class, name: str, model) -> list[tuple[str, str]]:
    flt = filterset_class.base_filters[name]
    choices = flt.extra.get("choices")
    if callable(choices):
        choices = choices()
    if not choices:
        model_field = model._meta.get_field(flt.field_name.split("__")[0])
        choices = model_field.choices or []
    return [(str(value), str(label)) for value, label in choices if value not in ("", None)]


def _facet_label(filterset_class, name: str, model) -> str:
    """The facet's heading: the filter's label, else the model field's verbose name — never the field's code."""
    flt = filterset_class.base_filters[name]
    if flt.label:
        return str(flt.label)
    return str(model._meta.get_field(flt.field_name.split("__")[0]).verbose_name)


def facet_counts(listing: Listing, data: Mapping[str, Any], base: QuerySet) -> list[Facet]:
    """For each facet: how many rows of `base` (the user's scoped rows) each choice shows, with the page's
    other filters applied. One GROUP BY query per facet."""
    params = _querydict(data)
    for name in NOT_SAVED:
        params.pop(name, None)
    facets = []
    for name in listing.facets:
        others = params.copy()  # the page's other filters and its sort: what a chip's link keeps
        others.pop(name, None)
        counted = others.copy()
        counted.pop("ordering", None)  # a count needs no sort
        filterset = listing.filterset(counted, queryset=base)
        rows = filterset.qs if filterset.is_valid() else base.none()
        column = _facet_column(listing.filterset, name)
        counts = {str(value): n for value, n in
                  rows.order_by().values_list(column).annotate(n=Count("pk", distinct=True)).values_list(column, "n")}
        current = params.get(name, "")
        choices = []
        for value, label in _facet_choices(listing.filterset, name, base.model):
            chosen = others.copy()
            chosen[name] = value
            choices.append(Choice(value, label, counts.get(value, 0), "?" + chosen.urlencode(), value == current))
        facets.append(Facet(name, _facet_label(listing.filterset, name, base.model), "?" + others.urlencode(), current,
                            choices))
    return facets


@dataclass(frozen=True)
class SortChoice:
    label: str
    url: str
    active: bool


def sort_choices(listing: Listing, data: Mapping[str, Any]) -> list[SortChoice]:
    """The sort keys as links (a phone shows a table as cards, without its clickable headers)."""
    ordering = listing.filterset.base_filters.get("ordering")
    if ordering is None:
        return []
    params = _querydict(data)
    for name in NOT_SAVED:
        params.pop(name, None)
    current = params.get("ordering", "")
    choices = []
    for value, label in ordering.extra["choices"]:
        if not value:
            continue
        params["ordering"] = value
        base = str(ordering.extra.get("field_labels", {}).get(value.lstrip("-"), label)).split(" (")[0]
        label = f"{base} {'↓' if value.startswith('-') else '↑'}"
        choices.append(SortChoice(label, "?" + params.urlencode(), value == current))
    return choices


class ListingMixin:
    """A list page: `listing` (a registered Listing); `facet_queryset()` returns the user's scoped rows before
    the filters (the selector's base), when the list counts its facets. Puts `listing`, `facets`,
    `saved_filters` and `current_querystring` in the context."""

    listing: Listing
    request: Any

    def facet_queryset(self) -> QuerySet | None:
        return None

    def listing_context(self) -> dict[str, Any]:
        listing = self.listing
        base = self.facet_queryset() if listing.facets else None
        try:
            current = clean_querystring(listing, self.request.GET)
        except ApplicationError:
            current = ""
        saved: list[SavedLink] = []
        if listing.saves_filters:
            saved = saved_links(listing, SavedFilter.objects.filter(user=self.request.user, list_key=listing.key)
                                .order_by("name"), current)
        return {"listing": listing, "facets": facet_counts(listing, self.request.GET, base) if base is not None else [],
                "sort_choices": sort_choices(listing, self.request.GET),
                "saved_filters": saved, "current_querystring": current}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.listing_context()}  # type: ignore[misc]


def listing_url(listing: Listing, querystring: str) -> str:
    return listing.url() + (f"?{querystring}" if querystring else "")


# --- Saved filters: the writes (services) and the links a list page offers -----------------------------------

MAX_SAVED_PER_LIST = 30


def saved_filter_save(*, user, list_key: str, name: str, querystring: str):
    """Save the list's current filter under `name` for `user` (the same name again replaces it)."""
    listing = LISTINGS.get(list_key)
    if listing is None or not listing.saves_filters:
        raise ApplicationError("unknown_list", "没有这个列表。", {"list_key": ["未知列表"]})
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ApplicationError("invalid_name", "请填写常用筛选的名称（不超过 60 个字）。", {"name": ["请填写名称"]})
    cleaned = clean_querystring(listing, querystring or "")
    if len(cleaned) > 1000:
        raise ApplicationError("filter_too_long", "筛选条件过长，无法保存。", {"querystring": ["过长"]})
    with transaction.atomic():
        mine = SavedFilter.objects.select_for_update().filter(user=user, list_key=list_key)
        existing = mine.filter(name=name).first()
        if existing is not None:
            existing.querystring = cleaned
            existing.save(update_fields=["querystring"])
            return existing
        if mine.count() >= MAX_SAVED_PER_LIST:
            raise ApplicationError("too_many_saved_filters", f"每个列表最多保存 {MAX_SAVED_PER_LIST} 个常用筛选，"
                                   "请先删除不用的。", {})
        return SavedFilter.objects.create(user=user, list_key=list_key, name=name, querystring=cleaned)


def saved_filter_delete(*, user, pk: int) -> str:
    """Delete one of `user`'s saved filters; another user's (or none) is a 404. Returns its list's key."""
    with transaction.atomic():
        saved = SavedFilter.objects.filter(user=user, pk=pk).first()
        if saved is None:
            raise NotFoundError("not_found", "没有这个常用筛选。")
        key = saved.list_key
        saved.delete()
        return key


@dataclass(frozen=True)
class SavedLink:
    pk: int
    name: str
    url: str | None  # None: the saved filter no longer validates (a choice went away)
    active: bool


def saved_links(listing: Listing, saved, current: str) -> list[SavedLink]:
    """Each saved filter as a link to the list, its querystring validated again now (an unknown parameter is
    dropped; a value that no longer validates leaves the filter without a link, marked 已失效)."""
    links = []
    for item in saved:
        try:
            querystring = clean_querystring(listing, item.querystring)
        except ApplicationError:
            links.append(SavedLink(item.pk, item.name, None, False))
            continue
        links.append(SavedLink(item.pk, item.name, listing_url(listing, querystring),
                               querystring == current))
    return links
