"""Role checks shared by the caseworker UI and the API. Region checks live in core.scoping."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from apps.accounts.models import User

STAFF_ROLES = (User.Role.CASEWORKER, User.Role.SUPERVISOR, User.Role.ADMINISTRATOR)
REVIEW_ROLES = (User.Role.SUPERVISOR, User.Role.ADMINISTRATOR)


class RoleRequiredMixin(LoginRequiredMixin):
    """UI views: integration accounts have no business in the web UI; others per `allowed_roles`."""

    allowed_roles: tuple[str, ...] = STAFF_ROLES

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_role(*self.allowed_roles):
            raise PermissionDenied("您的角色无权使用此功能")
        return super().dispatch(request, *args, **kwargs)


class SupervisorRequiredMixin(RoleRequiredMixin):
    allowed_roles = REVIEW_ROLES


class HasRole(BasePermission):
    """API: `permission_classes = [HasRole.of(...)]`. Integration clients are allowed by default."""

    roles: tuple[str, ...] = (*STAFF_ROLES, User.Role.INTEGRATION)
    message = "您的角色无权执行此操作"

    @classmethod
    def of(cls, *roles: str) -> type["HasRole"]:
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_role(*self.roles))


IsSupervisor = HasRole.of(*REVIEW_ROLES)
