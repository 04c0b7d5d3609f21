from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "apps.employers"
    verbose_name = _("用人单位与失业保险缴费")

    def ready(self):
        from apps.eligibility.providers import register_facts
        from apps.employers.eligibility_facts import EmployerFacts

        register_facts(EmployerFacts())  # eligibility reads employers' facts through this provider
