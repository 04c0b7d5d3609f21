from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import AuditReaderRequiredMixin, RoleRequiredMixin
from apps.core import audit
from apps.core.exceptions import ApplicationError
from apps.core.exports import csv_lines, streaming_csv
from apps.core.filters import AccessLogFilter
from apps.core.idempotency import once_redirect
from apps.core.listing import LISTINGS, clean_querystring, listing_url, saved_filter_delete, saved_filter_save
from apps.core.pagination import page_size
from apps.core.registry import HISTORY_MODELS
from apps.portal import dashboard, search, worklist


class DashboardView(RoleRequiredMixin, TemplateView):
    template_name = "portal/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_auditor:
            return redirect("access-log")  # the audit administrator's one page (三员分立)
        if request.user.is_authenticated and request.user.is_integration:
            return redirect("my-tokens")  # an integration account works through the API: its tokens and the docs
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                **dashboard.summary(user=self.request.user, today=timezone.localdate())}


class WorklistView(RoleRequiredMixin, TemplateView):
    """The whole 待办 list of the signed-in user in urgency order, paged; `?module=` narrows it to one module."""

    template_name = "portal/worklist.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        module = self.request.GET.get("module", "")
        module = module if worklist.known_module(module) else ""  # anything else lists every module
        items = worklist.MergedWorklist(user=user, today=today, module=module)
        paginator: Paginator = Paginator(items, page_size(self.request, self.paginate_by))  # type: ignore[arg-type]  # count() and slices
        page = paginator.get_page(self.request.GET.get("page"))
        modules = worklist.modules(user, today)
        return {**super().get_context_data(**kwargs), "page_obj": page, "module": module,
                "module_label": worklist.module_label(module) if module else "", "modules": modules,
                "total": worklist.shown_count(sum(m["count"] for m in modules))}


class SearchView(RoleRequiredMixin, TemplateView):
    """The global search box's results: every kind of record the user may open, grouped, read-audited."""

    template_name = "portal/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        try:
            groups, error = search.global_search(user=self.request.user, query=query, request=self.request), None
        except ApplicationError as refused:  # too short or too long: said beside the box, not as an error page
            groups, error = [], refused.message
        return {**super().get_context_data(**kwargs), "q": query, "groups": groups, "error": error,
                "shown_per_kind": search.SHOWN_PER_KIND}


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
    """Supervisors and the audit administrator see who read personal data — of users in their region —
    filtered by date, user, action, record type and record; `?format=csv` downloads what the filters select."""

    template_name = "portal/access_log.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            logs = audit.access_log_list(user=request.user, filters=request.GET)
            stamp = timezone.localdate().strftime("%Y%m%d")
            return streaming_csv(csv_lines(audit.access_log_rows(logs)), filename=f"个人信息访问日志_{stamp}.csv")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        logs = audit.access_log_list(user=self.request.user, filters=self.request.GET)
        page = Paginator(logs, page_size(self.request, 50)).get_page(self.request.GET.get("page"))
        for log in page.object_list:  # the record's 变更记录 page, the audit administrator's other page
            log.history_url = history_url(log.object_type, log.object_id)  # type: ignore[attr-defined]  # page only
        query = self.request.GET.copy()
        query.pop("page", None)
        return {**super().get_context_data(**kwargs), "page_obj": page,
                "filter": AccessLogFilter(self.request.GET), "query_string": query.urlencode()}


class SavedFilterSaveView(RoleRequiredMixin, View):
    """POST from a list page: save its current filter under a name (apps.core.listing), back to the list."""

    def post(self, request):
        listing = LISTINGS.get(request.POST.get("list_key", ""))
        if listing is None or not listing.saves_filters:
            raise Http404
        querystring = request.POST.get("querystring", "")

        def save() -> str:
            saved = saved_filter_save(user=request.user, list_key=listing.key, name=request.POST.get("name", ""),
                                      querystring=querystring)
            messages.success(request, f"已保存常用筛选：{saved.name}")
            return listing_url(listing, saved.querystring)

        try:
            return once_redirect(request, save, fallback_url=listing.url())
        except ApplicationError as error:
            messages.error(request, error.message)
            try:
                back = clean_querystring(listing, querystring)
            except ApplicationError:
                back = ""
            return redirect(listing_url(listing, back))


class SavedFilterDeleteView(RoleRequiredMixin, View):
    """POST: delete one of the signed-in user's saved filters; anybody else's is a 404."""

    def post(self, request, pk: int):
        key = saved_filter_delete(user=request.user, pk=pk)
        messages.success(request, "已删除常用筛选。")
        listing = LISTINGS.get(key)
        return redirect(listing.url() if listing is not None else reverse("dashboard"))
