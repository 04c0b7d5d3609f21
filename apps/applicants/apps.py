from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    name = "apps.applicants"
    verbose_name = _("劳动者与申请人")

    def ready(self):
        # Imported here, not at the top: models may load only once the app registry is ready.
        from apps.applicants import imports, tiles
        from apps.applicants.eligibility_facts import PersonFacts
        from apps.core import registry
        from apps.eligibility.providers import register_facts
        from apps.imports.specs import register

        register_facts(PersonFacts())  # eligibility reads people's facts through this provider
        register(imports.ApplicantSpec())

        for tile in tiles.TILES:
            registry.register_tile(tile)
        for source in tiles.WORKLIST_SOURCES:
            registry.register_worklist_source(source)
        for search in tiles.SEARCH_SOURCES:
            registry.register_search_source(search)

        registry.register_history_model("applicants.person", "region")
        registry.register_history_model("applicants.statustag", "person__region")
        registry.register_history_model("applicants.insuranceenrollment", "person__region")
        registry.register_history_model("applicants.household", "region")
