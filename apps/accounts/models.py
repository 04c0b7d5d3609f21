import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.validators import validate_phone


class User(AbstractUser):
    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("经办人")
        SUPERVISOR = "supervisor", _("审核人")
        # 三员分立 (GB/T 22239-2019 level 3): the system administrator runs the business back office, the
        # security administrator manages accounts and API tokens, the audit administrator reads the access
        # log and the change history and changes nothing. One role per account, so no one holds two.
        ADMINISTRATOR = "administrator", _("系统管理员")
        SECURITY_ADMIN = "security_admin", _("安全管理员")
        AUDITOR = "auditor", _("审计管理员")
        INTEGRATION = "integration", _("接口账号")

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.CASEWORKER)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, null=True, blank=True,
        help_text=_("用户只能看到本区划及下级区划的记录；省级用户可见全部。"),
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def is_supervisor(self) -> bool:
        return self.is_superuser or self.role in {self.Role.SUPERVISOR, self.Role.ADMINISTRATOR}

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMINISTRATOR

    @property
    def is_integration(self) -> bool:
        return self.role == self.Role.INTEGRATION

    @property
    def is_auditor(self) -> bool:
        return self.role == self.Role.AUDITOR

    @property
    def is_security_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.SECURITY_ADMIN

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or self.role in roles


class ApiScope(models.TextChoices):
    """What a token may do. A new token reads registries with masked ID numbers, and nothing more."""

    READ = "read", _("读取登记信息")
    WRITE = "write", _("新增和修改")
    FULL_ID_NUMBER = "full_id_number", _("查看完整身份证号")
    START_RUNS = "start_runs", _("发起稳岗返还正式批次")
    FULL_BANK_ACCOUNT = "full_bank_account", _("查看完整银行账号")


DEFAULT_SCOPES = [ApiScope.READ.value]
TOKEN_VALIDITY = timedelta(days=180)  # the default expiry of a new token; the admin may set any date


def default_scopes() -> list[str]:
    return list(DEFAULT_SCOPES)


def default_expiry() -> datetime:
    return timezone.now() + TOKEN_VALIDITY


def hash_key(key: str) -> str:
    """Only the SHA-256 of a key is stored: a copy of the table gives no one a working token."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """An integration credential (`Authorization: Token <key>`): an owner, scopes, an expiry."""

    name = models.CharField(_("用途"), max_length=100, help_text=_("对接的系统或用途，如“省大数据局数据共享”"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("所属账号"), on_delete=models.CASCADE,
                             related_name="api_tokens",
                             help_text=_("令牌以该账号的身份和区划访问接口"))
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("令牌前缀"), max_length=8, editable=False)
    scopes = models.JSONField(_("权限范围"), default=default_scopes, blank=True)
    expires_at = models.DateTimeField(_("有效期至"), default=default_expiry)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.key_prefix}…）"

    @staticmethod
    def generate_key() -> str:
        return secrets.token_hex(20)

    def set_key(self, key: str) -> None:
        self.key_hash, self.key_prefix = hash_key(key), key[:8]

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @property
    def allows_full_id_number(self) -> bool:
        return self.has_scope(ApiScope.FULL_ID_NUMBER)

    @property
    def allows_full_bank_account(self) -> bool:
        return self.has_scope(ApiScope.FULL_BANK_ACCOUNT)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
