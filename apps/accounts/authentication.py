"""`Authorization: Token <key>` against apps.accounts.ApiToken: hashed keys, an expiry, scopes.

`request.auth` is the ApiToken, so permissions (apps.accounts.permissions.HasRole) read its scopes.
"""

from datetime import timedelta

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from apps.accounts.models import ApiToken, hash_key

# last_used_at is written at most this often per token: a busy integration does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None or not token.is_active:
            raise exceptions.AuthenticationFailed("令牌无效")
        if token.is_expired:
            raise exceptions.AuthenticationFailed("令牌已过期，请联系安全管理员重新签发")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("令牌所属账号已停用")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token
