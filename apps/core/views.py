"""The kernel's own pages: liveness, the error pages and a placeholder. Domain pages live in their apps;
the dashboard, history and access-log pages in apps.portal."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from apps.core.models import Heartbeat


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)


@login_required
def placeholder(request, title: str):
    return render(request, "core/placeholder.html", {"title": title})


def healthz(request):
    """Liveness for the load balancer and docker: the database answers; shows the last worker heartbeat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    last = Heartbeat.objects.order_by("-at").values_list("at", flat=True).first()
    return JsonResponse({"status": "ok", "last_worker_heartbeat": last.isoformat() if last else None})
