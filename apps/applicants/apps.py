from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    name = "apps.applicants"
    verbose_name = _("劳动者与申请人")

    def ready(self):
        from apps.applicants.eligibility_facts import PersonFacts
        from apps.core.views import register_history_model
        from apps.eligibility.providers import register_facts

        register_facts(PersonFacts())  # eligibility reads people's facts through this provider

        register_history_model("applicants.statustag", "person__region")
        register_history_model("applicants.insuranceenrollment", "person__region")
        register_history_model("applicants.household", "region")
