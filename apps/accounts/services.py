"""Account writes: issuing an API token (the key is shown once and only its hash is kept)."""

import logging
from datetime import datetime

from django.db import transaction

from apps.accounts.models import DEFAULT_SCOPES, ApiScope, ApiToken, User, default_expiry
from apps.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)


def _check_scopes(scopes: list[str]) -> list[str]:
    unknown = set(scopes) - set(ApiScope.values)
    if unknown:
        raise ApplicationError("invalid_scope", f"未知的权限范围：{'、'.join(sorted(unknown))}",
                               {"scopes": ["未知的权限范围"]})
    return [scope for scope in ApiScope.values if scope in scopes]  # one order, no duplicates


@transaction.atomic
def api_token_issue(*, user: User, name: str, created_by: User | None = None, scopes: list[str] | None = None,
                    expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`: read only with masked ID numbers unless `scopes` says more. Returns the
    token and its key — the key is not stored and cannot be shown again."""
    token = ApiToken(user=user, name=name.strip() or "接口令牌", created_by=created_by,
                     scopes=_check_scopes(list(DEFAULT_SCOPES if scopes is None else scopes)),
                     expires_at=expires_at or default_expiry())
    key = ApiToken.generate_key()
    token.set_key(key)
    token.save()
    logger.info("api token issued", extra={"token_id": token.pk, "owner": user.pk, "scopes": token.scopes,
                                           "expires_at": token.expires_at.isoformat(),
                                           "by": getattr(created_by, "pk", None)})
    return token, key


def api_token_save(*, token: ApiToken, user: User) -> ApiToken:
    """An edit in the admin (scopes, expiry, active): the key never changes."""
    token.scopes = _check_scopes(list(token.scopes or []))
    token.save()
    logger.info("api token changed", extra={"token_id": token.pk, "scopes": token.scopes,
                                            "active": token.is_active, "by": user.pk})
    return token
