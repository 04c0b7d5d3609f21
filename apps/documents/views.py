"""The public verify page (no sign-in), the batch pages of any registered source (start, status, ZIP), and the
pieces of a programme's own notice pages: the HTML preview's context and the PDF download of one row."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.core.audit import log_read
from apps.core.exceptions import ApplicationError
from apps.core.idempotency import once_redirect
from apps.core.models import AccessLog
from apps.core.throttle import over_limit, throttled_response
from apps.documents.models import NoticeBatch
from apps.documents.pdf import format_code, normalise_code, qr_svg
from apps.documents.selectors import batch_latest, batch_status, notice_current, verify_code
from apps.documents.services import batch_start, notice_ensure, series_for, verify_url
from apps.documents.sources import NoticeSource, source_by_slug, source_record


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


def notice_preview_context(*, user, source: NoticeSource, source_id: int, row_key: str) -> dict:
    """The HTML preview of one row's notice (templates/documents/_notice.html): the same content as the PDF,
    the 草稿 watermark while the record is a draft, and the stored version's 文号, code and QR code when its
    content is unchanged. `content` is None when the row gets no notice (the page says why). The record is
    scoped (404 outside the user's region); the caller logs the read against its own record."""
    record = source_record(user=user, source=source, source_id=source_id)
    contents = source.contents(source_id, [row_key])
    content = contents[0] if contents else None
    context: dict = {"record": record, "content": content}
    if content is None:
        return context
    series = series_for(source.key, content.region_code)
    notice = notice_current(source=source, source_id=source_id, row_key=content.row_key)
    fingerprint = content.fingerprint(is_draft=record.is_draft, objection_channel=series.objection_channel,
                                      issuer=series.issuer or content.issuer)
    if notice is not None and notice.content_sha256 != fingerprint:
        notice = None  # the stored PDF is out of date: the download makes the next version
    context.update({"notice": notice, "objection": content.objection.replace("{channel}", series.objection_channel),
                    "issuer": series.issuer or content.issuer,
                    "issued_on": notice.fact("成文日期") if notice else f"{timezone.localdate():%Y年%-m月%-d日}"})
    if notice is not None:
        url = verify_url(notice.code)
        context.update({"verify_url": url, "qr_svg": qr_svg(url), "code_display": format_code(notice.code)})
    return context


def notice_pdf_response(*, request, source: NoticeSource, source_id: int, row_key: str, filename: str) -> FileResponse:
    """One row's notice as PDF: the stored version when its content is unchanged, else a new version (the old
    one's verify page then says 已失效). Each download is an access-log row. The caller has scoped the record."""
    source_record(user=request.user, source=source, source_id=source_id)
    notice = notice_ensure(source=source, source_id=source_id, row_key=row_key, user=request.user)
    log_read(user=request.user, obj=notice, request=request, action=AccessLog.Action.EXPORT, purpose="下载告知书 PDF")
    return FileResponse(notice.file.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"{filename}-v{notice.version}.pdf")
