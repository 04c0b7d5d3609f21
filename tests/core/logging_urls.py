"""A page that logs and enqueues a task that logs: the request-id flow end to end (tests/core/test_logging.py)."""

import logging

from celery import shared_task
from django.http import HttpResponse
from django.urls import path

logger = logging.getLogger("tests.core.logging_urls")


@shared_task(name="tests.core.logging_urls.log_in_task")
def log_in_task(number: int) -> None:
    logger.info("task ran", extra={"number": number})


def enqueue(request):
    logger.info("view ran", extra={"user_agent": request.META.get("HTTP_USER_AGENT", "")})
    log_in_task.delay(7)
    return HttpResponse("ok")


urlpatterns = [path("enqueue/", enqueue)]
