from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.validators import validate_phone


class User(AbstractUser):
    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("经办人")
        SUPERVISOR = "supervisor", _("审核人")
        ADMINISTRATOR = "administrator", _("管理员")
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

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or self.role in roles
