from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    name = "apps.applicants"
    verbose_name = _("劳动者与申请人")
