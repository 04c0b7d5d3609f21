from celery import shared_task

from apps.core.models import Heartbeat

# How many heartbeats to keep: one a minute for a day is plenty to see a gap.
HEARTBEATS_KEPT = 1440


@shared_task(bind=True, ignore_result=True)
def heartbeat(self) -> int:
    beat = Heartbeat.objects.create(worker=self.request.hostname or "eager")
    stale = Heartbeat.objects.order_by("-at").values_list("id", flat=True)[HEARTBEATS_KEPT:HEARTBEATS_KEPT + 1]
    if stale:
        Heartbeat.objects.filter(id__lte=stale[0]).delete()
    return beat.pk
