from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.core import audit
from apps.core.exceptions import ApplicationError
from apps.core.exports import download, streaming_csv
from apps.core.idempotency import OnceFormMixin, once_redirect
from apps.core.models import AccessLog
from apps.imports.forms import UploadForm
from apps.imports.limits import ImportLimits
from apps.imports.models import ImportBatch
from apps.imports.reports import error_report_csv_lines, error_report_xlsx
from apps.imports.selectors import batch_get, batch_issues, batch_list
from apps.imports.services import import_enqueue, import_file, import_progress, spec_for, wants_background
from apps.imports.specs import SPECS
from apps.imports.templates_xlsx import import_template_xlsx

ISSUES_PER_PAGE = 200


class ImportUploadView(RoleRequiredMixin, OnceFormMixin, FormView):
    """A small file is imported in the request; one over IMPORT_BACKGROUND_BYTES is stored and imported by a
    background task, its batch page drawing a progress bar (rows checked, rows written) until it is done.
    An upload posted twice (a double click on 开始导入) imports once and shows the first batch
    (apps.core.idempotency)."""

    template_name = "imports/upload.html"
    form_class = UploadForm

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", ImportBatch.Kind.EMPLOYERS)}

    def get_context_data(self, **kwargs):
        specs = {kind: [column.label for column in spec_for(kind).columns] for kind in ImportBatch.Kind.values}
        return {**super().get_context_data(**kwargs), "recent": batch_list(user=self.request.user)[:10],
                "specs": [(kind, label, specs[kind]) for kind, label in ImportBatch.Kind.choices]}

    def post(self, request, *args, **kwargs):
        try:  # a declared length over the limit is refused before the body is parsed
            ImportLimits.from_settings().check_declared_length(request.META)
        except ApplicationError as error:
            form = self.form_class(initial=self.get_initial())
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]

        def run() -> str:
            if wants_background(upload.size):
                batch = import_enqueue(kind=form.cleaned_data["kind"], handle=upload.open("rb"),
                                       file_name=upload.name, user=self.request.user)
            else:
                batch = import_file(kind=form.cleaned_data["kind"], handle=upload.open("rb"), file_name=upload.name,
                                    user=self.request.user, source="ui")
            return reverse("imports:detail", args=[batch.pk])

        try:
            return once_redirect(self.request, run, fallback_url=reverse("imports:upload"))
        except ApplicationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)


class ImportTemplateView(RoleRequiredMixin, View):
    """The XLSX template of one import kind: Chinese headers, an example row, a notes sheet."""

    def get(self, request, kind: str):
        if kind not in SPECS:
            raise Http404
        label = dict(ImportBatch.Kind.choices).get(kind, kind)
        return download(import_template_xlsx(SPECS[kind]), filename=f"{label}导入模板.xlsx")


class BatchMixin:
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_batch(self):
        return batch_get(user=self.request.user, pk=self.kwargs["pk"])


class ImportBatchView(RoleRequiredMixin, BatchMixin, TemplateView):
    template_name = "imports/batch.html"

    def get_context_data(self, **kwargs):
        batch = self.get_batch()
        page = Paginator(batch_issues(batch=batch), ISSUES_PER_PAGE).get_page(self.request.GET.get("page"))
        spec = SPECS.get(batch.kind)
        list_url = spec.list_url_name if spec is not None and spec.list_url_name else None
        labels = {column.name: column.label for column in spec.columns} if spec is not None else {}
        for issue in page.object_list:  # a cell's column by its heading in the file, never the field's key
            issue.column_label = labels.get(issue.column, issue.column)  # type: ignore[attr-defined]  # page only
        return {**super().get_context_data(**kwargs), "batch": batch, "page_obj": page, "list_url": list_url,
                "progress": import_progress(batch=batch)}


class ImportProgressView(RoleRequiredMixin, BatchMixin, View):
    """JSON for the batch page's progress bar (static/portal/progress.js polls it)."""

    def get(self, request, pk: int):
        return JsonResponse(import_progress(batch=self.get_batch()))


class ErrorReportView(RoleRequiredMixin, BatchMixin, View):
    def get(self, request, pk: int, fmt: str):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        batch = self.get_batch()
        # The report repeats the rejected rows (names, ID numbers): an export of personal data.
        audit.log_read(user=request.user, obj=batch, request=request, action=AccessLog.Action.EXPORT,
                       purpose="下载导入错误报告")
        name = f"import-{batch.pk}-errors"
        if fmt == "xlsx":
            return download(error_report_xlsx(batch), filename=f"{name}.xlsx")
        return streaming_csv(error_report_csv_lines(batch), filename=f"{name}.csv")
