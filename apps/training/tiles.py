"""Training's tile on the home dashboard (registered in TrainingConfig.ready())."""

from apps.core.registry import Tile
from apps.training import selectors


def trainees_in_training(user) -> dict:
    return selectors.dashboard_tile(user=user)


TILES = (
    Tile(key="training", label="培训中学员", icon="mortarboard", url_name="training:dashboard",
         value=trainees_in_training, order=20),
)
