"""Stream rows out of a CSV (UTF-8, with or without BOM) or an XLSX file, one at a time.

Nothing here holds more than one row: CSV is decoded through a TextIOWrapper, XLSX is opened with
openpyxl's read_only mode (which parses the sheet XML as it goes).
"""

import codecs
import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
# A NUL byte is never part of a name or a number; the database (PostgreSQL) refuses it in text, too.
NUL_MESSAGE = "第 {line} 行含有空字符（NUL，0x00），文件可能已损坏或不是文本文件。请用 Excel 另存为 CSV UTF-8 或 XLSX 后重新上传。"


class FileProblem(Exception):
    """The file as a whole cannot be read (format, encoding). Carries the Chinese message and a line."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


def cell_text(value) -> str:
    """A spreadsheet cell as the text a person typed: 12.0 → "12", a date → "2025-01-01"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value)))
    return str(value).strip()


def _sniff(handle) -> bytes:
    head = handle.read(4)
    handle.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def iter_rows(handle, *, fallback_encoding: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every row, the header first (line 1). `handle` is a binary file opened
    at 0. Raises FileProblem for an unreadable file — also midway, e.g. a non-UTF-8 byte on line 5000.

    `fallback_encoding` (e.g. "gb18030") is used for a CSV that is not UTF-8. It is decided before the
    first row is yielded — by one streaming decode of the whole file — so a file is never read half in
    one encoding and half in another."""
    head = _sniff(handle)
    if not head:
        raise FileProblem("文件为空。")
    if head.startswith(OLE_MAGIC):
        raise FileProblem("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV（UTF-8）后重试。")
    if head.startswith(ZIP_MAGIC):
        rows = _iter_xlsx(handle)
    else:
        encoding = "utf-8-sig"
        if fallback_encoding and not _decodes_as(handle, "utf-8"):
            encoding = fallback_encoding
        rows = _iter_csv(handle, encoding)
    for line, cells in rows:
        if "\x00" in "".join(cells):  # one scan of the row, not one per cell
            raise FileProblem(NUL_MESSAGE.format(line=line), line=line)
        yield line, cells


def is_zip(handle) -> bool:
    return _sniff(handle).startswith(ZIP_MAGIC)


def _decodes_as(handle, encoding: str) -> bool:
    """Whether the whole file decodes, read in 1 MB blocks (bounded memory); the handle is left at 0."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        for block in iter(lambda: handle.read(1 << 20), b""):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        handle.seek(0)
    return True


def _iter_csv(handle, encoding: str) -> Iterator[tuple[int, list[str]]]:
    text = io.TextIOWrapper(handle, encoding=encoding, newline="", errors="strict")
    reader = csv.reader(text)
    try:
        for cells in reader:
            yield reader.line_num, list(map(str.strip, cells))
    except UnicodeDecodeError as error:
        if encoding != "utf-8-sig":
            raise FileProblem(f"文件既不是 UTF-8 也不是 {encoding.upper()} 编码，在第 {reader.line_num + 1} 行附近"
                              "无法解码。请另存为 CSV UTF-8 或 XLSX 后重新上传。", line=reader.line_num + 1) from error
        guess = "（看起来是 GBK/GB18030 编码）" if _looks_like_gbk(error) else ""
        raise FileProblem(f"文件不是 UTF-8 编码{guess}，在第 {reader.line_num + 1} 行附近无法解码。"
                          "请在 Excel 中“另存为 CSV UTF-8”或用 XLSX 格式后重新上传。",
                          line=reader.line_num + 1) from error
    except csv.Error as error:
        if "NUL" in str(error):
            line = reader.line_num + 1
            raise FileProblem(NUL_MESSAGE.format(line=line), line=line) from error
        raise FileProblem(f"CSV 格式错误：{error}", line=reader.line_num) from error
    finally:
        # Leave the caller's handle open for the second pass. A generator abandoned mid-file is finalised
        # later, perhaps after the caller closed the handle: then there is nothing to detach from.
        if not text.closed:
            text.detach()


def _looks_like_gbk(error: UnicodeDecodeError) -> bool:
    chunk = error.object[error.start:error.start + 64]
    try:
        codecs.decode(chunk, "gb18030")
    except UnicodeDecodeError:
        return False
    return True


def _iter_xlsx(handle) -> Iterator[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 — any parse failure is "not a readable workbook" to the user
        raise FileProblem("无法读取 XLSX 文件，文件可能已损坏或不是 Excel 工作簿。") from error
    try:
        sheet = workbook.worksheets[0]
        # read_only mode trusts the sheet's <dimension ref>, which other tools often write too small (or as
        # "A1"): every row and column past it would be dropped without a word. Read what is there instead.
        sheet.reset_dimensions()
        for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield index, [cell_text(value) for value in values]
    finally:
        workbook.close()
