from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildWelfareConfig(AppConfig):
    name = "apps.child_welfare"
    verbose_name = _("困境儿童福利保障")

    def ready(self):
        from apps.child_welfare import tiles, worklist
        from apps.core.registry import (
            register_history_model,
            register_search_source,
            register_tile,
            register_worklist_source,
        )

        # Sensitive notes are deliberately absent: their text is read only through the purpose-logged action.
        for model, region_field in (("case", "region"), ("assessment", "case__region"), ("planitem", "case__region"),
                                    ("visit", "case__region"), ("referral", "case__region")):
            register_history_model(f"child_welfare.{model}", region_field)

        for tile in tiles.TILES:
            register_tile(tile)
        for search in tiles.SEARCH_SOURCES:
            register_search_source(search)
        for source in worklist.SOURCES:
            register_worklist_source(source)
