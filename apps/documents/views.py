"""The public verify page (no sign-in) and the batch pages of any registered source (start, status, ZIP)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.core.audit import log_read
from apps.core.exceptions import ApplicationError
from apps.core.idempotency import once_redirect
from apps.core.models import AccessLog
from apps.core.throttle import over_limit, throttled_response
from apps.documents.models import NoticeBatch
from apps.documents.pdf import format_code, normalise_code
from apps.documents.selectors import batch_latest, batch_status, verify_code
from apps.documents.services import batch_start
from apps.documents.sources import source_by_slug, source_record


class VerifyView(TemplateView):
    """/verify/<code>/ — anyone holding a notice checks it: 有效 / 已失效 / 不存在, and its non-personal facts.
    The code is 16 characters of a 31-letter alphabet: not guessable; nothing personal is shown; a burst from one
    address is a 429 (apps.core.throttle), so the codes cannot be tried in bulk either."""

    template_name = "documents/verify.html"

    def get(self, request, *args, **kwargs):
        if over_limit(request, scope="verify"):
            return throttled_response(request)
        typed = request.GET.get("code")
        if typed is not None and "code" not in kwargs:
            code = normalise_code(typed)
            return redirect("documents:verify", code=code or "0")
        check = verify_code(kwargs.get("code", ""))
        context = self.get_context_data(check=check, code=format_code(normalise_code(kwargs.get("code", ""))))
        return self.render_to_response(context, status=404 if check.outcome == "unknown" else 200)


class _BatchMixin(RoleRequiredMixin):
    def record(self, slug: str, source_id: int):
        source = source_by_slug(slug)
        return source, source_record(user=self.request.user, source=source, source_id=source_id)  # type: ignore[attr-defined]


class BatchStartView(_BatchMixin, View):
    def post(self, request, slug, source_id):
        source, record = self.record(slug, source_id)

        def start() -> str:
            batch_start(source=source, source_id=source_id, user=request.user)
            messages.success(request, "已开始批量生成告知书，完成后可下载 ZIP")
            return record.url

        try:  # once per form shown: a double click starts one batch (apps.core.idempotency)
            return once_redirect(request, start, fallback_url=record.url)
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect(record.url)


class BatchStatusView(_BatchMixin, View):
    def get(self, request, slug, source_id):
        source, _record = self.record(slug, source_id)
        return JsonResponse(batch_status(batch_latest(user=request.user, source=source, source_id=source_id)))


def batch_download_response(*, user, request, source, source_id: int) -> FileResponse:
    """The latest finished ZIP of the record, as a download; each download is an access-log row."""
    batch = batch_latest(user=user, source=source, source_id=source_id)
    if batch is None or batch.status != NoticeBatch.Status.DONE or not batch.file:
        raise Http404("尚未生成告知书 ZIP")
    log_read(user=user, obj=batch, request=request, action=AccessLog.Action.EXPORT, purpose="下载告知书 ZIP")
    return FileResponse(batch.file.open("rb"), as_attachment=True, filename=f"告知书-{source.slug}-{source_id}.zip",
                        content_type="application/zip")


class BatchDownloadView(_BatchMixin, View):
    def get(self, request, slug, source_id):
        source, _record = self.record(slug, source_id)
        return batch_download_response(user=request.user, request=request, source=source, source_id=source_id)
