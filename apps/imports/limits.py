"""How big an uploaded import may be: bytes received, bytes once an XLSX is uncompressed, data rows.

The web faces (UI page, API, the childcare attendance upload) import under `ImportLimits.from_settings()`;
the operator's management commands import without limits (bulk loads of millions of rows). Every check
runs before the file is parsed, so a zip bomb or an oversized upload costs no more than its directory.
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings

from apps.core.exceptions import ApplicationError

MB = 1024 * 1024
# Room for the multipart envelope and the other form fields around the file itself.
ENVELOPE_BYTES = 64 * 1024


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class ImportLimits:
    max_upload_bytes: int
    max_expanded_bytes: int
    max_rows: int

    @classmethod
    def from_settings(cls, *, background: bool = False) -> "ImportLimits":
        """The web faces' limits; a background import (a large upload from the page) may hold more rows."""
        rows = settings.IMPORT_BACKGROUND_MAX_ROWS if background else settings.IMPORT_MAX_ROWS
        return cls(settings.IMPORT_MAX_UPLOAD_BYTES, settings.IMPORT_MAX_EXPANDED_BYTES, rows)

    def too_large(self) -> ApplicationError:
        return ApplicationError("file_too_large", f"文件超过 {_mb(self.max_upload_bytes)} MB 的上传上限，"
                                "请拆分后分批上传。", {"file": ["文件过大"]})

    def check_declared_length(self, meta) -> None:
        """Refuse a request whose Content-Length already says it is too big, before its body is read. A body
        that claims less than it sends is cut at the claim by the server; `check_size` sees the real bytes."""
        try:
            declared = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > self.max_upload_bytes + ENVELOPE_BYTES:
            raise self.too_large()

    def check_size(self, size: int) -> None:
        """The bytes actually received (an upload's size is counted as it arrives, not taken from a header)."""
        if size > self.max_upload_bytes:
            raise self.too_large()

    def expanded_problem(self, handle) -> str | None:
        """For a zip (XLSX): the message when its members uncompress to more than allowed, else None. The sizes
        come from the zip directory; zipfile never inflates a member past the size recorded there."""
        try:
            with zipfile.ZipFile(handle) as archive:
                expanded = sum(item.file_size for item in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None  # not a readable zip: the reader says so in its own words
        finally:
            handle.seek(0)
        if expanded > self.max_expanded_bytes:
            return (f"文件解压后约 {_mb(expanded)} MB，超过 {_mb(self.max_expanded_bytes)} MB 的上限"
                    "（行数过多或文件异常），未读取。请拆分后分批上传。")
        return None

    def rows_problem(self) -> str:
        return (f"文件超过 {self.max_rows} 行的上限，已停止读取、整个文件未导入。"
                "请拆分后分批上传。")


# What a file's first bytes are when it is not the text or workbook its name says.
BINARY_MAGIC = {b"%PDF": "PDF 文档", b"\x89PNG": "PNG 图片", b"GIF8": "GIF 图片", b"\xff\xd8\xff": "JPEG 图片",
                b"MZ": "可执行程序", b"\xd0\xcf\x11\xe0": "旧版 Excel（.xls）或 Word 文档", b"Rar!": "RAR 压缩包",
                b"\x1f\x8b": "gzip 压缩包", b"7z\xbc\xaf": "7z 压缩包"}
SNIFF_BYTES = 64 * 1024


def check_content(handle, file_name: str) -> None:
    """The file is what its name says, judged by its bytes (never by the browser's Content-Type): an .xlsx is
    a zip holding a workbook, a .csv/.txt is text (no zip, no NUL byte, no known binary signature). Refuses
    with `file_type_mismatch`; the handle is left at 0."""
    name = file_name.lower()
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    found = next((label for magic, label in BINARY_MAGIC.items() if head.startswith(magic)), None)
    if name.endswith(".xlsx"):
        workbook = False
        if head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(handle) as archive:
                    names = set(archive.namelist())
                workbook = "[Content_Types].xml" in names and "xl/workbook.xml" in names
            except (zipfile.BadZipFile, OSError, ValueError):
                workbook = False
            finally:
                handle.seek(0)
        if not workbook:
            what = f"（实际是{found}）" if found else ""
            raise ApplicationError("file_type_mismatch", f"文件扩展名是 .xlsx，但内容不是 Excel 表格{what}，未读取。"
                                   "请另存为 .xlsx 或 CSV 后重新上传。", {"file": ["文件类型与内容不符"]})
        return
    if head.startswith(b"PK\x03\x04") or found or b"\x00" in head:
        what = f"（实际是{found or ('压缩包或 Excel 表格' if head.startswith(b'PK') else '二进制文件')}）"
        raise ApplicationError("file_type_mismatch", f"文件扩展名是 .csv，但内容不是文本表格{what}，未读取。"
                               "请上传 CSV 文本或 .xlsx 表格。", {"file": ["文件类型与内容不符"]})
