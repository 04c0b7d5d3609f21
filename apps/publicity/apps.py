from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "apps.publicity"
    verbose_name = _("公示")

    def ready(self) -> None:
        # The PDF of a public list comes from the documents service (a lower floor): registered, not imported
        # by the views, so the list works (without its PDF link) wherever no renderer is registered.
        from apps.publicity.pdf import render_public_list
        from apps.publicity.sources import register_pdf_renderer

        register_pdf_renderer(render_public_list)

        # 名单公示告知, sent by the sources that tell their payees (apps.publicity.notices).
        from apps.notifications.events import register_event
        from apps.publicity.notices import PUBLISHED

        register_event(PUBLISHED)
