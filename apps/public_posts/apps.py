from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicPostsConfig(AppConfig):
    name = "apps.public_posts"
    verbose_name = _("公益性岗位")

    def ready(self):
        from apps.core import registry

        # Registers the run's task with the Celery app in every process (web too): the services enqueue it by
        # name after the commit and never import the tasks module.
        from apps.public_posts import tasks  # noqa: F401

        # Supervisors open the change history of these from one page (scoped by the region path).
        registry.register_history_model("public_posts.publicpost", "region")
        registry.register_history_model("public_posts.placement", "region")
        registry.register_history_model("public_posts.subsidyrun", "region")
        from apps.public_posts.worklist import SOURCES

        for source in SOURCES:  # runs to review or resume, placements ending, on the 待办 list
            registry.register_worklist_source(source)
