from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "apps.training"
    verbose_name = _("职业技能培训")

    def ready(self):
        # Imported here, not at the top: ready() runs once the app registry is loaded, and these modules
        # import models (the documented place for registrations, like django.contrib.admin's autodiscover).
        from apps.core import registry
        from apps.core.views import register_history_model
        from apps.imports.specs import register
        from apps.training import selectors
        from apps.training.imports import EnrollmentSpec

        register(EnrollmentSpec())

        # Supervisors open the change history of these from one core page (scoped by the region path).
        register_history_model("training.provider", "region")
        register_history_model("training.program", "region")
        register_history_model("training.enrollment", "region")
        register_history_model("training.trainingsubsidyclaim", "enrollment__region")

        # What the portal's home page and 待办 list show for training.
        registry.register_tile(registry.Tile(
            key="training", label="培训中学员", icon="mortarboard", url_name="training:dashboard", order=20,
            value=lambda user: selectors.dashboard_tile(user=user)))
        registry.register_worklist_source(registry.WorklistSource(
            key="training.follow_up_overdue", label="培训后回访逾期", order=20,
            items=lambda user, today: selectors.worklist_items(user=user, today=today)))
