from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "apps.employers"
    verbose_name = _("用人单位与失业保险缴费")

    def ready(self):
        # Imported here, not at the top: models may load only once the app registry is ready.
        from apps.core import registry
        from apps.eligibility.providers import register_facts
        from apps.employers import imports, tiles
        from apps.employers.eligibility_facts import EmployerFacts
        from apps.imports.specs import register

        register_facts(EmployerFacts())  # eligibility reads employers' facts through this provider
        register(imports.EmployerSpec())
        register(imports.ContributionSpec())

        for tile in tiles.TILES:
            registry.register_tile(tile)
        for chart in tiles.CHARTS:
            registry.register_chart(chart)
        for search in tiles.SEARCH_SOURCES:
            registry.register_search_source(search)

        registry.register_history_model("employers.employer", "region")
