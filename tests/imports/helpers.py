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
