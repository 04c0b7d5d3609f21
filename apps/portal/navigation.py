"""The navigation (a template context processor): one list, so every page shows the same domains in the
same order. It names the domains' pages, so it lives on the top floor, not in the kernel.

A link is shown only to a user the page itself admits: who may open it is read from the view's own role
check (`RoleRequiredMixin.allowed_roles`), never restated here, so the sidebar cannot offer a page that
answers 403 (the audit administrator sees the access log and the admin's read-only audit tables, nothing else).
"""

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from apps.accounts.permissions import HasRole
from apps.portal import worklist

ALL = "*"  # the 待办 entry counts every module
# (label, url name, icon, the 待办 modules whose count shows beside it). Domains not built yet show as disabled.
# A module without an entry of its own (数据导入) is counted in 待办 only.
NAVIGATION = (
    ("工作台", "dashboard", "speedometer2", ()),
    ("待办", "worklist", "list-check", (ALL,)),
    ("劳动者与申请人", "applicants:list", "people", ("applicants",)),
    ("用人单位", "employers:list", "building", ()),
    ("政策计算器", "eligibility:calculator", "calculator", ()),
    ("主动发现", "eligibility:match-list", "search-heart", ("eligibility",)),
    ("稳岗返还", "refunds:list", "cash-coin", ("refunds", "payments")),  # refund runs are paid from their page
    ("职业技能培训", "training:dashboard", "mortarboard", ("training",)),
    ("零工市场", "gig:posting-list", "hammer", ("gig",)),
    ("公益性岗位", "public_posts:post-list", "signpost-2", ("public_posts",)),
    ("养老服务人才", "eldercare:institution-list", "house-heart", ("eldercare",)),
    ("创业担保贷款", "startup_loans:application-list", "bank", ("startup_loans",)),
    ("托育机构", "childcare:dashboard", "balloon-heart", ("childcare",)),
    ("困境儿童", "child_welfare:dashboard", "shield-check", ("child_welfare",)),
    ("欺诈骗保", "fraud:case-list", "shield-exclamation", ("fraud",)),
    ("通知发送情况", "notifications:message-list", "envelope-paper", ()),
    ("对外推送", "integrations:delivery-list", "send", ("integrations",)),  # 培训意愿/缺工登记 to the job-matching platform
    ("访问日志", "access-log", "journal-text", ()),
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


def badge(modules: tuple[str, ...], by_module: dict[str, int]) -> int:
    return sum(by_module.values()) if ALL in modules else sum(by_module.get(module, 0) for module in modules)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_name": settings.PORTAL_NAME, "nav_items": [], "nav_api_docs": False}
    path = request.path
    # The 待办 counts: cached per user (a few seconds stale at most; the user's own writes drop them).
    # A user not (or no longer) stored has no 待办 (an error page rendered for one must not fail).
    by_module = worklist.module_counts(worklist.counts(user, timezone.localdate())) if user.pk else {}
    items = []
    for label, url_name, icon, modules in NAVIGATION:
        url = _resolve(url_name)
        if url is not None and not page_admits(url, user):
            continue
        active = bool(url) and (path == url or (url != "/" and path.startswith(url)))
        count = badge(modules, by_module)
        items.append({"label": label, "url": url, "icon": icon, "active": active, "count": count,
                      "count_shown": worklist.shown_count(count)})
    total = sum(by_module.values())
    return {"portal_name": settings.PORTAL_NAME, "nav_items": items, "nav_api_docs": uses_api(user),
            "worklist_total": total, "worklist_total_shown": worklist.shown_count(total),
            "worklist_enabled": bool(worklist.sources_for(user))}
