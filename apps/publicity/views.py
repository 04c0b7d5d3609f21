"""The public list (公示名单): no sign-in, reached by its unguessable token; HTML, CSV and XLSX.

Nothing on it is personal data (a unit's name, a masked code, a size class, an amount), so reading it writes
no access-log row; publishing it is recorded by the source (a RefundRunTransition for a refund run). Every
answer carries `X-Robots-Tag: noindex` and the page a robots meta tag; a burst from one address is a 429.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.core import exports
from apps.core.throttle import over_limit, throttled_response
from apps.publicity.selectors import public_list, public_until, window_progress
from apps.publicity.sources import pdf_renderer

FORMATS = ("csv", "xlsx")


def _headers(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token never leaves in a Referer header
    return response


def _throttled(request) -> HttpResponse:
    return _headers(throttled_response(request))


def pdf_available() -> bool:
    """The PDF is offered once a renderer is registered (the documents app's publicity_list_pdf)."""
    return pdf_renderer() is not None


@require_GET
def public_list_page(request, token: str):
    if over_limit(request, scope="publicity"):
        return _throttled(request)
    listing = public_list(token=token)
    publication = listing.publication
    context = {"listing": listing, "publication": publication, "record": listing.record,
               "columns": listing.source.columns,
               "rows": [[(value, kind == "money") for value, (_label, kind) in zip(row, listing.source.columns, strict=True)]
                        for row in listing.rows], "progress": window_progress(publication),
               "public_until": public_until(publication), "objection_channel": settings.PUBLICITY_OBJECTION_CHANNEL,
               "pdf_available": pdf_available()}
    return _headers(render(request, "publicity/public_list.html", context))


@require_GET
def public_list_download(request, token: str, fmt: str):
    if over_limit(request, scope="publicity"):
        return _throttled(request)
    listing = public_list(token=token)
    if fmt == "pdf":
        render_pdf = pdf_renderer()
        if render_pdf is None:
            raise Http404
        return _headers(render_pdf(listing))
    header = ["序号", *[label for label, _kind in listing.source.columns]]
    rows = [[index, *row] for index, row in enumerate(listing.rows, start=1)]
    publication = listing.publication
    stem = f"公示名单_{publication.starts_on:%Y%m%d}"
    response = exports.table_download([header, *rows], fmt=fmt, stem=stem, title="公示名单")
    return _headers(response)
