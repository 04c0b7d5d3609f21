"""The approved disbursement list (拨付清单), CSV or XLSX. Same columns in both; money as exact text/Decimal."""

from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

from apps.childcare.models import OperatingSubsidyClaim
from apps.core.exports import table_download
from apps.core.money import format_money

COLUMNS = ["序号", "机构名称", "统一社会信用代码", "所在区划", "机构类别", "年度", "在托人月数", "补助金额（元）",
           "审核人", "审核时间"]
COLUMN_WIDTHS = (6, 34, 22, 12, 16, 8, 12, 16, 10, 18)


def disbursement_rows(claims) -> list[list]:
    rows = []
    for index, claim in enumerate(claims, start=1):
        institution = claim.institution
        rows.append([index, institution.name, institution.uscc, institution.region.name,
                     institution.get_category_display(), claim.year, claim.child_months, claim.amount,
                     str(claim.reviewed_by or ""), claim.reviewed_at])  # a date cell in XLSX, text in CSV
    return rows


def _minute(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def disbursement_response(claims, file_format: str, year: int | None) -> HttpResponse:
    claims = [c for c in claims if c.status == OperatingSubsidyClaim.Status.APPROVED]
    rows = disbursement_rows(claims)
    total = sum((c.amount for c in claims), Decimal("0.00"))
    child_months = sum(c.child_months for c in claims)
    stem = f"托育补助拨付清单_{year or '全部'}"
    if file_format == "xlsx":  # amounts stay Decimal: Excel shows them as numbers with two decimals
        table = [COLUMNS, *rows, ["合计", "", "", "", "", "", child_months, total]]
        return table_download(table, fmt="xlsx", stem=stem, title="拨付清单", widths=COLUMN_WIDTHS)
    plain = [[*row[:7], format_money(row[7]).replace(",", ""), row[8], _minute(row[9])] for row in rows]
    table = [COLUMNS, *plain, ["合计", "", "", "", "", "", child_months, format_money(total).replace(",", "")]]
    return table_download(table, fmt="csv", stem=stem, title="拨付清单")
