"""The global search box (issue 15): one query across every registered kind of record — people (身份证号
full, masked 2201**********123X or last four; name), employers and institutions (统一社会信用代码, name),
child-welfare cases (case number, child's name or ID) — each through its domain's own scoped list selector.

What a search shows is a read of personal data: one access-log entry per kind that found something, naming
the records shown (apps.core.audit.log_bulk_read)."""

from dataclasses import dataclass, field

from django.urls import reverse

from apps.core import audit
from apps.core.exceptions import ApplicationError
from apps.core.models import AccessLog
from apps.core.registry import SearchSource, search_sources

SHOWN_PER_KIND = 10
MIN_LENGTH, MAX_LENGTH = 2, 50


@dataclass
class Group:
    source: SearchSource
    rows: list[dict[str, str]] = field(default_factory=list)
    more: bool = False  # more matches than shown: the list page has them all
    list_url: str = ""


def global_search(*, user, query: str, request=None) -> list[Group]:
    query = query.strip()
    if not query:
        return []
    if not MIN_LENGTH <= len(query) <= MAX_LENGTH:
        raise ApplicationError("search_query_length", f"请输入 {MIN_LENGTH}–{MAX_LENGTH} 个字符再搜索。",
                               {"q": [f"搜索内容须为 {MIN_LENGTH}–{MAX_LENGTH} 个字符"]})
    groups = []
    for source in search_sources():
        found = list(source.search(user, query)[: SHOWN_PER_KIND + 1])
        if not found:
            continue
        shown = found[:SHOWN_PER_KIND]
        audit.log_bulk_read(user=user, model=type(shown[0]), ids=[obj.pk for obj in shown], request=request,
                            action=AccessLog.Action.VIEW, purpose="全局搜索")
        groups.append(Group(source=source, rows=[source.row(obj) for obj in shown],
                            more=len(found) > SHOWN_PER_KIND, list_url=reverse(source.list_url_name)))
    return groups
