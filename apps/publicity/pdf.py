"""The public list as PDF, drawn by the documents service (apps.documents.pdf.publicity_list_pdf, the CJK font
and layout every notice uses). Registered in PublicityConfig.ready() as the list's PDF renderer."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from apps.documents.pdf import publicity_list_pdf
from apps.publicity.selectors import PublicList


def render_public_list(listing: PublicList) -> HttpResponse:
    publication, record = listing.publication, listing.record
    rows = [{"name": name, "uscc_masked": code, "size_label": size, "amount": amount}
            for name, code, size, amount in (row[:4] for row in listing.rows)]
    notes = [f"公示期：{publication.starts_on:%Y-%m-%d} 至 {publication.ends_on:%Y-%m-%d}"
             f"（{publication.working_days} 个工作日）。",
             f"异议渠道：{settings.PUBLICITY_OBJECTION_CHANNEL}"]
    body = publicity_list_pdf(rows, record.title, subtitle=record.issuer, notes=notes, issuer=record.issuer,
                              issued_on=f"{timezone.localtime(publication.published_at):%Y年%-m月%-d日}")
    response = HttpResponse(body, content_type="application/pdf")
    name = f"公示名单_{publication.starts_on:%Y%m%d}.pdf"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
