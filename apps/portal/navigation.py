"""The navigation (a template context processor): one list, so every page shows the same domains in the
same order. It names the domains' pages, so it lives on the top floor, not in the kernel."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

# (label, url name, icon, roles or None for all staff). Domains not built yet show as disabled.
NAVIGATION = (
    ("工作台", "dashboard", "speedometer2", None),
    ("劳动者与申请人", "applicants:list", "people", None),
    ("用人单位", "employers:list", "building", None),
    ("政策计算器", "eligibility:calculator", "calculator", None),
    ("主动发现", "eligibility:match-list", "search-heart", None),
    ("稳岗返还", "refunds:list", "cash-coin", None),
    ("职业技能培训", "training:dashboard", "mortarboard", None),
    ("托育机构", "childcare:dashboard", "balloon-heart", None),
    ("困境儿童", "child_welfare:dashboard", "shield-check", None),
    ("访问日志", "access-log", "journal-text", ("supervisor", "administrator")),
)


def _resolve(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_name": settings.PORTAL_NAME, "nav_items": []}
    path = request.path
    items = []
    for label, url_name, icon, roles in NAVIGATION:
        if roles and not user.has_role(*roles):
            continue
        url = _resolve(url_name)
        active = bool(url) and (path == url or (url != "/" and path.startswith(url)))
        items.append({"label": label, "url": url, "icon": icon, "active": active})
    return {"portal_name": settings.PORTAL_NAME, "nav_items": items}
