from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    name = "apps.applicants"
    verbose_name = _("劳动者与申请人")

    def ready(self):
        from apps.core.views import register_history_model

        register_history_model("applicants.statustag", "person__region")
        register_history_model("applicants.insuranceenrollment", "person__region")
        register_history_model("applicants.household", "region")
