"""Role checks shared by the caseworker UI and the API. Region checks live in core.scoping."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.accounts.models import DEFAULT_SCOPES, ApiScope, ApiToken, User

STAFF_ROLES = (User.Role.CASEWORKER, User.Role.SUPERVISOR, User.Role.ADMINISTRATOR)
REVIEW_ROLES = (User.Role.SUPERVISOR, User.Role.ADMINISTRATOR)
# Who reads the audit trail (the access log, the change history): reviewers for their region, and the
# audit administrator (三员分立), who reads it and nothing else.
AUDIT_READER_ROLES = (*REVIEW_ROLES, User.Role.AUDITOR)


class RoleRequiredMixin(LoginRequiredMixin):
    """UI views: integration accounts have no business in the web UI; others per `allowed_roles`."""

    allowed_roles: tuple[str, ...] = STAFF_ROLES

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_role(*self.allowed_roles):
            raise PermissionDenied("您的角色无权使用此功能")
        return super().dispatch(request, *args, **kwargs)


class SupervisorRequiredMixin(RoleRequiredMixin):
    allowed_roles = REVIEW_ROLES


class AuditReaderRequiredMixin(RoleRequiredMixin):
    allowed_roles = AUDIT_READER_ROLES


def request_scopes(request) -> frozenset[str] | None:
    """The scopes that bound this request: a token's own; an integration account without a token (a
    session) gets the least (read, masked); None — no bound beyond the role — for staff in a session."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        return frozenset(auth.scopes or ())
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_integration", False):
        return frozenset(DEFAULT_SCOPES)
    return None


def required_scope(request, view) -> str:
    """A view names the scope of an action in `token_scopes` ({"create": "start_runs"}); otherwise a safe
    method reads and anything else writes."""
    scopes = getattr(view, "token_scopes", {})
    action = getattr(view, "action", None) or request.method.lower()
    if action in scopes:
        return scopes[action]
    return ApiScope.READ if request.method in SAFE_METHODS else ApiScope.WRITE


class HasRole(BasePermission):
    """API: `permission_classes = [HasRole.of(...)]`. Integration clients are allowed by default — within
    their token's scopes (read registries, write, full ID numbers, start runs)."""

    roles: tuple[str, ...] = (*STAFF_ROLES, User.Role.INTEGRATION)
    message = "您的角色无权执行此操作"

    @classmethod
    def of(cls, *roles: str) -> type["HasRole"]:
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.has_role(*self.roles)):
            return False
        scopes = request_scopes(request)
        if scopes is None:
            return True
        needed = required_scope(request, view)
        if needed not in scopes:
            self.message = f"接口令牌没有“{ApiScope(needed).label}”权限"
            self.code = "scope_required"
            return False
        return True


IsSupervisor = HasRole.of(*REVIEW_ROLES)
