"""Training's tile on the home dashboard (registered in TrainingConfig.ready())."""

from apps.core.registry import Tile, WorklistSource
from apps.training import selectors


def trainees_in_training(user) -> dict:
    return selectors.dashboard_tile(user=user)


def overdue_follow_ups(user, today) -> list[dict]:
    return selectors.worklist_items(user=user, today=today)


TILES = (
    Tile(key="training", label="培训中学员", icon="mortarboard", url_name="training:dashboard",
         value=trainees_in_training, order=20),
)

WORKLIST_SOURCES = (
    WorklistSource(key="training.follow_up_overdue", label="培训后回访逾期", items=overdue_follow_ups, order=20),
)
