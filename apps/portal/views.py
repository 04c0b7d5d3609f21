from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from apps.accounts.permissions import AuditReaderRequiredMixin, RoleRequiredMixin
from apps.core import audit
from apps.core.registry import HISTORY_MODELS
from apps.portal import dashboard


class DashboardView(RoleRequiredMixin, TemplateView):
    template_name = "portal/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_auditor:
            return redirect("access-log")  # the audit administrator's one page (三员分立)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                **dashboard.summary(user=self.request.user, today=timezone.localdate())}


class RecordHistoryView(AuditReaderRequiredMixin, TemplateView):
    """One page for the change history of every audited model (registered with apps.core.registry)."""

    template_name = "portal/history.html"

    def get_context_data(self, **kwargs):
        obj = audit.history_record_get(user=self.request.user, app_label=kwargs["app_label"],
                                       model_name=kwargs["model_name"], pk=kwargs["pk"])
        audit.log_read(user=self.request.user, obj=obj, request=self.request, purpose="查看变更记录")
        return {**super().get_context_data(**kwargs), "object": obj, "model_label": obj._meta.verbose_name,
                "rows": audit.history_rows(obj), "reads": audit.record_reads(obj)}


def history_url(object_type: str, object_id: str) -> str | None:
    """The 变更记录 page of a record as the access log names it ("app_label.model_name", id), when its model's
    history is listed (apps.core.registry); opening it still checks the region."""
    if object_type not in HISTORY_MODELS or not object_id.isdigit():
        return None
    app_label, model_name = object_type.split(".", 1)
    return reverse("history", args=[app_label, model_name, int(object_id)])


class AccessLogView(AuditReaderRequiredMixin, TemplateView):
    """Supervisors and the audit administrator see who read personal data — of users in their region."""

    template_name = "portal/access_log.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        logs = audit.access_log_list(user=self.request.user, query=query)
        page = Paginator(logs, 50).get_page(self.request.GET.get("page"))
        for log in page.object_list:  # the record's 变更记录 page, the audit administrator's other page
            log.history_url = history_url(log.object_type, log.object_id)  # type: ignore[attr-defined]  # page only
        return {**super().get_context_data(**kwargs), "page_obj": page, "q": query}
