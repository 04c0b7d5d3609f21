"""The navigation (a template context processor): one list, so every page shows the same domains in the
same order. It names the domains' pages, so it lives on the top floor, not in the kernel.

A link is shown only to a user the page itself admits: who may open it is read from the view's own role
check (`RoleRequiredMixin.allowed_roles`), never restated here, so the sidebar cannot offer a page that
answers 403 (the audit administrator sees the access log and the admin's read-only audit tables, nothing else).
"""

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from apps.accounts.permissions import HasRole

# (label, url name, icon). Domains not built yet show as disabled.
NAVIGATION = (
    ("工作台", "dashboard", "speedometer2"),
    ("劳动者与申请人", "applicants:list", "people"),
    ("用人单位", "employers:list", "building"),
    ("政策计算器", "eligibility:calculator", "calculator"),
    ("主动发现", "eligibility:match-list", "search-heart"),
    ("稳岗返还", "refunds:list", "cash-coin"),
    ("职业技能培训", "training:dashboard", "mortarboard"),
    ("托育机构", "childcare:dashboard", "balloon-heart"),
    ("困境儿童", "child_welfare:dashboard", "shield-check"),
    ("通知发送情况", "notifications:message-list", "envelope-paper"),
    ("访问日志", "access-log", "journal-text"),
)


def _resolve(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def page_admits(url: str, user) -> bool:
    """Whether the page at `url` lets this user in by role (the view's `allowed_roles`; a view without one
    admits every signed-in user)."""
    try:
        match = resolve(url)
    except Resolver404:
        return False
    roles = getattr(getattr(match.func, "view_class", None), "allowed_roles", None)
    return roles is None or user.has_role(*roles)


def uses_api(user) -> bool:
    """The API docs are offered to the roles the API serves (an audit administrator has no API)."""
    return user.has_role(*HasRole.roles)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_name": settings.PORTAL_NAME, "nav_items": [], "nav_api_docs": False}
    path = request.path
    items = []
    for label, url_name, icon in NAVIGATION:
        url = _resolve(url_name)
        if url is not None and not page_admits(url, user):
            continue
        active = bool(url) and (path == url or (url != "/" and path.startswith(url)))
        items.append({"label": label, "url": url, "icon": icon, "active": active})
    return {"portal_name": settings.PORTAL_NAME, "nav_items": items, "nav_api_docs": uses_api(user)}
