import io

from apps.core.demo import make_id_number, make_uscc

EMPLOYER_HEADER = "uscc,name,entity_type,industry,employees,revenue_10k,assets_10k,region_code,serious_dishonesty"
CONTRIBUTION_HEADER = "uscc,period,insured_headcount,amount_due,paid_employer,paid_employee,late_fee"
APPLICANT_HEADER = "id_number,name,phone,hukou_type,hukou_region_code,region_code,address,status_tags"


def uscc(serial: int, region: str = "220102") -> str:
    return make_uscc(region, 7_000_000 + serial)


def bad_check_digit(code: str) -> str:
    last = "0" if code[-1] != "0" else "1"
    return code[:-1] + last


def csv_file(header: str, *rows: str, bom: bool = False, encoding: str = "utf-8") -> io.BytesIO:
    text = "\n".join([header, *rows]) + "\n"
    data = text.encode(encoding)
    return io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + data)


def xlsx_file(header: str, *rows: list) -> io.BytesIO:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header.split(","))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def employer_row(serial: int, region: str = "220102", name: str | None = None, employees: str = "50") -> str:
    return f"{uscc(serial, region)},{name or f'导入测试单位{serial}有限公司'},enterprise,industry,{employees},1200.50,,{region},否"


def person_id(sequence: int, region: str = "220102", female: bool = False):
    from datetime import date

    return make_id_number(region, date(1988, 4, 9), sequence, female)


def shrink_dimension(handle: io.BytesIO, ref: str = "A1:B2") -> io.BytesIO:
    """The same workbook with its first sheet's <dimension ref> rewritten (as other tools write it, too small)."""
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(handle) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
                assert count == 1
            target.writestr(item, data)
    out.seek(0)
    return out
