from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin, SupervisorRequiredMixin
from apps.core import audit, dashboard
from apps.core.exceptions import NotFoundError
from apps.core.models import AccessLog
from apps.core.scoping import get_scoped_or_404, scope_queryset


class DashboardView(RoleRequiredMixin, TemplateView):
    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **dashboard.summary(user=self.request.user)}


# Models whose history a supervisor may open, with the path to their region (for scoping).
HISTORY_MODELS = {
    "applicants.person": "region",
    "employers.employer": "region",
}


def register_history_model(label: str, region_field: str) -> None:
    """Apps add their audited models here (AppConfig.ready) so one history page serves all."""
    HISTORY_MODELS[label] = region_field


class RecordHistoryView(SupervisorRequiredMixin, TemplateView):
    template_name = "core/history.html"

    def get_context_data(self, **kwargs):
        label = f"{kwargs['app_label']}.{kwargs['model_name']}"
        if label not in HISTORY_MODELS:
            raise Http404
        model = apps.get_model(label)
        try:
            obj = get_scoped_or_404(model.objects.all(), self.request.user, HISTORY_MODELS[label], pk=kwargs["pk"])
        except NotFoundError as error:
            raise Http404 from error
        return {**super().get_context_data(**kwargs), "object": obj, "model_label": model._meta.verbose_name,
                "rows": audit.history_rows(obj),
                "reads": AccessLog.objects.filter(object_type=label, object_id=str(obj.pk)).select_related("user")[:50]}


class AccessLogView(SupervisorRequiredMixin, TemplateView):
    """Supervisors see who read personal data — of users in their own region."""

    template_name = "core/access_log.html"

    def get_context_data(self, **kwargs):
        logs = scope_queryset(AccessLog.objects.select_related("user", "user__region"), self.request.user,
                              "user__region")
        query = self.request.GET.get("q", "").strip()
        if query:
            logs = logs.filter(object_label__icontains=query) | logs.filter(user__username__icontains=query)
        page = Paginator(logs.order_by("-at"), 50).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "q": query}


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
    from django.db import connection
    from django.http import JsonResponse

    from apps.core.models import Heartbeat

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    last = Heartbeat.objects.order_by("-at").values_list("at", flat=True).first()
    return JsonResponse({"status": "ok", "last_worker_heartbeat": last.isoformat() if last else None})
