"""Template context: whether the top bar links to the inbox (the roles the inbox page admits). No query: the
unread count is fetched by the badge's script."""

from apps.accounts.permissions import STAFF_ROLES


def inbox(request):
    user = getattr(request, "user", None)
    return {"inbox_link": bool(user is not None and user.is_authenticated and user.has_role(*STAFF_ROLES))}
