from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from apps.accounts.middleware import IdleSessionRenewalMiddleware

        user_logged_in.connect(IdleSessionRenewalMiddleware.on_login, dispatch_uid="accounts-session-renewed")
