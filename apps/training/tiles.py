"""Training's tile on the home dashboard (registered in TrainingConfig.ready())."""

from apps.core.registry import Tile
from apps.training.models import EnrollmentStatus
from apps.training.selectors import status_counts


def trainees_in_training(user) -> dict:
    counts = status_counts(user=user)
    return {"value": counts.get(EnrollmentStatus.IN_TRAINING, 0), "hint": f"全部学员 {sum(counts.values())} 人"}


TILES = (
    Tile(key="training.in_training", label="培训中学员", icon="mortarboard", url_name="training:dashboard",
         value=trainees_in_training, order=20),
)
