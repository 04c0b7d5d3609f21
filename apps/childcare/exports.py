"""The approved disbursement list (拨付清单), CSV or XLSX. Same columns in both; money as exact text/Decimal."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse

from apps.childcare.models import SubsidyClaim
from apps.core.money import format_money

COLUMNS = ["序号", "机构名称", "统一社会信用代码", "所在区划", "机构类别", "年度", "在托人月数", "补助金额（元）",
           "审核人", "审核时间"]


def disbursement_rows(claims) -> list[list]:
    rows = []
    for index, claim in enumerate(claims, start=1):
        institution = claim.institution
        rows.append([index, institution.name, institution.uscc, institution.region.name,
                     institution.get_category_display(), claim.year, claim.child_months, claim.amount,
                     str(claim.reviewed_by or ""), f"{claim.reviewed_at:%Y-%m-%d %H:%M}" if claim.reviewed_at else ""])
    return rows


def disbursement_response(claims, file_format: str, year: int | None) -> HttpResponse:
    claims = [c for c in claims if c.status == SubsidyClaim.Status.APPROVED]
    rows = disbursement_rows(claims)
    total = sum((c.amount for c in claims), Decimal("0.00"))
    name = f"托育补助拨付清单_{year or '全部'}"
    if file_format == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = "拨付清单"
        sheet.append(COLUMNS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
            sheet.cell(row=sheet.max_row, column=8).number_format = "#,##0.00"
        sheet.append(["合计", "", "", "", "", "", sum(c.child_months for c in claims), total])
        sheet.cell(row=sheet.max_row, column=8).number_format = "#,##0.00"
        for column, width in zip("ABCDEFGHIJ", (6, 34, 22, 12, 16, 8, 12, 16, 10, 18), strict=True):
            sheet.column_dimensions[column].width = width
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        extension = "xlsx"
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([*row[:7], format_money(row[7]).replace(",", ""), *row[8:]])
        writer.writerow(["合计", "", "", "", "", "", sum(c.child_months for c in claims),
                         format_money(total).replace(",", "")])
        response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
        extension = "csv"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{extension}"
    return response
