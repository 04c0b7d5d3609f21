"""The Celery app. Configuration is read from Django settings (CELERY_* names)."""

import os

from celery import Celery

# Connects the signals that carry a request's id into the tasks it enqueues (imports no Django model).
import apps.core.logging  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
